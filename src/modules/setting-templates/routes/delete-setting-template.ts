import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { IfMatchHeadersSchema, ifMatchVersions } from '../../../lib/etag';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { DeletedTemplateSchema, TemplateIdParamsSchema } from '../schemas';
import { deleteTemplate } from '../service';

export const deleteSettingTemplateRoute = createRoute({
  method: 'delete',
  path: '/api/setting-templates/{id}',
  operationId: 'deleteSettingTemplate',
  tags: ['Setting templates'],
  summary: 'Delete a setting template (admin)',
  description: 'Users’ stored values stay; without a template they are checked by their data type only. `If-Match` with a stale ETag answers 412.',
  ...protectedAccess('system:settings'),
  request: { params: TemplateIdParamsSchema, headers: IfMatchHeadersSchema },
  responses: {
    200: jsonContent(successSchema(DeletedTemplateSchema), 'Deleted'),
    ...errorResponses(400, 401, 403, 404, 412, 500, 503),
  },
});

export const deleteSettingTemplateHandler: RouteHandler<typeof deleteSettingTemplateRoute, AppEnv> = async (c) =>
  ok(c, await deleteTemplate(serviceContext(c), c.req.valid('param').id, ifMatchVersions(c.req.valid('header')['if-match'])));
