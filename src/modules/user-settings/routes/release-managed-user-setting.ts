import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { DeletedUserSettingSchema, ManagedUserSettingParamsSchema } from '../schemas';
import { releaseManagedUserSetting } from '../service';

export const releaseManagedUserSettingRoute = createRoute({
  method: 'delete',
  path: '/api/users/{id}/settings/{category}/{key}',
  operationId: 'releaseManagedUserSetting',
  tags: ['Settings'],
  summary: 'Hand a system-managed setting back to the user',
  description:
    'Deletes the user’s system-managed value: the template default (if any) applies again and the user may set the setting. 404 when the user ' +
    'has no system-managed value there. Not on a user who holds permissions you do not (403 PROTECTED_TARGET). One atomic batch with the audit row.',
  ...protectedAccess('users:update'),
  request: { params: ManagedUserSettingParamsSchema },
  responses: {
    200: jsonContent(successSchema(DeletedUserSettingSchema), 'Released'),
    ...errorResponses(400, 401, 403, 404, 429, 500, 503),
  },
});

export const releaseManagedUserSettingHandler: RouteHandler<typeof releaseManagedUserSettingRoute, AppEnv> = async (c) => {
  const { id, category, key } = c.req.valid('param');
  return ok(c, await releaseManagedUserSetting(serviceContext(c), id, category, key));
};
