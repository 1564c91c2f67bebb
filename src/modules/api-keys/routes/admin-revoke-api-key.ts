import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { ApiKeySchema, IdParamsSchema } from '../schemas';
import { revokeApiKey } from '../services/api-keys';

export const adminRevokeApiKeyRoute = createRoute({
  method: 'delete',
  path: '/api/admin/api-keys/{id}',
  operationId: 'adminRevokeApiKey',
  tags: ['API keys'],
  summary: "Revoke any user's API key",
  description: 'Not the key of a user who holds permissions you do not (403). The row stays (`active: false`).',
  ...protectedAccess('users:update', { apiKeys: false }),
  request: { params: IdParamsSchema },
  responses: { 200: jsonContent(successSchema(ApiKeySchema), 'Revoked'), ...errorResponses(400, 401, 403, 404, 429, 500, 503) },
});

export const adminRevokeApiKeyHandler: RouteHandler<typeof adminRevokeApiKeyRoute, AppEnv> = async (c) =>
  ok(c, await revokeApiKey(serviceContext(c), c.req.valid('param').id, true));
