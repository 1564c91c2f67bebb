import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { ManagedUserSettingParamsSchema, SetUserSettingBodySchema, UserSettingSchema } from '../schemas';
import { setManagedUserSetting } from '../service';

export const setManagedUserSettingRoute = createRoute({
  method: 'put',
  path: '/api/users/{id}/settings/{category}/{key}',
  operationId: 'setManagedUserSetting',
  tags: ['Settings'],
  summary: 'Set one of a user’s settings as system-managed (the user cannot change it)',
  description:
    'Writes the value over the user’s own, marked `isSystem`: the user still reads it, but `PUT`/`DELETE /api/user-settings/{category}/{key}` ' +
    'answer 403 SETTING_NOT_CONFIGURABLE until it is released. The value is checked like the user’s own (data type, the template’s rules, ' +
    '`required`; without a template `dataType` is required). Not on a user who holds permissions you do not (403 PROTECTED_TARGET). ' +
    'One atomic batch with the audit row.',
  ...protectedAccess('users:update'),
  request: { params: ManagedUserSettingParamsSchema, body: { required: true, content: { 'application/json': { schema: SetUserSettingBodySchema } } } },
  responses: {
    200: jsonContent(successSchema(UserSettingSchema), 'The stored, system-managed setting'),
    ...errorResponses(400, 401, 403, 404, 413, 415, 429, 500, 503),
  },
});

export const setManagedUserSettingHandler: RouteHandler<typeof setManagedUserSettingRoute, AppEnv> = async (c) => {
  const { id, category, key } = c.req.valid('param');
  return ok(c, await setManagedUserSetting(serviceContext(c), id, category, key, c.req.valid('json')));
};
