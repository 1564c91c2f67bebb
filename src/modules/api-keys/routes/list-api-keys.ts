import { createRoute, z, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { ApiKeySchema } from '../schemas';
import { listApiKeys } from '../services/api-keys';

export const listApiKeysRoute = createRoute({
  method: 'get',
  path: '/api/api-keys',
  operationId: 'listApiKeys',
  tags: ['API keys'],
  summary: 'Your API keys (never the secret)',
  description: 'Revoked keys stay listed (`active: false`) for the audit trail.',
  ...protectedAccess('api_keys:read', { apiKeys: false }),
  responses: { 200: jsonContent(successSchema(z.array(ApiKeySchema)), 'Keys'), ...errorResponses(401, 403, 429, 500, 503) },
});

export const listApiKeysHandler: RouteHandler<typeof listApiKeysRoute, AppEnv> = async (c) => {
  const ctx = serviceContext(c);
  return ok(c, await listApiKeys(ctx, ctx.actor!.userId));
};
