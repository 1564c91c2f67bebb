import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { PreferencesSchema, UpdatePreferencesBodySchema } from '../schemas';
import { updatePreferences } from '../services/preferences';

export const updateNotificationPreferencesRoute = createRoute({
  method: 'put',
  path: '/api/notifications/preferences',
  operationId: 'updateNotificationPreferences',
  tags: ['Notifications'],
  summary: 'Set the caller’s notification preferences for one or more types',
  description: 'Only the fields given change; a type without a stored row starts from its defaults. `quietHours: null` removes the window.',
  ...protectedAccess('settings:notifications'),
  request: { body: { required: true, content: { 'application/json': { schema: UpdatePreferencesBodySchema } } } },
  responses: {
    200: jsonContent(successSchema(PreferencesSchema), 'Every preference after the change'),
    ...errorResponses(400, 401, 403, 413, 415, 500, 503),
  },
});

export const updateNotificationPreferencesHandler: RouteHandler<typeof updateNotificationPreferencesRoute, AppEnv> = async (c) =>
  ok(c, await updatePreferences(serviceContext(c), c.req.valid('json').preferences));
