import { accountSecurityRoutes, devOutboxRoutes } from './modules/account-security';
import { apiKeysRoutes } from './modules/api-keys';
import { auditRoutes } from './modules/audit';
import { authRoutes } from './modules/auth';
import { avatarsRoutes } from './modules/avatars';
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
import { isLocalEnvironment } from './lib/config';
import { buildOpenApiDocument, registerSecuritySchemes } from './openapi';
import { createShell, finish } from './shell';

export interface AppOptions {
  /** The deployment's APP_ENV: development-only routes (the email outbox) exist only in `development` and `test`. */
  environment?: Env['APP_ENV'];
}

/**
 * The whole API in one app: every module's routes behind the global middleware, and the OpenAPI
 * document generated from them. It serves the document and the reference page, and is what the
 * published document and the typed client are built from; the Worker serves every other request
 * from the app of one area (src/areas.ts).
 */
export function createApp(options: AppOptions = {}) {
  const app = createShell();
  registerSecuritySchemes(app);

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

  if (isLocalEnvironment(options.environment)) app.route('/', devOutboxRoutes);

  let document: { version: string; body: unknown } | undefined;
  app.route(
    '/api',
    docsRoutes((version) => {
      if (document?.version !== version) document = { version, body: buildOpenApiDocument(app, version) };
      return document.body;
    }),
  );
  finish(app);
  return routes;
}

/** The production app: the published OpenAPI document and the typed client. */
export const app = createApp({ environment: 'production' });
export type AppType = typeof app;
