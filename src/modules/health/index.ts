import { createRouter } from '../../lib/router';
import { getHealth, getHealthRoute } from './routes/get-health';
import { getInfoHandler, getInfoRoute } from './routes/get-info';
import { pingHandler, pingRoute } from './routes/ping';

export const healthRoutes = createRouter()
  .openapi(getHealthRoute, getHealth)
  .openapi(getInfoRoute, getInfoHandler)
  .openapi(pingRoute, pingHandler);
