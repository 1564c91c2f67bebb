import { createRouter } from '../../lib/router';
import { deleteUserSettingHandler, deleteUserSettingRoute } from './routes/delete-user-setting';
import { getUserSettingHandler, getUserSettingRoute } from './routes/get-user-setting';
import { listUserSettingsHandler, listUserSettingsRoute } from './routes/list-user-settings';
import { releaseManagedUserSettingHandler, releaseManagedUserSettingRoute } from './routes/release-managed-user-setting';
import { setManagedUserSettingHandler, setManagedUserSettingRoute } from './routes/set-managed-user-setting';
import { setUserSettingHandler, setUserSettingRoute } from './routes/set-user-setting';

export const userSettingsRoutes = createRouter()
  .openapi(listUserSettingsRoute, listUserSettingsHandler)
  .openapi(getUserSettingRoute, getUserSettingHandler)
  .openapi(setUserSettingRoute, setUserSettingHandler)
  .openapi(deleteUserSettingRoute, deleteUserSettingHandler)
  .openapi(setManagedUserSettingRoute, setManagedUserSettingHandler)
  .openapi(releaseManagedUserSettingRoute, releaseManagedUserSettingHandler);
