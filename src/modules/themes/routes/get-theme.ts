import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { successSchema } from '../../../lib/envelope';
import { IfNoneMatchHeadersSchema, okWithEtag, versionEtag } from '../../../lib/etag';
import { errorResponses, jsonContent, publicAccess } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { ThemeRefParamsSchema, ThemeSchema } from '../schemas';
import { getActiveTheme } from '../service';

export const getThemeRoute = createRoute({
  method: 'get',
  path: '/api/themes/{theme}',
  operationId: 'getTheme',
  tags: ['Themes'],
  summary: 'One active theme by id or name (no authentication), served from the edge cache',
  description: 'The `ETag` is the row version, the same one the admin endpoints use for `If-Match`. Inactive themes are 404 here.',
  ...publicAccess,
  request: { params: ThemeRefParamsSchema, headers: IfNoneMatchHeadersSchema },
  responses: {
    200: jsonContent(successSchema(ThemeSchema), 'The theme'),
    304: { description: 'Not modified: the If-None-Match ETag is current' },
    ...errorResponses(400, 404, 500, 503),
  },
});

export const getThemeHandler: RouteHandler<typeof getThemeRoute, AppEnv> = async (c) => {
  const { theme, version } = await getActiveTheme(serviceContext(c), c.req.valid('param').theme);
  return okWithEtag(c, theme, versionEtag(version), 'public, no-cache');
};
