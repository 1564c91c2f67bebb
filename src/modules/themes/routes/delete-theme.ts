import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { IfMatchHeadersSchema, ifMatchVersions } from '../../../lib/etag';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { DeletedThemeSchema, ThemeIdParamsSchema } from '../schemas';
import { deleteTheme } from '../service';

export const deleteThemeRoute = createRoute({
  method: 'delete',
  path: '/api/admin/themes/{id}',
  operationId: 'deleteTheme',
  tags: ['Themes'],
  summary: 'Delete a theme (admin)',
  description:
    'The default theme cannot be deleted (409 DEFAULT_THEME_REQUIRED). Users of the theme move to the default theme in the same batch. ' +
    '`If-Match` with a stale ETag answers 412 and deletes nothing.',
  ...protectedAccess('system:settings'),
  request: { params: ThemeIdParamsSchema, headers: IfMatchHeadersSchema },
  responses: {
    200: jsonContent(successSchema(DeletedThemeSchema), 'Deleted'),
    ...errorResponses(400, 401, 403, 404, 409, 412, 500, 503),
  },
});

export const deleteThemeHandler: RouteHandler<typeof deleteThemeRoute, AppEnv> = async (c) =>
  ok(c, await deleteTheme(serviceContext(c), c.req.valid('param').id, ifMatchVersions(c.req.valid('header')['if-match'])));
