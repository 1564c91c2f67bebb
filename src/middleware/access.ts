import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../context';
import { authenticate } from './authenticate';
import { requirePermission } from './require-permission';

const security: Record<string, string[]>[] = [{ bearerAuth: [] }, { apiKeyAuth: [] }];

/**
 * What a protected route spreads into its `createRoute` config: the security requirement, the
 * middleware (authenticate, then the permission check), and the permission shown in the OpenAPI
 * document (`x-required-permission`).
 */
export function protectedAccess(permission?: `${string}:${string}`): {
  security: Record<string, string[]>[];
  middleware: MiddlewareHandler<AppEnv>[];
  'x-required-permission'?: string;
} {
  return permission
    ? { security, middleware: [authenticate, requirePermission(permission)], 'x-required-permission': permission }
    : { security, middleware: [authenticate] };
}
