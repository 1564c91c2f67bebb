import { createRoute, z, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { successSchema } from '../../../lib/envelope';
import { etagOf, IfNoneMatchHeadersSchema, okWithEtag } from '../../../lib/etag';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { SettingTemplateSchema, TemplateListQuerySchema } from '../schemas';
import { listTemplates } from '../service';

export const listSettingTemplatesRoute = createRoute({
  method: 'get',
  path: '/api/setting-templates',
  operationId: 'listSettingTemplates',
  tags: ['Setting templates'],
  summary: 'Every setting template: defaults, data types, JSON Schema rules, configurability (admin)',
  ...protectedAccess('system:settings'),
  request: { query: TemplateListQuerySchema, headers: IfNoneMatchHeadersSchema },
  responses: {
    200: jsonContent(successSchema(z.array(SettingTemplateSchema)), 'Templates by category and key'),
    304: { description: 'Not modified: the If-None-Match ETag is current' },
    ...errorResponses(400, 401, 403, 500, 503),
  },
});

export const listSettingTemplatesHandler: RouteHandler<typeof listSettingTemplatesRoute, AppEnv> = async (c) => {
  const data = await listTemplates(serviceContext(c), c.req.valid('query'));
  return okWithEtag(c, data, await etagOf(data));
};
