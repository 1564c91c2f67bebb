import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { UserPreferencesSchema } from '../schemas';
import { getPreferences } from '../service';

export const getPreferencesRoute = createRoute({
  method: 'get',
  path: '/api/users/preferences',
  operationId: 'getPreferences',
  tags: ['Profile'],
  summary: 'The caller’s preferences, every group (created with the defaults on first read)',
  ...protectedAccess('profile:preferences'),
  responses: {
    200: jsonContent(successSchema(UserPreferencesSchema), 'Preferences'),
    ...errorResponses(401, 403, 500, 503),
  },
});

export const getPreferencesHandler: RouteHandler<typeof getPreferencesRoute, AppEnv> = async (c) => ok(c, await getPreferences(serviceContext(c)));
