import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { IfMatchHeadersSchema, ifMatchVersions } from '../../../lib/etag';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { DeletedSchema, SystemSettingIdParamsSchema } from '../schemas';
import { deleteSystemSetting } from '../service';

export const deleteSystemSettingRoute = createRoute({
  method: 'delete',
  path: '/api/system-settings/{id}',
  operationId: 'deleteSystemSetting',
  tags: ['System settings'],
  summary: 'Delete a system setting (admin)',
  description: '`If-Match` with a stale ETag answers 412 and deletes nothing. Written through to the edge cache.',
  ...protectedAccess('system:settings'),
  request: { params: SystemSettingIdParamsSchema, headers: IfMatchHeadersSchema },
  responses: {
    200: jsonContent(successSchema(DeletedSchema), 'Deleted'),
    ...errorResponses(400, 401, 403, 404, 412, 500, 503),
  },
});

export const deleteSystemSettingHandler: RouteHandler<typeof deleteSystemSettingRoute, AppEnv> = async (c) =>
  ok(c, await deleteSystemSetting(serviceContext(c), c.req.valid('param').id, ifMatchVersions(c.req.valid('header')['if-match'])));
