import { z } from '@hono/zod-openapi';
import { userStatuses } from '../../../drizzle';
import { AuthenticatedUserSchema, AuthTokensSchema, EmailSchema, NewPasswordSchema } from '../auth/schemas';

const exactlyOne = (...values: unknown[]) => values.filter((v) => v !== undefined).length === 1;

export const EmailTokenSchema = z.string().trim().min(1).max(256).openapi({ description: 'The token from the link in the email', example: 'kQ1uW3b0f2c7XHh3C9yJ0n8mXz3vJt4sQeYwq2u7d5E' });

/** A six-digit code of the authenticator app (RFC 6238). */
export const TotpCodeSchema = z
  .string()
  .trim()
  .regex(/^\d{6}$/, 'Six digits')
  .openapi({ description: 'Six-digit code from the authenticator app', example: '492039' });

export const MessageResultSchema = z.object({ message: z.string() }).openapi('MessageResult');

export const VerifyEmailBodySchema = z.strictObject({ token: EmailTokenSchema }).openapi('VerifyEmailRequest');

export const VerifyEmailResultSchema = z
  .object({
    email: z.string().openapi({ description: 'The verified address (the new one after an email change)' }),
    emailVerified: z.boolean(),
    status: z.enum(userStatuses),
    emailChanged: z.boolean().openapi({ description: 'True when the link confirmed a change of address' }),
  })
  .openapi('VerifyEmailResult');

export const EmailBodySchema = z.strictObject({ email: EmailSchema }).openapi('EmailRequest');

export const ChangeEmailBodySchema = z
  .strictObject({
    email: EmailSchema,
    revokeOtherSessions: z.boolean().default(true).openapi({ description: 'Sign out every other session (default true)' }),
    revokeApiKeys: z.boolean().default(false).openapi({ description: 'Revoke every API key of the account (default false)' }),
  })
  .openapi('ChangeEmailRequest');

export const VerifyResetTokenBodySchema = z.strictObject({ token: EmailTokenSchema }).openapi('VerifyResetTokenRequest');

export const ResetTokenStatusSchema = z
  .object({
    valid: z.literal(true),
    expiresAt: z.iso.datetime({ offset: true }).openapi({ description: 'Until when the link can be used' }),
  })
  .openapi('ResetTokenStatus');

export const ResetPasswordBodySchema = z.strictObject({ token: EmailTokenSchema, newPassword: NewPasswordSchema }).openapi('ResetPasswordRequest');

export const ChangePasswordBodySchema = z
  .strictObject({
    currentPassword: z.string().min(1).max(1024),
    newPassword: NewPasswordSchema,
    revokeOtherSessions: z.boolean().default(true).openapi({ description: 'Sign out every other session (default true)' }),
    revokeApiKeys: z.boolean().default(false).openapi({ description: 'Revoke every API key of the account (default false)' }),
  })
  .openapi('ChangePasswordRequest');

export const PasswordChangedSchema = z
  .object({
    message: z.string(),
    revokedSessions: z.number().int().openapi({ description: 'Sessions signed out by the change' }),
    revokedApiKeys: z.number().int().openapi({ description: 'API keys revoked by the change' }),
  })
  .openapi('PasswordChanged');

export const EmailChangeSchema = z
  .object({
    email: z.string().openapi({ description: 'The current address, in use until the new one is verified' }),
    pendingEmail: z.string().openapi({ description: 'The address the verification link was sent to' }),
    expiresAt: z.iso.datetime({ offset: true }),
    revokedSessions: z.number().int().openapi({ description: 'Sessions signed out by the request' }),
    revokedApiKeys: z.number().int().openapi({ description: 'API keys revoked by the request' }),
  })
  .openapi('EmailChange');

/** The password, or a current TOTP code: exactly one. */
export const ProofBodySchema = z
  .strictObject({
    password: z.string().min(1).max(1024).optional(),
    code: TotpCodeSchema.optional(),
  })
  .refine((b) => exactlyOne(b.password, b.code), { message: 'Send either password or code', path: ['password'] })
  .openapi('IdentityProof');

