import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { successSchema } from '../../../lib/envelope';
import { IfNoneMatchHeadersSchema, okWithEtag, versionEtag } from '../../../lib/etag';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { ThemeIdParamsSchema, ThemeSchema } from '../schemas';
import { getThemeById } from '../service';

export const getManagedThemeRoute = createRoute({
  method: 'get',
  path: '/api/admin/themes/{id}',
  operationId: 'getManagedTheme',
  tags: ['Themes'],
  summary: 'One theme, active or not, with its ETag (admin)',
  description: 'The `ETag` is the row version: send it back in `If-Match` when updating or deleting.',
  ...protectedAccess('system:settings'),
  request: { params: ThemeIdParamsSchema, headers: IfNoneMatchHeadersSchema },
  responses: {
    200: jsonContent(successSchema(ThemeSchema), 'The theme'),
    304: { description: 'Not modified: the If-None-Match ETag is current' },
    ...errorResponses(400, 401, 403, 404, 500, 503),
  },
});

export const getManagedThemeHandler: RouteHandler<typeof getManagedThemeRoute, AppEnv> = async (c) => {
  const { theme, version } = await getThemeById(serviceContext(c), c.req.valid('param').id);
  return okWithEtag(c, theme, versionEtag(version));
};
