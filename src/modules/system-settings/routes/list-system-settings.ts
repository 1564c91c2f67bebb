import { createRoute, z, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { successSchema } from '../../../lib/envelope';
import { etagOf, IfNoneMatchHeadersSchema, okWithEtag } from '../../../lib/etag';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { SystemSettingListQuerySchema, SystemSettingSchema } from '../schemas';
import { listSystemSettings } from '../service';

export const listSystemSettingsRoute = createRoute({
  method: 'get',
  path: '/api/system-settings',
  operationId: 'listSystemSettings',
  tags: ['System settings'],
  summary: 'Every system setting, public and private, typed (admin)',
  ...protectedAccess('system:settings'),
  request: { query: SystemSettingListQuerySchema, headers: IfNoneMatchHeadersSchema },
  responses: {
    200: jsonContent(successSchema(z.array(SystemSettingSchema)), 'Settings by category and key'),
    304: { description: 'Not modified: the If-None-Match ETag is current' },
    ...errorResponses(400, 401, 403, 500, 503),
  },
});

export const listSystemSettingsHandler: RouteHandler<typeof listSystemSettingsRoute, AppEnv> = async (c) => {
  const data = await listSystemSettings(serviceContext(c), c.req.valid('query'));
  return okWithEtag(c, data, await etagOf(data));
};
