import { createRouter } from '../../lib/router';
import { deleteUserSettingHandler, deleteUserSettingRoute } from './routes/delete-user-setting';
import { getUserSettingHandler, getUserSettingRoute } from './routes/get-user-setting';
import { listUserSettingsHandler, listUserSettingsRoute } from './routes/list-user-settings';
import { setUserSettingHandler, setUserSettingRoute } from './routes/set-user-setting';

export const userSettingsRoutes = createRouter()
  .openapi(listUserSettingsRoute, listUserSettingsHandler)
  .openapi(getUserSettingRoute, getUserSettingHandler)
  .openapi(setUserSettingRoute, setUserSettingHandler)
  .openapi(deleteUserSettingRoute, deleteUserSettingHandler);
