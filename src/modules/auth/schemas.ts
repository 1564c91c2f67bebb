import { z } from '@hono/zod-openapi';
import { userStatuses } from '../../../drizzle';
import { isCommonPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, passwordContainsIdentity } from '../../lib/password';
import { jsonBytes, MAX_PAGE_VIEW_DATA_BYTES } from './services/activity';

/** The password policy (OWASP ASVS 5): length 8..128, no composition rules, common passwords refused. */
export const NewPasswordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH)
  .max(PASSWORD_MAX_LENGTH)
  .refine((p) => !isCommonPassword(p), { message: 'This password is too common; choose another one' })
  .openapi({ description: `At least ${PASSWORD_MIN_LENGTH} characters, at most ${PASSWORD_MAX_LENGTH}; not one of the 10,000 most common passwords.`, example: 'correct horse battery staple' });

export const EmailSchema = z.email().max(255).openapi({ example: 'jane@example.com' });

/** A refinement for bodies carrying a new account's password with its identifiers: the password may not contain them. */
export function passwordOutsideIdentity(body: { password: string; email: string; username: string; firstName: string; lastName: string }, ctx: z.RefinementCtx) {
  const found = passwordContainsIdentity(body.password, { email: body.email, username: body.username, names: [body.firstName, body.lastName] });
  if (found) ctx.addIssue({ code: 'custom', path: ['password'], message: `The password must not contain your ${found === 'email' ? 'email address' : found}` });
}

export const RegisterBodySchema = z
  .strictObject({
    email: EmailSchema,
    username: z
      .string()
      .min(3)
      .max(50)
      .regex(/^[a-zA-Z0-9_-]+$/, 'Only letters, digits, _ and -')
      .openapi({ example: 'jane_doe' }),
    password: NewPasswordSchema,
    firstName: z.string().trim().min(1).max(100).openapi({ example: 'Jane' }),
    lastName: z.string().trim().min(1).max(100).openapi({ example: 'Doe' }),
  })
  .superRefine(passwordOutsideIdentity)
  .openapi('RegisterRequest');

export const LoginBodySchema = z
  .strictObject({
    email: z.string().trim().min(1).max(255).optional().openapi({ description: 'Email address or username', example: 'admin@aegisx.local' }),
    username: z.string().trim().min(1).max(100).optional().openapi({ description: 'Username (instead of email)' }),
    password: z.string().min(1).max(1024).openapi({ example: 'your-password' }),
  })
  .refine((b) => Boolean(b.email ?? b.username), { message: 'email or username is required', path: ['email'] })
  .openapi('LoginRequest');

export const RefreshBodySchema = z
  .strictObject({
    refreshToken: z.string().min(20).max(200).optional().openapi({ description: 'Or send it in `X-Refresh-Token`, or rely on the HttpOnly cookie' }),
  })
  .openapi('RefreshRequest');

export const LogoutBodySchema = z.strictObject({ allDevices: z.boolean().default(false) }).openapi('LogoutRequest');

export const VerifyTokenBodySchema = z
  .strictObject({ token: z.string().min(1).max(4096).optional().openapi({ description: 'Defaults to the bearer token of the request' }) })
  .openapi('VerifyTokenRequest');

export const SessionIdParamsSchema = z.object({
  sessionId: z.uuid().openapi({ param: { name: 'sessionId', in: 'path' }, example: '2f1d0c1e-8a47-4d8e-9d55-2b1b9f7e8a10' }),
});

export const UserSessionSchema = z
  .object({
    id: z.uuid(),
    current: z.boolean(),
    deviceInfo: z.object({
      userAgent: z.string().nullable(),
      ip: z.string().nullable(),
      location: z.string().nullable().openapi({ example: 'Bangkok, TH' }),
      device: z.enum(['Desktop', 'Mobile', 'Tablet', 'Unknown']),
      os: z.string().nullable(),
      browser: z.string().nullable(),
      name: z.string().nullable(),
    }),
    location: z.object({
      country: z.string().nullable(),
      region: z.string().nullable(),
      city: z.string().nullable(),
      timezone: z.string().nullable(),
    }),
    suspicious: z.boolean(),
    securityFlags: z.array(z.string()),
    createdAt: z.iso.datetime({ offset: true }),
    lastActiveAt: z.iso.datetime({ offset: true }).nullable(),
    expiresAt: z.iso.datetime({ offset: true }),
  })
  .openapi('UserSession');

const RoleSchema = z.object({ id: z.uuid(), name: z.string(), permissions: z.array(z.string()) }).openapi('UserRole');

