import { createRouter } from '../../lib/router';
import { listJobsHandler, listJobsRoute } from './routes/list-jobs';

export { handleQueue, runScheduled } from './jobs';

export const jobsRoutes = createRouter().openapi(listJobsRoute, listJobsHandler);
