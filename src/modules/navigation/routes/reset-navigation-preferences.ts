import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { ResetPreferencesResultSchema } from '../schemas';
import { resetNavigationPreferences } from '../services/preferences';

export const resetNavigationPreferencesRoute = createRoute({
  method: 'delete',
  path: '/api/navigation/preferences',
  operationId: 'resetNavigationPreferences',
  tags: ['Navigation'],
  summary: "Reset the caller's navigation to the defaults",
  ...protectedAccess('profile:preferences'),
  responses: {
    200: jsonContent(successSchema(ResetPreferencesResultSchema), 'Every preference of the caller removed'),
    ...errorResponses(401, 500, 503),
  },
});

export const resetNavigationPreferencesHandler: RouteHandler<typeof resetNavigationPreferencesRoute, AppEnv> = async (c) =>
  ok(c, await resetNavigationPreferences(serviceContext(c)));
