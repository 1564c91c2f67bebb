import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { created, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { SendNotificationBodySchema, SendResultSchema } from '../schemas';
import { sendNotifications } from '../services/send';

export const sendNotificationRoute = createRoute({
  method: 'post',
  path: '/api/notifications',
  operationId: 'sendNotification',
  tags: ['Notifications'],
  summary: 'Send a notification to a user or to every holder of a role (admin)',
  description:
    'One notification per recipient (soft-deleted users are skipped), always stored in the inbox. Email, push, desktop and sound follow each recipient’s preferences for the type; inside the recipient’s quiet hours the email is held until the window ends (`delivery.email.status` = `held`). 404 when the user or role does not exist.',
  ...protectedAccess('notifications:send'),
  request: { body: { required: true, content: { 'application/json': { schema: SendNotificationBodySchema } } } },
  responses: {
    201: jsonContent(successSchema(SendResultSchema), 'Created'),
    ...errorResponses(400, 401, 403, 404, 413, 415, 500, 503),
  },
});

export const sendNotificationHandler: RouteHandler<typeof sendNotificationRoute, AppEnv> = async (c) => {
  const { userId, role, expiresAt, ...content } = c.req.valid('json');
  const ctx = serviceContext(c);
  const target = userId !== undefined ? { userId } : { role: role! };
  return created(c, await sendNotifications(ctx, target, { ...content, ...(expiresAt ? { expiresAt: new Date(expiresAt) } : {}) }));
};
