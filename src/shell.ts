import type { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';
import type { AppEnv } from './context';
import { apiRateLimit } from './lib/api-rate-limit';
import { authenticatedCacheControl } from './lib/cache-control';
import { configurationGuard, corsOrigins } from './lib/config';
import { ApiError } from './lib/errors';
import { handleError, notFoundHandler } from './lib/http-errors';
import { createRouter } from './lib/router';
import { requestContext } from './middleware/context';
import { AVATAR_UPLOAD_PATH } from './modules/avatars/paths';

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** The request's origin when CORS_ORIGINS lists it exactly; never a wildcard or `null` (the API allows credentials, see lib/config.ts). */
function allowedOrigin(origin: string, list: string): string | null {
  return corsOrigins(list).includes(origin) ? origin : null;
}

/**
 * An app with the API's global middleware, in order: request context, cache headers, security
 * headers, CORS, the configuration check, the global rate limit, the body limit. Every app the
 * Worker serves (the whole API, or one area of it: src/areas.ts) starts here and ends with `finish`.
 */
export function createShell() {
  const app = createRouter();
  app.use('*', requestContext);
  app.use('*', authenticatedCacheControl);
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
      exposeHeaders: ['X-Request-Id', 'Retry-After', 'ETag', 'RateLimit-Policy', 'RateLimit'],
      maxAge: 600,
    })(c, next),
  );
  app.use('*', configurationGuard);
  // After CORS (a 429 carries the CORS headers; preflights, answered by CORS, are not counted) and
  // after the configuration check (a Worker that cannot serve counts nothing).
  app.use('*', apiRateLimit);
  app.use('*', (c, next) =>
    // The avatar upload applies its own 5 MB limit (modules/avatars/routes/upload-avatar.ts).
    c.req.method === 'POST' && c.req.path === AVATAR_UPLOAD_PATH
      ? next()
      : bodyLimit({
          maxSize: Number(c.env.MAX_BODY_BYTES) || DEFAULT_MAX_BODY_BYTES,
          onError: () => {
            throw new ApiError('PAYLOAD_TOO_LARGE', 'Request body too large');
          },
        })(c, next),
  );
  return app;
}

/** The error envelope for thrown errors, and 404 or 405 (with `Allow`) for what none of the app's routes match. */
export function finish(app: OpenAPIHono<AppEnv>) {
  app.onError(handleError);
  app.notFound(notFoundHandler(() => app.routes));
}
