import { z } from '@hono/zod-openapi';
import { PermissionNameSchema } from '../rbac/schemas';

export { IdParamsSchema } from '../rbac/schemas';

export const ApiKeySchema = z
  .object({
    id: z.uuid(),
    userId: z.uuid(),
    name: z.string(),
    prefix: z.string().openapi({ description: 'The first 11 characters (`ak_<8 hex>`), to recognise the key', example: 'ak_1a2b3c4d' }),
    scopes: z.array(z.string()),
    active: z.boolean(),
    expiresAt: z.string().nullable(),
    lastUsedAt: z.string().nullable(),
    lastUsedIp: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('ApiKey');

export const ApiKeyWithSecretSchema = ApiKeySchema.extend({
  key: z.string().openapi({ description: 'The full key: shown once, never again', example: `ak_1a2b3c4d_${'0'.repeat(64)}` }),
}).openapi('ApiKeyWithSecret');

export const CreateApiKeySchema = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    scopes: z.array(PermissionNameSchema).min(1).max(100).openapi({ description: 'Permissions the key may use; none beyond your own' }),
    expiresAt: z.iso
      .datetime({ offset: true })
      .optional()
      .openapi({ description: 'In the future and at most `API_KEY_MAX_TTL_DAYS` (365) days ahead; `API_KEY_DEFAULT_TTL_DAYS` (90) days from now when absent' }),
  })
  .openapi('CreateApiKeyRequest');

export const UpdateApiKeySchema = z
  .strictObject({
    name: z.string().trim().min(1).max(100).optional(),
    scopes: z.array(PermissionNameSchema).min(1).max(100).optional().openapi({ description: 'Replaces the scopes; none beyond your own. Needs a fresh proof of identity' }),
  })
  .refine((body) => body.name !== undefined || body.scopes !== undefined, { message: 'Send name, scopes or both' })
  .openapi('UpdateApiKeyRequest');

export const ValidateApiKeySchema = z
  .strictObject({ key: z.string().min(1).max(200).openapi({ description: 'The key a client presented to your service', example: `ak_1a2b3c4d_${'0'.repeat(64)}` }) })
  .openapi('ValidateApiKeyRequest');

export const ApiKeyValidationSchema = z
  .discriminatedUnion('valid', [
    z.object({
      valid: z.literal(true),
      keyId: z.uuid(),
      userId: z.uuid().openapi({ description: 'The owner: the key acts as this user' }),
      name: z.string(),
      scopes: z.array(z.string()).openapi({ description: 'What the key may do now: its scopes that the owner still holds' }),
      expiresAt: z.string().nullable(),
    }),
    z.object({
      valid: z.literal(false),
      reason: z.enum(['invalid', 'revoked', 'expired', 'owner_blocked']).openapi({ description: '`owner_blocked`: the owner is suspended, inactive or deleted' }),
    }),
  ])
  .openapi('ApiKeyValidation');

export const UserIdQuerySchema = z.object({ userId: z.uuid() });
