import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { noStore } from '../../../lib/cache-control';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { ApiKeyWithSecretSchema, IdParamsSchema } from '../schemas';
import { rotateApiKey } from '../services/api-keys';

export const rotateApiKeyRoute = createRoute({
  method: 'post',
  path: '/api/api-keys/{id}/rotate',
  operationId: 'rotateApiKey',
  tags: ['API keys'],
  summary: 'Replace the secret of one of your API keys',
  description:
    'The old secret stops working at once; name, scopes and expiry stay. Like creating a key, needs a verified email address (403 EMAIL_NOT_VERIFIED) ' +
    'and a fresh proof of identity (403 REAUTHENTICATION_REQUIRED); the owner is emailed. Answered with `Cache-Control: no-store`.',
  ...protectedAccess('api_keys:update', { apiKeys: false }),
  request: { params: IdParamsSchema },
  responses: { 200: jsonContent(successSchema(ApiKeyWithSecretSchema), 'The new secret, shown once'), ...errorResponses(400, 401, 403, 404, 429, 500, 503) },
});

export const rotateApiKeyHandler: RouteHandler<typeof rotateApiKeyRoute, AppEnv> = async (c) => {
  const key = await rotateApiKey(serviceContext(c), c.req.valid('param').id);
  noStore(c);
  return ok(c, key);
};
