import { createRoute, z, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { created, ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { AssignRoleSchema, CreatePermissionSchema, IdParamsSchema, PermissionSchema, UserRoleParamsSchema } from '../schemas';
import { assignRole, createPermission, deletePermission, listPermissions, revokeRole } from '../services/rbac';

export const listPermissionsRoute = createRoute({
  method: 'get', path: '/api/permissions', operationId: 'listPermissions', tags: ['Roles & permissions'], summary: 'List permissions',
  ...protectedAccess('permissions:read'),
  responses: { 200: jsonContent(successSchema(z.array(PermissionSchema)), 'Permissions'), ...errorResponses(401, 403, 500, 503) },
});
export const listPermissionsHandler: RouteHandler<typeof listPermissionsRoute, AppEnv> = async (c) => ok(c, await listPermissions(serviceContext(c)));

export const createPermissionRoute = createRoute({
  method: 'post', path: '/api/permissions', operationId: 'createPermission', tags: ['Roles & permissions'], summary: 'Create a permission',
  ...protectedAccess('permissions:assign'),
  request: { body: { required: true, content: { 'application/json': { schema: CreatePermissionSchema } } } },
  responses: { 201: jsonContent(successSchema(PermissionSchema), 'Created'), ...errorResponses(400, 401, 403, 409, 413, 415, 500, 503) },
});
export const createPermissionHandler: RouteHandler<typeof createPermissionRoute, AppEnv> = async (c) => created(c, await createPermission(serviceContext(c), c.req.valid('json')));

export const deletePermissionRoute = createRoute({
  method: 'delete', path: '/api/permissions/{id}', operationId: 'deletePermission', tags: ['Roles & permissions'], summary: 'Delete a permission',
  description: 'Removes it from every role. `*:*` cannot be deleted.',
  ...protectedAccess('permissions:assign'),
  request: { params: IdParamsSchema },
  responses: { 200: jsonContent(successSchema(z.object({ deleted: z.literal(true) })), 'Deleted'), ...errorResponses(400, 401, 403, 404, 500, 503) },
});
export const deletePermissionHandler: RouteHandler<typeof deletePermissionRoute, AppEnv> = async (c) => {
  await deletePermission(serviceContext(c), c.req.valid('param').id);
  return ok(c, { deleted: true as const });
};

export const assignUserRoleRoute = createRoute({
  method: 'post', path: '/api/users/{id}/roles', operationId: 'assignUserRole', tags: ['Roles & permissions'], summary: 'Assign a role to a user',
  ...protectedAccess('roles:update'),
  request: { params: IdParamsSchema, body: { required: true, content: { 'application/json': { schema: AssignRoleSchema } } } },
  responses: { 200: jsonContent(successSchema(z.object({ userId: z.uuid(), roleId: z.uuid(), assigned: z.literal(true) })), 'Assigned'), ...errorResponses(400, 401, 403, 404, 413, 415, 500, 503) },
});
export const assignUserRoleHandler: RouteHandler<typeof assignUserRoleRoute, AppEnv> = async (c) => {
  const { id } = c.req.valid('param');
  const { roleId } = c.req.valid('json');
  await assignRole(serviceContext(c), id, roleId);
  return ok(c, { userId: id, roleId, assigned: true as const });
};

export const revokeUserRoleRoute = createRoute({
  method: 'delete', path: '/api/users/{id}/roles/{roleId}', operationId: 'revokeUserRole', tags: ['Roles & permissions'], summary: 'Revoke a role from a user',
  description: 'An administrator cannot remove their own admin role (403 CANNOT_REMOVE_OWN_ADMIN_ROLE).',
  ...protectedAccess('roles:update'),
  request: { params: UserRoleParamsSchema },
  responses: { 200: jsonContent(successSchema(z.object({ userId: z.uuid(), roleId: z.uuid(), revoked: z.literal(true) })), 'Revoked'), ...errorResponses(400, 401, 403, 404, 500, 503) },
});
export const revokeUserRoleHandler: RouteHandler<typeof revokeUserRoleRoute, AppEnv> = async (c) => {
  const { id, roleId } = c.req.valid('param');
  await revokeRole(serviceContext(c), id, roleId);
  return ok(c, { userId: id, roleId, revoked: true as const });
};
