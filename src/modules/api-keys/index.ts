import { createRouter } from '../../lib/router';
import { adminListApiKeysHandler, adminListApiKeysRoute } from './routes/admin-list-api-keys';
import { adminRevokeApiKeyHandler, adminRevokeApiKeyRoute } from './routes/admin-revoke-api-key';
import { createApiKeyHandler, createApiKeyRoute } from './routes/create-api-key';
import { getApiKeyHandler, getApiKeyRoute } from './routes/get-api-key';
import { listApiKeysHandler, listApiKeysRoute } from './routes/list-api-keys';
import { revokeApiKeyHandler, revokeApiKeyRoute } from './routes/revoke-api-key';
import { rotateApiKeyHandler, rotateApiKeyRoute } from './routes/rotate-api-key';
import { updateApiKeyHandler, updateApiKeyRoute } from './routes/update-api-key';
import { validateApiKeyHandler, validateApiKeyRoute } from './routes/validate-api-key';

export const apiKeysRoutes = createRouter()
  .openapi(createApiKeyRoute, createApiKeyHandler)
  .openapi(listApiKeysRoute, listApiKeysHandler)
  .openapi(validateApiKeyRoute, validateApiKeyHandler)
  .openapi(getApiKeyRoute, getApiKeyHandler)
  .openapi(updateApiKeyRoute, updateApiKeyHandler)
  .openapi(revokeApiKeyRoute, revokeApiKeyHandler)
  .openapi(rotateApiKeyRoute, rotateApiKeyHandler)
  .openapi(adminListApiKeysRoute, adminListApiKeysHandler)
  .openapi(adminRevokeApiKeyRoute, adminRevokeApiKeyHandler);
