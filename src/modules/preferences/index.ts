import { createRouter } from '../../lib/router';
import { getLayoutSettingsHandler, getLayoutSettingsRoute } from './routes/get-layout-settings';
import { getNotificationSettingsHandler, getNotificationSettingsRoute } from './routes/get-notification-settings';
import { getPreferencesHandler, getPreferencesRoute } from './routes/get-preferences';
import { getSettingsHandler, getSettingsRoute } from './routes/get-settings';
import { getThemeSettingsHandler, getThemeSettingsRoute } from './routes/get-theme-settings';
import { resetSettingsHandler, resetSettingsRoute } from './routes/reset-settings';
import { updateLayoutSettingsHandler, updateLayoutSettingsRoute } from './routes/update-layout-settings';
import { updateNotificationSettingsHandler, updateNotificationSettingsRoute } from './routes/update-notification-settings';
import { updatePreferencesHandler, updatePreferencesRoute } from './routes/update-preferences';
import { updateSettingsHandler, updateSettingsRoute } from './routes/update-settings';
import { updateThemeSettingsHandler, updateThemeSettingsRoute } from './routes/update-theme-settings';

export const preferencesRoutes = createRouter()
  .openapi(getPreferencesRoute, getPreferencesHandler)
  .openapi(updatePreferencesRoute, updatePreferencesHandler)
  .openapi(getSettingsRoute, getSettingsHandler)
  .openapi(updateSettingsRoute, updateSettingsHandler)
  .openapi(getThemeSettingsRoute, getThemeSettingsHandler)
  .openapi(updateThemeSettingsRoute, updateThemeSettingsHandler)
  .openapi(getLayoutSettingsRoute, getLayoutSettingsHandler)
  .openapi(updateLayoutSettingsRoute, updateLayoutSettingsHandler)
  .openapi(getNotificationSettingsRoute, getNotificationSettingsHandler)
  .openapi(updateNotificationSettingsRoute, updateNotificationSettingsHandler)
  .openapi(resetSettingsRoute, resetSettingsHandler);
