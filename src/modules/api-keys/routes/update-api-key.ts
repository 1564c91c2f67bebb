import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { ApiKeySchema, IdParamsSchema, UpdateApiKeySchema } from '../schemas';
import { updateApiKey } from '../services/api-keys';

export const updateApiKeyRoute = createRoute({
  method: 'patch',
  path: '/api/api-keys/{id}',
  operationId: 'updateApiKey',
  tags: ['API keys'],
  summary: 'Rename one of your API keys or change its scopes',
  description:
    'New scopes cannot exceed your own permissions (403 SCOPE_NOT_ALLOWED) and need a fresh proof of identity (403 REAUTHENTICATION_REQUIRED); ' +
    'they apply at once. The secret and the expiry stay.',
  ...protectedAccess('api_keys:update', { apiKeys: false }),
  request: { params: IdParamsSchema, body: { required: true, content: { 'application/json': { schema: UpdateApiKeySchema } } } },
  responses: { 200: jsonContent(successSchema(ApiKeySchema), 'The changed key'), ...errorResponses(400, 401, 403, 404, 413, 415, 429, 500, 503) },
});

export const updateApiKeyHandler: RouteHandler<typeof updateApiKeyRoute, AppEnv> = async (c) =>
  ok(c, await updateApiKey(serviceContext(c), c.req.valid('param').id, c.req.valid('json')));
