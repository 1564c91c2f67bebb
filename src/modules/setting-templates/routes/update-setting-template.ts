import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { IfMatchHeadersSchema, ifMatchVersions, versionEtag } from '../../../lib/etag';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { SettingTemplateSchema, TemplateIdParamsSchema, UpdateSettingTemplateBodySchema } from '../schemas';
import { updateTemplate } from '../service';

export const updateSettingTemplateRoute = createRoute({
  method: 'put',
  path: '/api/setting-templates/{id}',
  operationId: 'updateSettingTemplate',
  tags: ['Setting templates'],
  summary: 'Change a setting template (admin)',
  description:
    'Partial. The resulting data type, default and rules must agree (400 with the failing paths). `If-Match` with a stale ETag ' +
    'answers 412 and changes nothing. Values users already stored are not re-validated; their next write is.',
  ...protectedAccess('system:settings'),
  request: {
    params: TemplateIdParamsSchema,
    headers: IfMatchHeadersSchema,
    body: { required: true, content: { 'application/json': { schema: UpdateSettingTemplateBodySchema } } },
  },
  responses: {
    200: jsonContent(successSchema(SettingTemplateSchema), 'Updated'),
    ...errorResponses(400, 401, 403, 404, 409, 412, 413, 415, 500, 503),
  },
});

export const updateSettingTemplateHandler: RouteHandler<typeof updateSettingTemplateRoute, AppEnv> = async (c) => {
  const versions = ifMatchVersions(c.req.valid('header')['if-match']);
  const { template, version } = await updateTemplate(serviceContext(c), c.req.valid('param').id, c.req.valid('json'), versions);
  c.header('ETag', versionEtag(version));
  return ok(c, template);
};
