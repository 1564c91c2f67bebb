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
    expiresAt: z.iso.datetime({ offset: true }).optional().openapi({ description: 'No expiry when absent' }),
  })
  .openapi('CreateApiKeyRequest');

export const UserIdQuerySchema = z.object({ userId: z.uuid() });
