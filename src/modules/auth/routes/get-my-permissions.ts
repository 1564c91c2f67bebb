import { createRoute, z, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { ApiError } from '../../../lib/errors';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { sessionAccess } from '../../../middleware/access';

export const MyPermissionsSchema = z
  .object({
    userId: z.uuid(),
    roles: z.array(z.string()).openapi({ description: 'The names of the roles the caller holds now', example: ['user'] }),
    permissions: z.array(z.string()).openapi({
      description: 'The effective permissions, `resource:action` (`*:*` and `resource:*` are wildcards): exactly what the API checks',
      example: ['profile:read', 'profile:update', 'settings:*'],
    }),
  })
  .openapi('MyPermissions');

export const getMyPermissionsRoute = createRoute({
  method: 'get',
  path: '/api/auth/permissions',
  operationId: 'getMyPermissions',
  tags: ['Auth'],
  summary: 'The caller’s effective roles and permissions (to show and hide actions)',
  description:
    'The roles and permissions every authorization check of this request uses: the access token’s, or, when the caller’s roles ' +
    'or their roles’ grants changed after the token was issued, the ones re-read for the request (the permission epochs). ' +
    'So the answer never disagrees with what the API enforces. No database round trip in the common case, one after a change.',
  ...sessionAccess(),
  responses: {
    200: jsonContent(successSchema(MyPermissionsSchema), 'The caller’s roles and permissions'),
    ...errorResponses(401, 403, 429, 500, 503),
  },
});

export const getMyPermissionsHandler: RouteHandler<typeof getMyPermissionsRoute, AppEnv> = (c) => {
  const actor = c.get('actor');
  if (!actor) throw new ApiError('UNAUTHORIZED', 'Missing or invalid credentials');
  return ok(c, { userId: actor.userId, roles: [...actor.roles].sort(), permissions: [...actor.permissions].sort() });
};
