import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './context';

export const API_TITLE = 'AegisX Edge API';

export const openApiTags = [
  { name: 'System', description: 'Health and service information' },
  { name: 'Auth', description: 'Registration, login, tokens, sessions' },
];

/** Registers the security schemes the routes refer to. */
export function registerSecuritySchemes(app: OpenAPIHono<AppEnv>) {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'Access token from `POST /api/auth/login` or `POST /api/auth/refresh` (15 minutes by default).',
  });
}

/** The OpenAPI 3.1 document generated from the zod route definitions. */
export function buildOpenApiDocument(app: OpenAPIHono<AppEnv>, version: string) {
  return app.getOpenAPI31Document({
    openapi: '3.1.0',
    info: {
      title: API_TITLE,
      version,
      description:
        'The AegisX Platform backend at the edge: Cloudflare Workers, Hono, Drizzle and Neon Postgres over HTTP.\n\n' +
        'Every JSON response uses one envelope: `{ success: true, data, meta }` or `{ success: false, error: { code, message, details?, requestId } }`.',
      license: { name: 'MIT', url: 'https://opensource.org/license/mit' },
    },
    servers: [{ url: '/', description: 'This deployment' }],
    tags: openApiTags,
    security: [{ bearerAuth: [] }],
  });
}
