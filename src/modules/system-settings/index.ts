import { createRouter } from '../../lib/router';
import { createSystemSettingHandler, createSystemSettingRoute } from './routes/create-system-setting';
import { deleteSystemSettingHandler, deleteSystemSettingRoute } from './routes/delete-system-setting';
import { getPublicSystemSettingsHandler, getPublicSystemSettingsRoute } from './routes/get-public-system-settings';
import { getSystemSettingHandler, getSystemSettingRoute } from './routes/get-system-setting';
import { listSystemSettingsHandler, listSystemSettingsRoute } from './routes/list-system-settings';
import { updateSystemSettingHandler, updateSystemSettingRoute } from './routes/update-system-setting';

/** The public route comes first: `/public` must not be taken for an `{id}`. */
export const systemSettingsRoutes = createRouter()
  .openapi(getPublicSystemSettingsRoute, getPublicSystemSettingsHandler)
  .openapi(listSystemSettingsRoute, listSystemSettingsHandler)
  .openapi(getSystemSettingRoute, getSystemSettingHandler)
  .openapi(createSystemSettingRoute, createSystemSettingHandler)
  .openapi(updateSystemSettingRoute, updateSystemSettingHandler)
  .openapi(deleteSystemSettingRoute, deleteSystemSettingHandler);
