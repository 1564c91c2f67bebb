import type { MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../context';
import { ApiError } from '../lib/errors';
import { serviceContext } from '../lib/service-context';
import { isAuthorizationRefusal, recordRefusal } from '../modules/audit/refusals';
import { permits } from '../modules/auth/services/principal';
import { authenticate } from './authenticate';

export type Permission = `${string}:${string}`;

export interface AccessOptions {
  /**
   * Whether API keys may call the operation (with a scope covering the permission). Credentials
   * management (keys, sessions, password, email, two-factor, re-authentication) says `false`:
   * only a signed-in user's session reaches it.
   */
  apiKeys: boolean;
}

type Security = Record<string, string[]>[];
const userOrKey: Security = [{ bearerAuth: [] }, { apiKeyAuth: [] }];
const userOnly: Security = [{ bearerAuth: [] }];

/** What a protected route spreads into its `createRoute` config. */
interface AccessConfig {
  security: Security;
  middleware: MiddlewareHandler<AppEnv>[];
  'x-required-permission'?: string;
  'x-api-keys': boolean;
}

/**
 * The one authorization step, after `authenticate`: refuses API keys where the operation is for
 * sessions only (403 API_KEY_NOT_ALLOWED), then checks the permission against the actor's
 * (a user's effective permissions, or a key's scopes that its owner still holds; 403 FORBIDDEN).
 * Every authorization refusal of the request, here or in the service (grant containment,
 * protected targets, the last administrator), leaves an audit row and a security event.
 */
const requireAccess = (permission: Permission | null, options: AccessOptions) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const actor = c.get('actor');
    if (!actor) throw new ApiError('UNAUTHORIZED', 'Missing or invalid credentials');
    let refusal: ApiError | undefined;
    if (actor.type === 'api_key' && !options.apiKeys) {
      refusal = new ApiError('API_KEY_NOT_ALLOWED', 'This operation needs a signed-in user: API keys cannot manage credentials');
    } else if (permission && !permits(actor.permissions, permission)) {
      refusal = new ApiError('FORBIDDEN', `Requires the permission ${permission}`);
    }
    if (refusal) {
      await recordRefusal(serviceContext(c), { method: c.req.method, path: c.req.path, code: refusal.code, permission });
      throw refusal;
    }
    await next();
    // Hono hands a handler's error to the app's error handler and leaves it in `c.error`.
    const error = c.error;
    if (error instanceof ApiError && isAuthorizationRefusal(error.code)) {
      await recordRefusal(serviceContext(c), { method: c.req.method, path: c.req.path, code: error.code, permission });
    }
  });

/**
 * A protected operation: signed in (access token, or API key unless `apiKeys: false`), holding
 * `permission`. Shown in the OpenAPI document as `x-required-permission` and `x-api-keys`.
 */
export function protectedAccess(permission: Permission, options: AccessOptions = { apiKeys: true }): AccessConfig {
  return {
    security: options.apiKeys ? userOrKey : userOnly,
    middleware: [authenticate, requireAccess(permission, options)],
    'x-required-permission': permission,
    'x-api-keys': options.apiKeys,
  };
}

/**
 * An operation on the caller's own session that every signed-in user keeps whatever their roles
 * (who am I, sign out): a user session, no permission, never an API key.
 */
export function sessionAccess(): AccessConfig {
  const options = { apiKeys: false };
  return { security: userOnly, middleware: [authenticate, requireAccess(null, options)], 'x-api-keys': false };
}
