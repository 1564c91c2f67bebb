import { createRoute, z, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { created, ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { ApiKeySchema, ApiKeyWithSecretSchema, CreateApiKeySchema, IdParamsSchema, UserIdQuerySchema } from '../schemas';
import { createApiKey, getApiKey, listApiKeys, revokeApiKey, rotateApiKey } from '../services/api-keys';

const tags = ['API keys'];

export const createApiKeyRoute = createRoute({
  method: 'post', path: '/api/api-keys', operationId: 'createApiKey', tags, summary: 'Create an API key (shown once)',
  description: 'Stored as its prefix and a SHA-256 hash. Scopes cannot exceed your own permissions (403 SCOPE_NOT_ALLOWED).',
  ...protectedAccess('api_keys:create', { apiKeys: false }),
  request: { body: { required: true, content: { 'application/json': { schema: CreateApiKeySchema } } } },
  responses: { 201: jsonContent(successSchema(ApiKeyWithSecretSchema), 'Created; `key` is shown this once'), ...errorResponses(400, 401, 403, 413, 415, 500, 503) },
});
export const createApiKeyHandler: RouteHandler<typeof createApiKeyRoute, AppEnv> = async (c) => created(c, await createApiKey(serviceContext(c), c.req.valid('json')));

export const listApiKeysRoute = createRoute({
  method: 'get', path: '/api/api-keys', operationId: 'listApiKeys', tags, summary: 'Your API keys (never the secret)',
  ...protectedAccess('api_keys:read', { apiKeys: false }),
  responses: { 200: jsonContent(successSchema(z.array(ApiKeySchema)), 'Keys'), ...errorResponses(401, 500, 503) },
});
export const listApiKeysHandler: RouteHandler<typeof listApiKeysRoute, AppEnv> = async (c) => {
  const ctx = serviceContext(c);
  return ok(c, await listApiKeys(ctx, ctx.actor!.userId));
};

export const getApiKeyRoute = createRoute({
  method: 'get', path: '/api/api-keys/{id}', operationId: 'getApiKey', tags, summary: 'One of your API keys',
  ...protectedAccess('api_keys:read', { apiKeys: false }),
  request: { params: IdParamsSchema },
  responses: { 200: jsonContent(successSchema(ApiKeySchema), 'The key'), ...errorResponses(400, 401, 404, 500, 503) },
});
export const getApiKeyHandler: RouteHandler<typeof getApiKeyRoute, AppEnv> = async (c) => ok(c, await getApiKey(serviceContext(c), c.req.valid('param').id));

export const revokeApiKeyRoute = createRoute({
  method: 'delete', path: '/api/api-keys/{id}', operationId: 'revokeApiKey', tags, summary: 'Revoke one of your API keys',
  ...protectedAccess('api_keys:delete', { apiKeys: false }),
  request: { params: IdParamsSchema },
  responses: { 200: jsonContent(successSchema(ApiKeySchema), 'Revoked'), ...errorResponses(400, 401, 404, 500, 503) },
});
export const revokeApiKeyHandler: RouteHandler<typeof revokeApiKeyRoute, AppEnv> = async (c) => ok(c, await revokeApiKey(serviceContext(c), c.req.valid('param').id));

export const rotateApiKeyRoute = createRoute({
  method: 'post', path: '/api/api-keys/{id}/rotate', operationId: 'rotateApiKey', tags, summary: 'Replace the secret of one of your API keys',
  ...protectedAccess('api_keys:update', { apiKeys: false }),
  request: { params: IdParamsSchema },
  responses: { 200: jsonContent(successSchema(ApiKeyWithSecretSchema), 'The new secret, shown once'), ...errorResponses(400, 401, 404, 500, 503) },
});
export const rotateApiKeyHandler: RouteHandler<typeof rotateApiKeyRoute, AppEnv> = async (c) => ok(c, await rotateApiKey(serviceContext(c), c.req.valid('param').id));

export const adminListApiKeysRoute = createRoute({
  method: 'get', path: '/api/admin/api-keys', operationId: 'adminListApiKeys', tags, summary: "Any user's API keys",
  ...protectedAccess('users:read', { apiKeys: false }),
  request: { query: UserIdQuerySchema },
  responses: { 200: jsonContent(successSchema(z.array(ApiKeySchema)), 'Keys'), ...errorResponses(400, 401, 403, 500, 503) },
});
export const adminListApiKeysHandler: RouteHandler<typeof adminListApiKeysRoute, AppEnv> = async (c) => ok(c, await listApiKeys(serviceContext(c), c.req.valid('query').userId));

export const adminRevokeApiKeyRoute = createRoute({
  method: 'delete', path: '/api/admin/api-keys/{id}', operationId: 'adminRevokeApiKey', tags, summary: "Revoke any user's API key",
  ...protectedAccess('users:update', { apiKeys: false }),
  request: { params: IdParamsSchema },
  responses: { 200: jsonContent(successSchema(ApiKeySchema), 'Revoked'), ...errorResponses(400, 401, 403, 404, 500, 503) },
});
export const adminRevokeApiKeyHandler: RouteHandler<typeof adminRevokeApiKeyRoute, AppEnv> = async (c) => ok(c, await revokeApiKey(serviceContext(c), c.req.valid('param').id, true));
