import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { ApiKeySchema, IdParamsSchema } from '../schemas';
import { revokeApiKey } from '../services/api-keys';

export const revokeApiKeyRoute = createRoute({
  method: 'delete',
  path: '/api/api-keys/{id}',
  operationId: 'revokeApiKey',
  tags: ['API keys'],
  summary: 'Revoke one of your API keys',
  description: 'The key stops working at once; its row stays (`active: false`) for the audit trail.',
  ...protectedAccess('api_keys:delete', { apiKeys: false }),
  request: { params: IdParamsSchema },
  responses: { 200: jsonContent(successSchema(ApiKeySchema), 'Revoked'), ...errorResponses(400, 401, 403, 404, 429, 500, 503) },
});

export const revokeApiKeyHandler: RouteHandler<typeof revokeApiKeyRoute, AppEnv> = async (c) => ok(c, await revokeApiKey(serviceContext(c), c.req.valid('param').id));
