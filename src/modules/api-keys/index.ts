import { createRouter } from '../../lib/router';
import * as k from './routes/api-keys';

export const apiKeysRoutes = createRouter()
  .openapi(k.createApiKeyRoute, k.createApiKeyHandler)
  .openapi(k.listApiKeysRoute, k.listApiKeysHandler)
  .openapi(k.getApiKeyRoute, k.getApiKeyHandler)
  .openapi(k.revokeApiKeyRoute, k.revokeApiKeyHandler)
  .openapi(k.rotateApiKeyRoute, k.rotateApiKeyHandler)
  .openapi(k.adminListApiKeysRoute, k.adminListApiKeysHandler)
  .openapi(k.adminRevokeApiKeyRoute, k.adminRevokeApiKeyHandler);
