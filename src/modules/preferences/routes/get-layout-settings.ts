import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { LayoutSettingsSchema } from '../schemas';
import { getSettingsGroup } from '../service';

export const getLayoutSettingsRoute = createRoute({
  method: 'get',
  path: '/api/settings/layout',
  operationId: 'getLayoutSettings',
  tags: ['Settings'],
  summary: 'The caller’s layout settings',
  ...protectedAccess('settings:view'),
  responses: {
    200: jsonContent(successSchema(LayoutSettingsSchema), 'layout settings'),
    ...errorResponses(401, 403, 500, 503),
  },
});

export const getLayoutSettingsHandler: RouteHandler<typeof getLayoutSettingsRoute, AppEnv> = async (c) => ok(c, await getSettingsGroup(serviceContext(c), 'layout'));