export const AuthenticatedUserSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    username: z.string(),
    name: z.string().nullable(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    avatar: z.string().nullable(),
    role: RoleSchema.nullable().openapi({ description: 'The primary role (admin when held), as in the original spec' }),
    roles: z.array(z.string()).openapi({ description: 'Every role the user holds' }),
    permissions: z.array(z.string()).openapi({ example: ['profile:read', 'profile:update'] }),
    status: z.enum(userStatuses),
    emailVerified: z.boolean(),
    twoFactorEnabled: z.boolean(),
    lastLoginAt: z.iso.datetime({ offset: true }).nullable(),
    createdAt: z.iso.datetime({ offset: true }),
  })
  .openapi('AuthenticatedUser');

export const MeSchema = AuthenticatedUserSchema.extend({ session: UserSessionSchema.nullable() }).openapi('AuthenticatedUserWithSession');

export const AuthTokensSchema = z.object({
  accessToken: z.string(),
  refreshToken: z.string().openapi({ description: 'Opaque, 256-bit; rotated on every refresh' }),
  tokenType: z.literal('Bearer'),
  expiresIn: z.number().int().openapi({ description: 'Access token lifetime in seconds', example: 900 }),
  refreshExpiresIn: z.number().int().openapi({ description: 'Seconds until the refresh token expires if unused', example: 604800 }),
});

export const LoginResultSchema = z
  .discriminatedUnion('twoFactorRequired', [
    AuthTokensSchema.extend({ twoFactorRequired: z.literal(false), user: AuthenticatedUserSchema, sessionId: z.uuid() }),
    z.object({
      twoFactorRequired: z.literal(true),
      twoFactorSetupRequired: z.boolean().openapi({
        description:
          'True when the system setting `features.two_factor_required` is on and the user has no two-factor yet: ' +
          'enrol with `POST /api/auth/2fa/login-setup`, then finish signing in with `POST /api/auth/2fa/verify` and a code from the new authenticator',
      }),
      challengeToken: z.string().openapi({ description: 'Short-lived; send it with a TOTP or backup code to the two-factor step' }),
      challengeExpiresIn: z.number().int(),
      methods: z.array(z.enum(['totp', 'backup_code'])),
    }),
  ])
  .openapi('LoginResult');

export const RefreshResultSchema = AuthTokensSchema.openapi('AuthTokens');

export const VerifyTokenResultSchema = z
  .object({
    valid: z.boolean(),
    expiresAt: z.iso.datetime({ offset: true }).optional(),
    userId: z.uuid().optional(),
    sessionId: z.uuid().optional(),
    reason: z.enum(['expired', 'invalid', 'revoked']).optional(),
  })
  .openapi('TokenVerification');

export const RegisteredUserSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    username: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    name: z.string(),
    status: z.enum(userStatuses),
    emailVerified: z.boolean(),
    roles: z.array(z.string()),
    createdAt: z.iso.datetime({ offset: true }),
  })
  .openapi('RegisteredUser');

export const LogoutResultSchema = z.object({ message: z.string(), loggedOutDevices: z.number().int() }).openapi('LogoutResult');
export const RevokeSessionResultSchema = z.object({ message: z.string(), sessionId: z.uuid() }).openapi('RevokeSessionResult');
export const RevokeOthersResultSchema = z.object({ message: z.string(), revokedSessions: z.number().int() }).openapi('RevokeOtherSessionsResult');

export const PageViewBodySchema = z
  .strictObject({
    type: z.enum(['page_view']).default('page_view'),
    resource: z.string().min(1).max(200).openapi({ example: '/dashboard' }),
    data: z
      .record(z.string(), z.union([z.string().max(500), z.number(), z.boolean(), z.null()]))
      .superRefine((data, ctx) => {
        if (jsonBytes(data) > MAX_PAGE_VIEW_DATA_BYTES) {
          ctx.addIssue({ code: 'too_big', origin: 'json', maximum: MAX_PAGE_VIEW_DATA_BYTES, inclusive: true, input: data, message: `At most ${MAX_PAGE_VIEW_DATA_BYTES} bytes as JSON (UTF-8)` });
        }
      })
      .optional()
      .openapi({ description: `At most ${MAX_PAGE_VIEW_DATA_BYTES} bytes as JSON (UTF-8); larger is 400 VALIDATION_ERROR (\`body.data\`, \`too_big\`).`, example: { tab: 'overview' } }),
  })
  .openapi('ActivityRequest');
