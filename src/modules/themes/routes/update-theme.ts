import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { IfMatchHeadersSchema, ifMatchVersions, versionEtag } from '../../../lib/etag';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { ThemeIdParamsSchema, ThemeSchema, UpdateThemeBodySchema } from '../schemas';
import { updateTheme } from '../service';

export const updateThemeRoute = createRoute({
  method: 'put',
  path: '/api/admin/themes/{id}',
  operationId: 'updateTheme',
  tags: ['Themes'],
  summary: 'Change a theme (admin)',
  description:
    'Partial update. `isDefault: true` makes it the one default (and active); the default cannot be deactivated or un-defaulted ' +
    '(409 DEFAULT_THEME_REQUIRED: make another theme the default). Users of a deactivated theme move to the default; a rename carries ' +
    'their preference along. `If-Match` with a stale ETag answers 412 and changes nothing. Written through to the edge cache.',
  ...protectedAccess('system:settings'),
  request: {
    params: ThemeIdParamsSchema,
    headers: IfMatchHeadersSchema,
    body: { required: true, content: { 'application/json': { schema: UpdateThemeBodySchema } } },
  },
  responses: {
    200: jsonContent(successSchema(ThemeSchema), 'Updated'),
    ...errorResponses(400, 401, 403, 404, 409, 412, 413, 415, 500, 503),
  },
});

export const updateThemeHandler: RouteHandler<typeof updateThemeRoute, AppEnv> = async (c) => {
  const versions = ifMatchVersions(c.req.valid('header')['if-match']);
  const { theme, version } = await updateTheme(serviceContext(c), c.req.valid('param').id, c.req.valid('json'), versions);
  c.header('ETag', versionEtag(version));
  return ok(c, theme);
};
