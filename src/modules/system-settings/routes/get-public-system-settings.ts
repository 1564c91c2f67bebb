import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { successSchema } from '../../../lib/envelope';
import { etagOf, IfNoneMatchHeadersSchema, okWithEtag } from '../../../lib/etag';
import { errorResponses, jsonContent, publicAccess } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { PublicSystemSettingsSchema } from '../schemas';
import { publicSystemSettings } from '../service';

export const getPublicSystemSettingsRoute = createRoute({
  method: 'get',
  path: '/api/system-settings/public',
  operationId: 'getPublicSystemSettings',
  tags: ['System settings'],
  summary: 'Public system settings (no authentication), served from the edge cache',
  description:
    'Served from Workers KV (no database round trip on a hit); a miss or a KV failure reads the database and refills KV. ' +
    'Every admin change is written through to KV. Strong `ETag`; `If-None-Match` answers 304.',
  ...publicAccess,
  request: { headers: IfNoneMatchHeadersSchema },
  responses: {
    200: jsonContent(successSchema(PublicSystemSettingsSchema), 'Public settings by category'),
    304: { description: 'Not modified: the If-None-Match ETag is current' },
    ...errorResponses(400, 500, 503),
  },
});

export const getPublicSystemSettingsHandler: RouteHandler<typeof getPublicSystemSettingsRoute, AppEnv> = async (c) => {
  const data = await publicSystemSettings(serviceContext(c));
  return okWithEtag(c, data, await etagOf(data), 'public, no-cache');
};
