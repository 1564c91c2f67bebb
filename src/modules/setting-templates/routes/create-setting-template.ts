import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { created, successSchema } from '../../../lib/envelope';
import { versionEtag } from '../../../lib/etag';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { CreateSettingTemplateBodySchema, SettingTemplateSchema } from '../schemas';
import { createTemplate } from '../service';

export const createSettingTemplateRoute = createRoute({
  method: 'post',
  path: '/api/setting-templates',
  operationId: 'createSettingTemplate',
  tags: ['Setting templates'],
  summary: 'Create a setting template (admin)',
  description:
    'The rules must be a usable JSON Schema (draft 2020-12, local `$ref`s, valid patterns) and the default value must have the data ' +
    'type and satisfy them (400 with the failing paths). 409 when the category and key exist.',
  ...protectedAccess('system:settings'),
  request: { body: { required: true, content: { 'application/json': { schema: CreateSettingTemplateBodySchema } } } },
  responses: {
    201: jsonContent(successSchema(SettingTemplateSchema), 'Created'),
    ...errorResponses(400, 401, 403, 409, 413, 415, 500, 503),
  },
});

export const createSettingTemplateHandler: RouteHandler<typeof createSettingTemplateRoute, AppEnv> = async (c) => {
  const { template, version } = await createTemplate(serviceContext(c), c.req.valid('json'));
  c.header('ETag', versionEtag(version));
  return created(c, template);
};
