import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { IfMatchHeadersSchema, ifMatchVersions, versionEtag } from '../../../lib/etag';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { SystemSettingIdParamsSchema, SystemSettingSchema, UpdateSystemSettingBodySchema } from '../schemas';
import { updateSystemSetting } from '../service';

export const updateSystemSettingRoute = createRoute({
  method: 'put',
  path: '/api/system-settings/{id}',
  operationId: 'updateSystemSetting',
  tags: ['System settings'],
  summary: 'Change a system setting (admin)',
  description:
    'Partial update. A value alone must match the stored data type. `If-Match` with a stale ETag answers 412 and changes nothing. ' +
    'Written through to the edge cache; `requiresRestart` tells whether the change needs a redeploy.',
  ...protectedAccess('system:settings'),
  request: {
    params: SystemSettingIdParamsSchema,
    headers: IfMatchHeadersSchema,
    body: { required: true, content: { 'application/json': { schema: UpdateSystemSettingBodySchema } } },
  },
  responses: {
    200: jsonContent(successSchema(SystemSettingSchema), 'Updated'),
    ...errorResponses(400, 401, 403, 404, 412, 413, 415, 500, 503),
  },
});

export const updateSystemSettingHandler: RouteHandler<typeof updateSystemSettingRoute, AppEnv> = async (c) => {
  const versions = ifMatchVersions(c.req.valid('header')['if-match']);
  const { setting, version } = await updateSystemSetting(serviceContext(c), c.req.valid('param').id, c.req.valid('json'), versions);
  c.header('ETag', versionEtag(version));
  return ok(c, setting);
};
