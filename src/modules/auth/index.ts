import { createRouter } from '../../lib/router';
import { getMyPermissionsHandler, getMyPermissionsRoute } from './routes/get-my-permissions';
import { loginHandler, loginRoute } from './routes/login';
import { logoutHandler, logoutRoute } from './routes/logout';
import { meHandler, meRoute } from './routes/me';
import { refreshHandler, refreshRoute } from './routes/refresh';
import { registerHandler, registerRoute } from './routes/register';
import {
  listSessionsHandler,
  listSessionsRoute,
  recordActivityHandler,
  recordActivityRoute,
  revokeOtherSessionsHandler,
  revokeOtherSessionsRoute,
  revokeSessionHandler,
  revokeSessionRoute,
} from './routes/sessions';
import { verifyTokenHandler, verifyTokenRoute } from './routes/verify-token';

export const authRoutes = createRouter()
  .openapi(registerRoute, registerHandler)
  .openapi(loginRoute, loginHandler)
  .openapi(refreshRoute, refreshHandler)
  .openapi(logoutRoute, logoutHandler)
  .openapi(meRoute, meHandler)
  .openapi(getMyPermissionsRoute, getMyPermissionsHandler)
  .openapi(verifyTokenRoute, verifyTokenHandler)
  .openapi(listSessionsRoute, listSessionsHandler)
  .openapi(revokeOtherSessionsRoute, revokeOtherSessionsHandler)
  .openapi(revokeSessionRoute, revokeSessionHandler)
  .openapi(recordActivityRoute, recordActivityHandler);
