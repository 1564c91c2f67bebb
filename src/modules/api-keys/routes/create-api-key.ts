import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { noStore } from '../../../lib/cache-control';
import { created, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { ApiKeyWithSecretSchema, CreateApiKeySchema } from '../schemas';
import { createApiKey } from '../services/api-keys';

export const createApiKeyRoute = createRoute({
  method: 'post',
  path: '/api/api-keys',
  operationId: 'createApiKey',
  tags: ['API keys'],
  summary: 'Create an API key (shown once)',
  description:
    'Stored as its prefix and a SHA-256 hash. Scopes cannot exceed your own permissions (403 SCOPE_NOT_ALLOWED). Needs a verified email address ' +
    '(403 EMAIL_NOT_VERIFIED) and a fresh proof of identity (403 REAUTHENTICATION_REQUIRED: see `POST /api/auth/reauthenticate`). Every key expires: ' +
    '`API_KEY_DEFAULT_TTL_DAYS` (90) days from now unless `expiresAt` says otherwise, at most `API_KEY_MAX_TTL_DAYS` (365). The owner is emailed. ' +
    'Answered with `Cache-Control: no-store`.',
  ...protectedAccess('api_keys:create', { apiKeys: false }),
  request: { body: { required: true, content: { 'application/json': { schema: CreateApiKeySchema } } } },
  responses: { 201: jsonContent(successSchema(ApiKeyWithSecretSchema), 'Created; `key` is shown this once'), ...errorResponses(400, 401, 403, 413, 415, 429, 500, 503) },
});

export const createApiKeyHandler: RouteHandler<typeof createApiKeyRoute, AppEnv> = async (c) => {
  const key = await createApiKey(serviceContext(c), c.req.valid('json'));
  noStore(c);
  return created(c, key);
};
