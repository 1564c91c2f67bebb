import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { successSchema } from '../../../lib/envelope';
import { IfNoneMatchHeadersSchema, okWithEtag, versionEtag } from '../../../lib/etag';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { SettingTemplateSchema, TemplateIdParamsSchema } from '../schemas';
import { getTemplate } from '../service';

export const getSettingTemplateRoute = createRoute({
  method: 'get',
  path: '/api/setting-templates/{id}',
  operationId: 'getSettingTemplate',
  tags: ['Setting templates'],
  summary: 'One setting template with its ETag (admin)',
  description: 'The `ETag` is the row version: send it back in `If-Match` when updating or deleting.',
  ...protectedAccess('system:settings'),
  request: { params: TemplateIdParamsSchema, headers: IfNoneMatchHeadersSchema },
  responses: {
    200: jsonContent(successSchema(SettingTemplateSchema), 'The template'),
    304: { description: 'Not modified: the If-None-Match ETag is current' },
    ...errorResponses(400, 401, 403, 404, 500, 503),
  },
});

export const getSettingTemplateHandler: RouteHandler<typeof getSettingTemplateRoute, AppEnv> = async (c) => {
  const { template, version } = await getTemplate(serviceContext(c), c.req.valid('param').id);
  return okWithEtag(c, template, versionEtag(version));
};
