import { createRoute, z, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { NavigationPreferenceSchema } from '../schemas';
import { listNavigationPreferences } from '../services/read';

export const getNavigationPreferencesRoute = createRoute({
  method: 'get',
  path: '/api/navigation/preferences',
  operationId: 'getNavigationPreferences',
  tags: ['Navigation'],
  summary: "The caller's navigation preferences (hidden, custom order, pinned)",
  ...protectedAccess('profile:preferences'),
  responses: {
    200: jsonContent(successSchema(z.array(NavigationPreferenceSchema)), 'One entry per item the caller customised'),
    ...errorResponses(401, 500, 503),
  },
});

export const getNavigationPreferencesHandler: RouteHandler<typeof getNavigationPreferencesRoute, AppEnv> = async (c) =>
  ok(c, await listNavigationPreferences(serviceContext(c)));
