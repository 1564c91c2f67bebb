import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';
import { ApiError } from './lib/errors';
import { handleError, notFoundHandler } from './lib/http-errors';
import { createRouter } from './lib/router';
import { requestContext } from './middleware/context';
import { authRoutes } from './modules/auth';
import { docsRoutes } from './modules/docs';
import { healthRoutes } from './modules/health';
import { buildOpenApiDocument, registerSecuritySchemes } from './openapi';

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

function allowedOrigin(origin: string, list: string): string | null {
  const origins = list.split(',').map((o) => o.trim()).filter(Boolean);
  if (origins.includes('*')) return origin || null;
  return origins.includes(origin) ? origin : null;
}

/** Builds the Worker's Hono app: global middleware, every module's routes, the OpenAPI document. */
export function createApp() {
  const app = createRouter();
  registerSecuritySchemes(app);

  app.use('*', requestContext);
  app.use(
    '*',
    secureHeaders({
      overwrite: false,
      contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
      crossOriginResourcePolicy: 'same-site',
      strictTransportSecurity: 'max-age=63072000; includeSubDomains',
    }),
  );
  app.use('*', (c, next) =>
    cors({
      origin: (origin) => allowedOrigin(origin, c.env.CORS_ORIGINS ?? ''),
      credentials: true,
      allowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
      allowHeaders: ['Content-Type', 'Authorization', 'X-API-Key', 'X-Refresh-Token', 'X-Request-Id', 'If-Match', 'If-None-Match', 'X-Client-Source'],
      exposeHeaders: ['X-Request-Id', 'Retry-After', 'ETag', 'X-RateLimit-Limit', 'X-RateLimit-Remaining'],
      maxAge: 600,
    })(c, next),
  );
  app.use('*', (c, next) =>
    bodyLimit({
      maxSize: Number(c.env.MAX_BODY_BYTES) || DEFAULT_MAX_BODY_BYTES,
      onError: () => {
        throw new ApiError('PAYLOAD_TOO_LARGE', 'Request body too large');
      },
    })(c, next),
  );

  const routes = app.route('/', healthRoutes).route('/', authRoutes);

  let document: { version: string; body: unknown } | undefined;
  app.route(
    '/api',
    docsRoutes((version) => {
      if (document?.version !== version) document = { version, body: buildOpenApiDocument(app, version) };
      return document.body;
    }),
  );
  app.onError(handleError);
  app.notFound(notFoundHandler(() => app.routes));
  return routes;
}

export const app = createApp();
export type AppType = typeof app;
