import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { created, successSchema } from '../../../lib/envelope';
import { versionEtag } from '../../../lib/etag';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { CreateSystemSettingBodySchema, SystemSettingSchema } from '../schemas';
import { createSystemSetting } from '../service';

export const createSystemSettingRoute = createRoute({
  method: 'post',
  path: '/api/system-settings',
  operationId: 'createSystemSetting',
  tags: ['System settings'],
  summary: 'Create a system setting (admin)',
  description: 'The value must be of the data type. Written through to the edge cache. 409 when the category and key exist.',
  ...protectedAccess('system:settings'),
  request: { body: { required: true, content: { 'application/json': { schema: CreateSystemSettingBodySchema } } } },
  responses: {
    201: jsonContent(successSchema(SystemSettingSchema), 'Created'),
    ...errorResponses(400, 401, 403, 409, 413, 415, 500, 503),
  },
});

export const createSystemSettingHandler: RouteHandler<typeof createSystemSettingRoute, AppEnv> = async (c) => {
  const { setting, version } = await createSystemSetting(serviceContext(c), c.req.valid('json'));
  c.header('ETag', versionEtag(version));
  return created(c, setting);
};
