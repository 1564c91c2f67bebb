import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { ThemeSettingsSchema } from '../schemas';
import { getSettingsGroup } from '../service';

export const getThemeSettingsRoute = createRoute({
  method: 'get',
  path: '/api/settings/theme',
  operationId: 'getThemeSettings',
  tags: ['Settings'],
  summary: 'The caller’s theme settings',
  ...protectedAccess('settings:view'),
  responses: {
    200: jsonContent(successSchema(ThemeSettingsSchema), 'theme settings'),
    ...errorResponses(401, 403, 500, 503),
  },
});

export const getThemeSettingsHandler: RouteHandler<typeof getThemeSettingsRoute, AppEnv> = async (c) => ok(c, await getSettingsGroup(serviceContext(c), 'theme'));
