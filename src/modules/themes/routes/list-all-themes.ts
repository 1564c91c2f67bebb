import { createRoute, z, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { successSchema } from '../../../lib/envelope';
import { etagOf, IfNoneMatchHeadersSchema, okWithEtag } from '../../../lib/etag';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { ThemeSchema } from '../schemas';
import { listAllThemes } from '../service';

export const listAllThemesRoute = createRoute({
  method: 'get',
  path: '/api/admin/themes',
  operationId: 'listAllThemes',
  tags: ['Themes'],
  summary: 'Every theme, inactive ones included, from the database (admin)',
  ...protectedAccess('system:settings'),
  request: { headers: IfNoneMatchHeadersSchema },
  responses: {
    200: jsonContent(successSchema(z.array(ThemeSchema)), 'Themes in display order'),
    304: { description: 'Not modified: the If-None-Match ETag is current' },
    ...errorResponses(401, 403, 500, 503),
  },
});

export const listAllThemesHandler: RouteHandler<typeof listAllThemesRoute, AppEnv> = async (c) => {
  const data = await listAllThemes(serviceContext(c));
  return okWithEtag(c, data, await etagOf(data));
};
