import { createRouter } from '../../lib/router';
import { getHealth, getHealthRoute } from './routes/get-health';

export const healthRoutes = createRouter().openapi(getHealthRoute, getHealth);
