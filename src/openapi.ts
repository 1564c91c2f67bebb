import type { OpenAPIHono } from '@hono/zod-openapi';
import { version as packageVersion } from '../package.json';
import type { AppEnv } from './context';

export const API_TITLE = 'AegisX Edge API';

/** The API's version: package.json's, the one source of release numbers (tags `vX.Y.Z`, CHANGELOG.md). */
export const API_VERSION: string = packageVersion;

export const openApiTags = [
  { name: 'System', description: 'Health and service information' },
  { name: 'Auth', description: 'Registration, login, tokens, sessions' },
  { name: 'Account security', description: 'Email verification, password reset and change, two-factor authentication (TOTP, backup codes), re-authentication' },
  { name: 'Users', description: 'User administration: search, create, update, status, sessions, soft and hard delete' },
  { name: 'Roles & permissions', description: 'Database-backed RBAC: roles, resource:action permissions, role assignment' },
  { name: 'API keys', description: 'Scoped API keys (`X-API-Key`), shown once, stored hashed' },
  { name: 'Audit', description: 'The audit trail and security events' },
  { name: 'Navigation', description: 'Permission-filtered, personalised navigation trees; their administration and user preferences' },
  { name: 'Profile', description: 'The caller’s profile and preferences' },
  { name: 'Settings', description: 'The caller’s settings by group, and typed key-value settings validated by templates' },
  { name: 'Setting templates', description: 'Defaults, data types and JSON Schema rules of the typed user settings' },
  { name: 'System settings', description: 'Application settings: public ones served from the edge cache, typed administration' },
  { name: 'Themes', description: 'Themes: the active ones served from the edge cache, administration with exactly one default' },
  { name: 'Avatars', description: 'Avatar upload (JPEG, PNG, WebP) with thumbnails rendered in the Worker and stored in R2; public cached images' },
  { name: 'Notifications', description: 'The inbox, admin notifications to users and roles, per-type preferences with quiet hours' },
];

/** Registers the security schemes the routes refer to. */
export function registerSecuritySchemes(app: OpenAPIHono<AppEnv>) {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'Access token from `POST /api/auth/login` or `POST /api/auth/refresh` (15 minutes by default).',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKeyAuth', {
    type: 'apiKey',
    in: 'header',
    name: 'X-API-Key',
    description: 'API key `ak_<8 hex>_<64 hex>` from `POST /api/api-keys` (also accepted as `Authorization: Bearer ak_…`); limited to its scopes.',
  });
}

/** The OpenAPI 3.1 document generated from the zod route definitions; `info.version` is package.json's unless told otherwise. */
export function buildOpenApiDocument(app: OpenAPIHono<AppEnv>, version: string = API_VERSION) {
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
