import { z } from '@hono/zod-openapi';
import { userStatuses } from '../../../drizzle';
import { EmailSchema, NewPasswordSchema, passwordOutsideIdentity, UserSessionSchema } from '../auth/schemas';

export { IdParamsSchema } from '../rbac/schemas';
export { UserSessionSchema };

export const AdminUserSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    username: z.string(),
    name: z.string().nullable(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    avatar: z.string().nullable(),
    status: z.enum(userStatuses),
    emailVerified: z.boolean(),
    twoFactorEnabled: z.boolean(),
    bio: z.string().nullable(),
    timezone: z.string().nullable(),
    language: z.string().nullable(),
    dateOfBirth: z.string().nullable(),
    phone: z.string().nullable(),
    roles: z.array(z.string()),
    permissions: z.array(z.string()),
    lastLoginAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    deletedAt: z.string().nullable(),
  })
  .openapi('AdminUser');

const boolean = z.enum(['true', 'false']).transform((v) => v === 'true');

export const ListUsersQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  search: z.string().trim().min(1).max(100).optional().openapi({ description: 'Matches email, username and name (case-insensitive)' }),
  status: z.enum(userStatuses).optional(),
  role: z.string().max(50).optional(),
  emailVerified: boolean.optional().openapi({ type: 'string', enum: ['true', 'false'] }),
  deleted: z.enum(['exclude', 'include', 'only']).default('exclude'),
  sortBy: z.enum(['createdAt', 'email', 'username', 'lastLoginAt', 'name']).default('createdAt'),
  sortOrder: z.enum(['asc', 'desc']).default('desc'),
});

const username = z.string().min(3).max(50).regex(/^[a-zA-Z0-9_-]+$/, 'Only letters, digits, _ and -');
const personName = z.string().trim().min(1).max(100);

export const CreateUserSchema = z
  .strictObject({
    email: EmailSchema,
    username,
    password: NewPasswordSchema,
    firstName: personName,
    lastName: personName,
    status: z.enum(userStatuses).default('active'),
    emailVerified: z.boolean().default(false),
    roles: z.array(z.string().min(1).max(50)).max(20).default(['user']),
  })
  .superRefine(passwordOutsideIdentity)
  .openapi('CreateUserRequest');

export const UpdateUserSchema = z
  .strictObject({
    email: EmailSchema.optional(),
    username: username.optional(),
    firstName: personName.optional(),
    lastName: personName.optional(),
    name: z.string().trim().min(1).max(200).optional(),
    bio: z.string().max(2000).nullable().optional(),
    timezone: z.string().min(1).max(100).optional(),
    language: z.string().regex(/^[a-z]{2}$/).optional(),
    phone: z.string().regex(/^\+?[0-9 ()-]{3,20}$/).nullable().optional(),
    dateOfBirth: z.iso.date().nullable().optional(),
    emailVerified: z.boolean().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: 'Nothing to update' })
  .openapi('UpdateUserRequest', { description: 'Status and roles have their own endpoints; unknown fields are rejected.' });

export const StatusSchema = z.strictObject({ status: z.enum(userStatuses), reason: z.string().max(500).optional() }).openapi('ChangeUserStatusRequest');

export const UserSessionParamsSchema = z.object({
  id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }),
  sessionId: z.uuid().openapi({ param: { name: 'sessionId', in: 'path' } }),
});

const timestamp = z.iso.datetime({ offset: true }).nullable();

export const LoginThrottleSourceSchema = z
  .object({
    source: z.string().openapi({ description: 'The client: an IPv4 address, an IPv6 /64 prefix, or `unknown`', example: '203.0.113.7' }),
    failedAttempts: z.int().openapi({ description: 'Failures from this source within the counting window (a success resets it)' }),
    lastFailedAt: timestamp,
    blockedUntil: timestamp.openapi({ description: 'Attempts from this source on this account are refused until then' }),
    blocked: z.boolean().openapi({ description: '`blockedUntil` is in the future' }),
    lastSuccessAt: timestamp.openapi({ description: 'The last sign-in from this source; a known source is never held by the account-wide lock' }),
    known: z.boolean().openapi({ description: 'The account has signed in from this source' }),
  })
  .openapi('LoginThrottleSource');

export const LoginThrottleSchema = z
  .object({
    userId: z.uuid(),
    throttled: z.boolean().openapi({ description: 'A block is in force: the account-wide lock, or at least one blocked source' }),
    locked: z.boolean().openapi({ description: 'The account-wide lock is in force (it holds sources the account has never signed in from)' }),
    lockedUntil: timestamp,
    failedLoginAttempts: z.int().openapi({ description: 'Failures across every source within the counting window' }),
    lastFailedLoginAt: timestamp,
    sources: z.array(LoginThrottleSourceSchema).openapi({ description: 'Per-source state, the most recently changed first (at most 100)' }),
    sourcesTotal: z.int().openapi({ description: 'How many sources the account has a row for' }),
  })
  .openapi('LoginThrottle');
