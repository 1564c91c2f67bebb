import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { UpdateThemeSettingsBodySchema, ThemeSettingsSchema } from '../schemas';
import { updateSettingsGroup } from '../service';

export const updateThemeSettingsRoute = createRoute({
  method: 'put',
  path: '/api/settings/theme',
  operationId: 'updateThemeSettings',
  tags: ['Settings'],
  summary: 'Change some of the caller’s theme settings',
  description: 'Partial; \`name\` is \`default\`, \`dark\`, \`light\`, \`auto\` or the name of an active theme (400 INVALID_THEME otherwise); \`customColors.<colour>: null\` removes a custom colour. Non-configurable fields answer 403 SETTING_NOT_CONFIGURABLE and nothing changes. One atomic batch with the audit row.',
  ...protectedAccess('settings:theme'),
  request: { body: { required: true, content: { 'application/json': { schema: UpdateThemeSettingsBodySchema } } } },
  responses: {
    200: jsonContent(successSchema(ThemeSettingsSchema), 'The theme settings after the change'),
    ...errorResponses(400, 401, 403, 413, 415, 500, 503),
  },
});

export const updateThemeSettingsHandler: RouteHandler<typeof updateThemeSettingsRoute, AppEnv> = async (c) =>
  ok(c, await updateSettingsGroup(serviceContext(c), 'theme', c.req.valid('json')));
