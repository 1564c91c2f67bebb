import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { UpdateLayoutSettingsBodySchema, LayoutSettingsSchema } from '../schemas';
import { updateSettingsGroup } from '../service';

export const updateLayoutSettingsRoute = createRoute({
  method: 'put',
  path: '/api/settings/layout',
  operationId: 'updateLayoutSettings',
  tags: ['Settings'],
  summary: 'Change some of the caller’s layout settings',
  description: 'Partial; navigation, toolbar, footer and sidebar are merged field by field. Non-configurable fields answer 403 SETTING_NOT_CONFIGURABLE and nothing changes. One atomic batch with the audit row.',
  ...protectedAccess('settings:update'),
  request: { body: { required: true, content: { 'application/json': { schema: UpdateLayoutSettingsBodySchema } } } },
  responses: {
    200: jsonContent(successSchema(LayoutSettingsSchema), 'The layout settings after the change'),
    ...errorResponses(400, 401, 403, 413, 415, 500, 503),
  },
});

export const updateLayoutSettingsHandler: RouteHandler<typeof updateLayoutSettingsRoute, AppEnv> = async (c) =>
  ok(c, await updateSettingsGroup(serviceContext(c), 'layout', c.req.valid('json')));
