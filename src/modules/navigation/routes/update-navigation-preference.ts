import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { KeyParamsSchema, NavigationPreferenceSchema, UpdateNavigationPreferenceBodySchema } from '../schemas';
import { updateNavigationPreference } from '../services/preferences';

export const updateNavigationPreferenceRoute = createRoute({
  method: 'put',
  path: '/api/navigation/preferences/{key}',
  operationId: 'updateNavigationPreference',
  tags: ['Navigation'],
  summary: 'Hide, reorder or pin one navigation item for the caller',
  description: 'Only the fields sent change. The caller’s next `GET /api/navigation/user` reflects it.',
  ...protectedAccess('profile:preferences'),
  request: {
    params: KeyParamsSchema,
    body: { required: true, content: { 'application/json': { schema: UpdateNavigationPreferenceBodySchema } } },
  },
  responses: {
    200: jsonContent(successSchema(NavigationPreferenceSchema), 'The preference as stored'),
    ...errorResponses(400, 401, 404, 413, 415, 500, 503),
  },
});

export const updateNavigationPreferenceHandler: RouteHandler<typeof updateNavigationPreferenceRoute, AppEnv> = async (c) =>
  ok(c, await updateNavigationPreference(serviceContext(c), c.req.valid('param').key, c.req.valid('json')));
