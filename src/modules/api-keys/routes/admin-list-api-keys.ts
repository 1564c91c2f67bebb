import { createRoute, z, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { ApiKeySchema, UserIdQuerySchema } from '../schemas';
import { listApiKeys } from '../services/api-keys';

export const adminListApiKeysRoute = createRoute({
  method: 'get',
  path: '/api/admin/api-keys',
  operationId: 'adminListApiKeys',
  tags: ['API keys'],
  summary: "Any user's API keys",
  ...protectedAccess('users:read', { apiKeys: false }),
  request: { query: UserIdQuerySchema },
  responses: { 200: jsonContent(successSchema(z.array(ApiKeySchema)), 'Keys'), ...errorResponses(400, 401, 403, 429, 500, 503) },
});

export const adminListApiKeysHandler: RouteHandler<typeof adminListApiKeysRoute, AppEnv> = async (c) => ok(c, await listApiKeys(serviceContext(c), c.req.valid('query').userId));
