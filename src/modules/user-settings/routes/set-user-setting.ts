import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { SetUserSettingBodySchema, UserSettingParamsSchema, UserSettingSchema } from '../schemas';
import { setUserSetting } from '../service';

export const setUserSettingRoute = createRoute({
  method: 'put',
  path: '/api/user-settings/{category}/{key}',
  operationId: 'setUserSetting',
  tags: ['Settings'],
  summary: 'Set one of the caller’s typed settings',
  description:
    'The value is checked against the setting’s `setting_templates` row: its data type, then its `validationRules` as a JSON Schema ' +
    '(400 VALIDATION_ERROR listing every failing path, e.g. `body.value.primary`); a `required` template refuses an empty value (an empty or blank string, `[]`, `{}`: detail code `required`). A template with `userConfigurable: false`, or a ' +
    'system row, answers 403 SETTING_NOT_CONFIGURABLE. Without a template, `dataType` is required. The theme and notifications ' +
    'categories also need `settings:theme` / `settings:notifications`. A user holds at most 200 settings that neither a template ' +
    'nor a built-in preference defines: a new one past that is 409 SETTINGS_LIMIT_REACHED (changing an existing one still works). ' +
    'One atomic batch with the audit row.',
  ...protectedAccess('settings:update'),
  request: { params: UserSettingParamsSchema, body: { required: true, content: { 'application/json': { schema: SetUserSettingBodySchema } } } },
  responses: {
    200: jsonContent(successSchema(UserSettingSchema), 'The stored setting'),
    ...errorResponses(400, 401, 403, 409, 413, 415, 500, 503),
  },
});

export const setUserSettingHandler: RouteHandler<typeof setUserSettingRoute, AppEnv> = async (c) => {
  const { category, key } = c.req.valid('param');
  return ok(c, await setUserSetting(serviceContext(c), category, key, c.req.valid('json')));
};
