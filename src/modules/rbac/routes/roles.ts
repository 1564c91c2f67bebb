import { createRoute, z, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { created, ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { CreateRoleSchema, IdParamsSchema, RolePermissionsSchema, RoleSchema, UpdateRoleSchema } from '../schemas';
import { changeRolePermissions, createRole, deleteRole, getRole, listRoles, updateRole } from '../services/rbac';

const json = <T extends z.ZodType>(schema: T) => ({ required: true, content: { 'application/json': { schema } } });

export const listRolesRoute = createRoute({
  method: 'get', path: '/api/roles', operationId: 'listRoles', tags: ['Roles & permissions'], summary: 'List roles with their permissions',
  ...protectedAccess('roles:read'),
  responses: { 200: jsonContent(successSchema(z.array(RoleSchema)), 'Roles'), ...errorResponses(401, 403, 500, 503) },
});
export const listRolesHandler: RouteHandler<typeof listRolesRoute, AppEnv> = async (c) => ok(c, await listRoles(serviceContext(c)));

export const getRoleRoute = createRoute({
  method: 'get', path: '/api/roles/{id}', operationId: 'getRole', tags: ['Roles & permissions'], summary: 'Get a role',
  ...protectedAccess('roles:read'),
  request: { params: IdParamsSchema },
  responses: { 200: jsonContent(successSchema(RoleSchema), 'The role'), ...errorResponses(400, 401, 403, 404, 500, 503) },
});
export const getRoleHandler: RouteHandler<typeof getRoleRoute, AppEnv> = async (c) => ok(c, await getRole(serviceContext(c), c.req.valid('param').id));

export const createRoleRoute = createRoute({
  method: 'post', path: '/api/roles', operationId: 'createRole', tags: ['Roles & permissions'], summary: 'Create a role',
  ...protectedAccess('roles:create'),
  request: { body: json(CreateRoleSchema) },
  responses: { 201: jsonContent(successSchema(RoleSchema), 'Created'), ...errorResponses(400, 401, 403, 409, 413, 415, 500, 503) },
});
export const createRoleHandler: RouteHandler<typeof createRoleRoute, AppEnv> = async (c) => created(c, await createRole(serviceContext(c), c.req.valid('json')));

export const updateRoleRoute = createRoute({
  method: 'patch', path: '/api/roles/{id}', operationId: 'updateRole', tags: ['Roles & permissions'], summary: 'Rename or describe a role',
  description: 'The system roles `admin` and `user` cannot be renamed (403 CANNOT_CHANGE_SYSTEM_ROLE).',
  ...protectedAccess('roles:update'),
  request: { params: IdParamsSchema, body: json(UpdateRoleSchema) },
  responses: { 200: jsonContent(successSchema(RoleSchema), 'Updated'), ...errorResponses(400, 401, 403, 404, 409, 413, 415, 500, 503) },
});
export const updateRoleHandler: RouteHandler<typeof updateRoleRoute, AppEnv> = async (c) => ok(c, await updateRole(serviceContext(c), c.req.valid('param').id, c.req.valid('json')));

export const deleteRoleRoute = createRoute({
  method: 'delete', path: '/api/roles/{id}', operationId: 'deleteRole', tags: ['Roles & permissions'], summary: 'Delete a role',
  description: 'The system roles `admin` and `user` cannot be deleted. Users holding the role lose it.',
  ...protectedAccess('roles:delete'),
  request: { params: IdParamsSchema },
  responses: { 200: jsonContent(successSchema(z.object({ deleted: z.literal(true) })), 'Deleted'), ...errorResponses(400, 401, 403, 404, 500, 503) },
});
export const deleteRoleHandler: RouteHandler<typeof deleteRoleRoute, AppEnv> = async (c) => {
  await deleteRole(serviceContext(c), c.req.valid('param').id);
  return ok(c, { deleted: true as const });
};

const permissionsRoute = (method: 'put' | 'post' | 'delete', operationId: string, summary: string) =>
  createRoute({
    method, path: '/api/roles/{id}/permissions', operationId, tags: ['Roles & permissions'], summary,
    description: 'Permissions are named `resource:action`; an unknown one is a 400 and nothing changes. Takes effect on the next request of affected users in this location (see README: permission epochs).',
    ...protectedAccess('permissions:assign'),
    request: { params: IdParamsSchema, body: json(RolePermissionsSchema) },
    responses: { 200: jsonContent(successSchema(RoleSchema), 'The role with its permissions'), ...errorResponses(400, 401, 403, 404, 413, 415, 500, 503) },
  });

export const replaceRolePermissionsRoute = permissionsRoute('put', 'replaceRolePermissions', "Replace a role's permissions");
export const replaceRolePermissionsHandler: RouteHandler<typeof replaceRolePermissionsRoute, AppEnv> = async (c) =>
  ok(c, await changeRolePermissions(serviceContext(c), c.req.valid('param').id, 'replace', c.req.valid('json').permissions));

export const grantRolePermissionsRoute = permissionsRoute('post', 'grantRolePermissions', 'Grant permissions to a role');
export const grantRolePermissionsHandler: RouteHandler<typeof grantRolePermissionsRoute, AppEnv> = async (c) =>
  ok(c, await changeRolePermissions(serviceContext(c), c.req.valid('param').id, 'add', c.req.valid('json').permissions));

export const revokeRolePermissionsRoute = permissionsRoute('delete', 'revokeRolePermissions', 'Revoke permissions from a role');
export const revokeRolePermissionsHandler: RouteHandler<typeof revokeRolePermissionsRoute, AppEnv> = async (c) =>
  ok(c, await changeRolePermissions(serviceContext(c), c.req.valid('param').id, 'remove', c.req.valid('json').permissions));
