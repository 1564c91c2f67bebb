import { createRouter } from '../../lib/router';
import { createNavigationItemHandler, createNavigationItemRoute } from './routes/create-navigation-item';
import { deleteNavigationItemHandler, deleteNavigationItemRoute } from './routes/delete-navigation-item';
import { getNavigationHandler, getNavigationRoute } from './routes/get-navigation';
import { getNavigationPreferencesHandler, getNavigationPreferencesRoute } from './routes/get-navigation-preferences';
import { getUserNavigationHandler, getUserNavigationRoute } from './routes/get-user-navigation';
import { listNavigationItemsHandler, listNavigationItemsRoute } from './routes/list-navigation-items';
import { reorderNavigationItemsHandler, reorderNavigationItemsRoute } from './routes/reorder-navigation-items';
import { resetNavigationPreferencesHandler, resetNavigationPreferencesRoute } from './routes/reset-navigation-preferences';
import { setNavigationItemPermissionsHandler, setNavigationItemPermissionsRoute } from './routes/set-navigation-item-permissions';
import { updateNavigationItemHandler, updateNavigationItemRoute } from './routes/update-navigation-item';
import { updateNavigationPreferenceHandler, updateNavigationPreferenceRoute } from './routes/update-navigation-preference';

export const navigationRoutes = createRouter()
  .openapi(getNavigationRoute, getNavigationHandler)
  .openapi(getUserNavigationRoute, getUserNavigationHandler)
  .openapi(listNavigationItemsRoute, listNavigationItemsHandler)
  .openapi(createNavigationItemRoute, createNavigationItemHandler)
  .openapi(reorderNavigationItemsRoute, reorderNavigationItemsHandler)
  .openapi(updateNavigationItemRoute, updateNavigationItemHandler)
  .openapi(deleteNavigationItemRoute, deleteNavigationItemHandler)
  .openapi(setNavigationItemPermissionsRoute, setNavigationItemPermissionsHandler)
  .openapi(getNavigationPreferencesRoute, getNavigationPreferencesHandler)
  .openapi(updateNavigationPreferenceRoute, updateNavigationPreferenceHandler)
  .openapi(resetNavigationPreferencesRoute, resetNavigationPreferencesHandler);
