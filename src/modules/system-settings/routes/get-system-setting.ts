import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { successSchema } from '../../../lib/envelope';
import { IfNoneMatchHeadersSchema, okWithEtag, versionEtag } from '../../../lib/etag';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { SystemSettingIdParamsSchema, SystemSettingSchema } from '../schemas';
import { getSystemSetting } from '../service';

export const getSystemSettingRoute = createRoute({
  method: 'get',
  path: '/api/system-settings/{id}',
  operationId: 'getSystemSetting',
  tags: ['System settings'],
  summary: 'One system setting with its ETag (admin)',
  description: 'The `ETag` is the row version: send it back in `If-Match` when updating or deleting.',
  ...protectedAccess('system:settings'),
  request: { params: SystemSettingIdParamsSchema, headers: IfNoneMatchHeadersSchema },
  responses: {
    200: jsonContent(successSchema(SystemSettingSchema), 'The setting'),
    304: { description: 'Not modified: the If-None-Match ETag is current' },
    ...errorResponses(400, 401, 403, 404, 500, 503),
  },
});

export const getSystemSettingHandler: RouteHandler<typeof getSystemSettingRoute, AppEnv> = async (c) => {
  const { setting, version } = await getSystemSetting(serviceContext(c), c.req.valid('param').id);
  return okWithEtag(c, setting, versionEtag(version));
};
