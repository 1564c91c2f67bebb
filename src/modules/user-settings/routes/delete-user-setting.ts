import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { DeletedUserSettingSchema, UserSettingParamsSchema } from '../schemas';
import { deleteUserSetting } from '../service';

export const deleteUserSettingRoute = createRoute({
  method: 'delete',
  path: '/api/user-settings/{category}/{key}',
  operationId: 'deleteUserSetting',
  tags: ['Settings'],
  summary: 'Remove one of the caller’s settings (the template default applies again)',
  description:
    'Non-configurable and system settings answer 403 SETTING_NOT_CONFIGURABLE; a setting whose template is `required` cannot be deleted (409 SETTING_REQUIRED: set another value); a setting the caller never set is 404.',
  ...protectedAccess('settings:update'),
  request: { params: UserSettingParamsSchema },
  responses: {
    200: jsonContent(successSchema(DeletedUserSettingSchema), 'Removed'),
    ...errorResponses(400, 401, 403, 404, 409, 500, 503),
  },
});

export const deleteUserSettingHandler: RouteHandler<typeof deleteUserSettingRoute, AppEnv> = async (c) => {
  const { category, key } = c.req.valid('param');
  return ok(c, await deleteUserSetting(serviceContext(c), category, key));
};
