import { createRouter } from '../../lib/router';
import { getLoginThrottleHandler, getLoginThrottleRoute } from './routes/get-login-throttle';
import { unlockUserHandler, unlockUserRoute } from './routes/unlock-user';
import * as u from './routes/users';

export const usersRoutes = createRouter()
  .openapi(u.listUsersRoute, u.listUsersHandler)
  .openapi(u.createUserRoute, u.createUserHandler)
  .openapi(u.getUserRoute, u.getUserHandler)
  .openapi(u.updateUserRoute, u.updateUserHandler)
  .openapi(u.changeUserStatusRoute, u.changeUserStatusHandler)
  .openapi(u.listUserSessionsRoute, u.listUserSessionsHandler)
  .openapi(u.revokeAllUserSessionsRoute, u.revokeAllUserSessionsHandler)
  .openapi(u.revokeUserSessionRoute, u.revokeUserSessionHandler)
  .openapi(getLoginThrottleRoute, getLoginThrottleHandler)
  .openapi(unlockUserRoute, unlockUserHandler)
  .openapi(u.restoreUserRoute, u.restoreUserHandler)
  .openapi(u.purgeUserRoute, u.purgeUserHandler)
  .openapi(u.deleteUserRoute, u.deleteUserHandler);
