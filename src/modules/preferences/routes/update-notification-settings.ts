import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { UpdateNotificationSettingsBodySchema, NotificationSettingsSchema } from '../schemas';
import { updateSettingsGroup } from '../service';

export const updateNotificationSettingsRoute = createRoute({
  method: 'put',
  path: '/api/settings/notifications',
  operationId: 'updateNotificationSettings',
  tags: ['Settings'],
  summary: 'Change some of the caller’s notification settings',
  description: 'Partial; channels and types are merged field by field. Non-configurable fields answer 403 SETTING_NOT_CONFIGURABLE and nothing changes. One atomic batch with the audit row.',
  ...protectedAccess('settings:notifications'),
  request: { body: { required: true, content: { 'application/json': { schema: UpdateNotificationSettingsBodySchema } } } },
  responses: {
    200: jsonContent(successSchema(NotificationSettingsSchema), 'The notification settings after the change'),
    ...errorResponses(400, 401, 403, 413, 415, 500, 503),
  },
});

export const updateNotificationSettingsHandler: RouteHandler<typeof updateNotificationSettingsRoute, AppEnv> = async (c) =>
  ok(c, await updateSettingsGroup(serviceContext(c), 'notifications', c.req.valid('json')));
