import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';
import { apiRateLimit } from './lib/api-rate-limit';
import { authenticatedCacheControl } from './lib/cache-control';
import { configurationGuard, corsOrigins } from './lib/config';
import { ApiError } from './lib/errors';
import { handleError, notFoundHandler } from './lib/http-errors';
import { createRouter } from './lib/router';
import { requestContext } from './middleware/context';
import { accountSecurityRoutes, devOutboxRoutes } from './modules/account-security';
import { apiKeysRoutes } from './modules/api-keys';
import { auditRoutes } from './modules/audit';
import { authRoutes } from './modules/auth';
import { AVATAR_UPLOAD_PATH, avatarsRoutes } from './modules/avatars';
import { docsRoutes } from './modules/docs';
import { healthRoutes } from './modules/health';
import { jobsRoutes } from './modules/jobs';
import { navigationRoutes } from './modules/navigation';
import { notificationsRoutes } from './modules/notifications';
import { preferencesRoutes } from './modules/preferences';
import { profileRoutes } from './modules/profile';
import { rbacRoutes } from './modules/rbac';
import { settingTemplatesRoutes } from './modules/setting-templates';
import { systemSettingsRoutes } from './modules/system-settings';
import { themesRoutes } from './modules/themes';
import { userSettingsRoutes } from './modules/user-settings';
import { usersRoutes } from './modules/users';
import type { Env } from './env';
import { buildOpenApiDocument, registerSecuritySchemes } from './openapi';

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** The request's origin when CORS_ORIGINS lists it exactly; never a wildcard or `null` (the API allows credentials, see lib/config.ts). */
function allowedOrigin(origin: string, list: string): string | null {
  return corsOrigins(list).includes(origin) ? origin : null;
}

export interface AppOptions {
  /** The deployment's APP_ENV: development-only routes (the email outbox) exist only in `development` and `test`. */
  environment?: Env['APP_ENV'];
}

/** Builds the Worker's Hono app: global middleware, every module's routes, the OpenAPI document. */
export function createApp(options: AppOptions = {}) {
  const app = createRouter();
  registerSecuritySchemes(app);

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

  // Modules with fixed paths under /api/users (profile, preferences, avatar, me) come before usersRoutes,
  // whose /api/users/{id} would otherwise match them.
  const routes = app
    .route('/', healthRoutes)
    .route('/', authRoutes)
    .route('/', accountSecurityRoutes)
    .route('/', navigationRoutes)
    .route('/', systemSettingsRoutes)
    .route('/', themesRoutes)
    .route('/', profileRoutes)
    .route('/', preferencesRoutes)
    .route('/', userSettingsRoutes)
    .route('/', settingTemplatesRoutes)
    .route('/', apiKeysRoutes)
    .route('/', rbacRoutes)
    .route('/', auditRoutes)
    .route('/', avatarsRoutes)
    .route('/', notificationsRoutes)
    .route('/', jobsRoutes)
    .route('/', usersRoutes);

  // Only in an explicitly local environment: a missing or unknown APP_ENV gets the production routes.
  if (options.environment === 'development' || options.environment === 'test') app.route('/', devOutboxRoutes);

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

/** The production app: the Worker in production, the published OpenAPI document, the typed client. */
export const app = createApp({ environment: 'production' });
export type AppType = typeof app;

const apps = new Map<string, typeof app>([['production', app]]);

/** The app for a deployment's APP_ENV, built once per isolate. */
export function appFor(environment: Env['APP_ENV']): typeof app {
  let built = apps.get(environment);
  if (!built) {
    built = createApp({ environment });
    apps.set(environment, built);
  }
  return built;
}
