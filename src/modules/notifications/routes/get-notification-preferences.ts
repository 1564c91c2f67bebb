import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { PreferencesSchema } from '../schemas';
import { getPreferences } from '../services/preferences';

export const getNotificationPreferencesRoute = createRoute({
  method: 'get',
  path: '/api/notifications/preferences',
  operationId: 'getNotificationPreferences',
  tags: ['Notifications'],
  summary: 'The caller’s notification preferences, per type',
  description: 'Every seeded type plus any type the caller has set; `quietNow`/`quietUntil` are evaluated in the caller’s time zone at the time of the request.',
  ...protectedAccess('settings:view'),
  responses: {
    200: jsonContent(successSchema(PreferencesSchema), 'Preferences'),
    ...errorResponses(401, 500, 503),
  },
});

export const getNotificationPreferencesHandler: RouteHandler<typeof getNotificationPreferencesRoute, AppEnv> = async (c) =>
  ok(c, await getPreferences(serviceContext(c)));
