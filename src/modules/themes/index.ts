import { createRouter } from '../../lib/router';
import { createThemeHandler, createThemeRoute } from './routes/create-theme';
import { deleteThemeHandler, deleteThemeRoute } from './routes/delete-theme';
import { getManagedThemeHandler, getManagedThemeRoute } from './routes/get-managed-theme';
import { getThemeHandler, getThemeRoute } from './routes/get-theme';
import { listAllThemesHandler, listAllThemesRoute } from './routes/list-all-themes';
import { listThemesHandler, listThemesRoute } from './routes/list-themes';
import { updateThemeHandler, updateThemeRoute } from './routes/update-theme';

export const themesRoutes = createRouter()
  .openapi(listThemesRoute, listThemesHandler)
  .openapi(getThemeRoute, getThemeHandler)
  .openapi(listAllThemesRoute, listAllThemesHandler)
  .openapi(getManagedThemeRoute, getManagedThemeHandler)
  .openapi(createThemeRoute, createThemeHandler)
  .openapi(updateThemeRoute, updateThemeHandler)
  .openapi(deleteThemeRoute, deleteThemeHandler);
