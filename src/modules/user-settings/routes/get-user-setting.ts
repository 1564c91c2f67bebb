import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { UserSettingParamsSchema, UserSettingSchema } from '../schemas';
import { getUserSetting } from '../service';

export const getUserSettingRoute = createRoute({
  method: 'get',
  path: '/api/user-settings/{category}/{key}',
  operationId: 'getUserSetting',
  tags: ['Settings'],
  summary: 'One of the caller’s settings (or its template default)',
  ...protectedAccess('settings:view'),
  request: { params: UserSettingParamsSchema },
  responses: {
    200: jsonContent(successSchema(UserSettingSchema), 'The setting'),
    ...errorResponses(400, 401, 403, 404, 500, 503),
  },
});

export const getUserSettingHandler: RouteHandler<typeof getUserSettingRoute, AppEnv> = async (c) => {
  const { category, key } = c.req.valid('param');
  return ok(c, await getUserSetting(serviceContext(c), category, key));
};