export const ReauthenticationSchema = z
  .object({
    method: z.enum(['password', 'totp']),
    reauthenticatedAt: z.iso.datetime({ offset: true }),
    validUntil: z.iso.datetime({ offset: true }).openapi({ description: 'Until then, this session may change the email address and the two-factor settings' }),
  })
  .openapi('Reauthentication');

export const TwoFactorStatusSchema = z
  .object({
    enabled: z.boolean(),
    setupPending: z.boolean().openapi({ description: 'A setup was started and not confirmed yet' }),
    backupCodesRemaining: z.number().int(),
    required: z.boolean().openapi({ description: 'The system setting `features.two_factor_required`' }),
  })
  .openapi('TwoFactorStatus');

export const TwoFactorSetupSchema = z
  .object({
    secret: z.string().openapi({ description: 'Base32 secret for manual entry. Shown only now.', example: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' }),
    otpauthUri: z.string().openapi({ description: 'Render as a QR code for the authenticator app', example: 'otpauth://totp/AegisX%20Platform:jane%40example.com?issuer=AegisX%20Platform&secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&algorithm=SHA1&digits=6&period=30' }),
    issuer: z.string(),
    accountName: z.string(),
    algorithm: z.literal('SHA1'),
    digits: z.literal(6),
    period: z.literal(30),
  })
  .openapi('TwoFactorSetup');

export const ConfirmTwoFactorBodySchema = z.strictObject({ code: TotpCodeSchema }).openapi('ConfirmTwoFactorRequest');

const BackupCodesField = z
  .array(z.string())
  .openapi({ description: 'Ten single-use backup codes. Shown only now: store them safely.', example: ['7KQ2M-XW9TD', 'H4R8P-Z2NVC'] });

export const TwoFactorEnabledSchema = z.object({ enabled: z.literal(true), backupCodes: BackupCodesField }).openapi('TwoFactorEnabled');
export const TwoFactorDisabledSchema = z.object({ enabled: z.literal(false) }).openapi('TwoFactorDisabled');
export const BackupCodesSchema = z.object({ backupCodes: BackupCodesField }).openapi('BackupCodes');

const ChallengeTokenSchema = z.string().min(1).max(4096).openapi({ description: 'The `challengeToken` from `POST /api/auth/login`' });

export const VerifyTwoFactorBodySchema = z
  .strictObject({
    challengeToken: ChallengeTokenSchema,
    code: TotpCodeSchema.optional(),
    backupCode: z.string().trim().min(8).max(20).optional().openapi({ description: 'One of the backup codes (dashes and case ignored)', example: '7KQ2M-XW9TD' }),
  })
  .refine((b) => exactlyOne(b.code, b.backupCode), { message: 'Send either code or backupCode', path: ['code'] })
  .openapi('VerifyTwoFactorRequest');

export const TwoFactorLoginSchema = AuthTokensSchema.extend({
  twoFactorRequired: z.literal(false),
  user: AuthenticatedUserSchema,
  sessionId: z.uuid(),
  method: z.enum(['totp', 'backup_code']),
  backupCodes: BackupCodesField.optional().openapi({ description: 'Only when this step finished a required enrolment: the new backup codes, shown once' }),
  backupCodesRemaining: z.number().int().optional().openapi({ description: 'Only after a backup code: how many are left' }),
}).openapi('TwoFactorLogin');

export const LoginSetupBodySchema = z.strictObject({ challengeToken: ChallengeTokenSchema }).openapi('TwoFactorLoginSetupRequest');

export const OutboxQuerySchema = z.object({
  to: z.string().max(255).optional().openapi({ description: 'Only messages to this address' }),
  template: z.string().max(50).optional().openapi({ description: 'Only messages of this kind, e.g. `verify_email`' }),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const OutboxMessageSchema = z
  .object({
    id: z.string(),
    from: z.string(),
    to: z.string(),
    subject: z.string(),
    text: z.string(),
    html: z.string(),
    template: z.string(),
    requestId: z.string(),
    createdAt: z.iso.datetime({ offset: true }),
    links: z.array(z.string()).openapi({ description: 'The links in the plain-text body' }),
  })
  .openapi('OutboxMessage');
