import { createRouter } from '../../lib/router';
import { getProfileHandler, getProfileRoute } from './routes/get-profile';
import { updateProfileHandler, updateProfileRoute } from './routes/update-profile';

export const profileRoutes = createRouter().openapi(getProfileRoute, getProfileHandler).openapi(updateProfileRoute, updateProfileHandler);
