import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { ApiKeySchema, IdParamsSchema } from '../schemas';
import { getApiKey } from '../services/api-keys';

export const getApiKeyRoute = createRoute({
  method: 'get',
  path: '/api/api-keys/{id}',
  operationId: 'getApiKey',
  tags: ['API keys'],
  summary: 'One of your API keys',
  ...protectedAccess('api_keys:read', { apiKeys: false }),
  request: { params: IdParamsSchema },
  responses: { 200: jsonContent(successSchema(ApiKeySchema), 'The key'), ...errorResponses(400, 401, 403, 404, 429, 500, 503) },
});

export const getApiKeyHandler: RouteHandler<typeof getApiKeyRoute, AppEnv> = async (c) => ok(c, await getApiKey(serviceContext(c), c.req.valid('param').id));
