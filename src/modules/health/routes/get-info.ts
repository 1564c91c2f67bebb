import { createRoute, z, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent, publicAccess } from '../../../lib/openapi';
import { API_TITLE } from '../../../openapi';

export const InfoSchema = z
  .object({
    name: z.string().openapi({ example: API_TITLE }),
    version: z.string().openapi({ description: 'The API version (`APP_VERSION`, the OpenAPI document’s `info.version`)', example: '0.1.0' }),
    environment: z.string().openapi({ description: '`APP_ENV`: `production`, `development` or `test`', example: 'production' }),
    buildTime: z.iso
      .datetime({ offset: true })
      .nullable()
      .openapi({ description: 'When this version of the Worker was uploaded (its version metadata); in local development, when `wrangler dev` started' }),
    versionId: z.string().nullable().openapi({ description: 'The Cloudflare Worker version id (`wrangler rollback` takes it)' }),
    openApiUrl: z.url().openapi({ example: 'https://api.example.com/api/openapi.json' }),
    docsUrl: z.url().openapi({ example: 'https://api.example.com/api/docs' }),
  })
  .openapi('ServiceInfo');

export const getInfoRoute = createRoute({
  method: 'get',
  path: '/api/info',
  operationId: 'getInfo',
  tags: ['System'],
  summary: 'Name, version, environment, build time and the OpenAPI document’s address',
  description: 'Answered from the Worker’s configuration and version metadata: no database round trip, no authentication.',
  ...publicAccess,
  responses: {
    200: jsonContent(successSchema(InfoSchema), 'What is running here'),
    ...errorResponses(429, 500, 503),
  },
});

export const getInfoHandler: RouteHandler<typeof getInfoRoute, AppEnv> = (c) => {
  const metadata = c.env.CF_VERSION_METADATA;
  const timestamp = metadata?.timestamp ? new Date(metadata.timestamp) : null;
  return ok(c, {
    name: API_TITLE,
    version: c.env.APP_VERSION,
    environment: c.env.APP_ENV,
    buildTime: timestamp && !Number.isNaN(timestamp.getTime()) ? timestamp.toISOString() : null,
    versionId: metadata?.id || null,
    openApiUrl: new URL('/api/openapi.json', c.req.url).href,
    docsUrl: new URL('/api/docs', c.req.url).href,
  });
};
