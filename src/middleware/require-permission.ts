import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../context';
import { ApiError } from '../lib/errors';
import { permits } from '../modules/auth/services/principal';

/** 403 unless the actor's permissions (wildcards `*:*`, `resource:*`) cover `permission`. */
export const requirePermission = (permission: `${string}:${string}`) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const actor = c.get('actor');
    if (!actor) throw new ApiError('UNAUTHORIZED', 'Missing or invalid access token');
    if (!permits(actor.permissions, permission)) {
      throw new ApiError('FORBIDDEN', `Requires the permission ${permission}`);
    }
    await next();
  });
