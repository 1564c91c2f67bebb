import { createRoute, z, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { successSchema } from '../../../lib/envelope';
import { etagOf, IfNoneMatchHeadersSchema, okWithEtag } from '../../../lib/etag';
import { errorResponses, jsonContent, publicAccess } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { ThemeSchema } from '../schemas';
import { listActiveThemes } from '../service';

export const listThemesRoute = createRoute({
  method: 'get',
  path: '/api/themes',
  operationId: 'listThemes',
  tags: ['Themes'],
  summary: 'The active themes (no authentication), served from the edge cache',
  description:
    'Served from Workers KV (no database round trip on a hit); a miss or a KV failure reads the database and refills KV. ' +
    'Every admin change is written through to KV. Strong `ETag`; `If-None-Match` answers 304.',
  ...publicAccess,
  request: { headers: IfNoneMatchHeadersSchema },
  responses: {
    200: jsonContent(successSchema(z.array(ThemeSchema)), 'Active themes in display order'),
    304: { description: 'Not modified: the If-None-Match ETag is current' },
    ...errorResponses(400, 500, 503),
  },
});

export const listThemesHandler: RouteHandler<typeof listThemesRoute, AppEnv> = async (c) => {
  const data = await listActiveThemes(serviceContext(c));
  return okWithEtag(c, data, await etagOf(data), 'public, no-cache');
};
