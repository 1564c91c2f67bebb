import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { UserSettingsSchema } from '../schemas';
import { getSettings } from '../service';

export const getSettingsRoute = createRoute({
  method: 'get',
  path: '/api/settings',
  operationId: 'getSettings',
  tags: ['Settings'],
  summary: 'The caller’s settings by group: theme, layout, localization, notifications, privacy, accessibility, performance',
  description: 'Fields without a `user_preferences` column (custom colours, toolbar, footer, sidebar, currency, number format...) come from `user_settings`.',
  ...protectedAccess('settings:view'),
  responses: {
    200: jsonContent(successSchema(UserSettingsSchema), 'Settings'),
    ...errorResponses(401, 403, 500, 503),
  },
});

export const getSettingsHandler: RouteHandler<typeof getSettingsRoute, AppEnv> = async (c) => ok(c, await getSettings(serviceContext(c)));
