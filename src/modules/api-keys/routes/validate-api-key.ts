import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { ApiKeyValidationSchema, ValidateApiKeySchema } from '../schemas';
import { validateApiKey } from '../services/api-keys';

export const validateApiKeyRoute = createRoute({
  method: 'post',
  path: '/api/api-keys/validate',
  operationId: 'validateApiKey',
  tags: ['API keys'],
  summary: 'Validate a key presented to your service: its owner and what it may do',
  description:
    'For services that accept AegisX API keys from their own callers. Answers 200 with `valid: false` and a reason for a key that does not work, ' +
    'else the owner id and the scopes the key may use now (never the key or its hash). Needs `api_keys:validate`, a permission for services ' +
    '(an API key holding that scope, or a user), not granted to the `user` role. Read from the database on every call; nothing is written.',
  ...protectedAccess('api_keys:validate', { apiKeys: true }),
  request: { body: { required: true, content: { 'application/json': { schema: ValidateApiKeySchema } } } },
  responses: { 200: jsonContent(successSchema(ApiKeyValidationSchema), 'Whether the key works, and for whom'), ...errorResponses(400, 401, 403, 413, 415, 429, 500, 503) },
});

export const validateApiKeyHandler: RouteHandler<typeof validateApiKeyRoute, AppEnv> = async (c) => ok(c, await validateApiKey(serviceContext(c), c.req.valid('json').key));
