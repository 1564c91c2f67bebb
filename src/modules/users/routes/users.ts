import { createRoute, z, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { created, listSchema, ok, okList, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { AdminUserSchema, CreateUserSchema, IdParamsSchema, ListUsersQuerySchema, StatusSchema, UpdateUserSchema, UserSessionParamsSchema, UserSessionSchema } from '../schemas';
import * as users from '../services/users';

const tags = ['Users'];
const json = <T extends z.ZodType>(schema: T) => ({ required: true, content: { 'application/json': { schema } } });
const Done = z.object({ done: z.literal(true) });

export const listUsersRoute = createRoute({
  method: 'get', path: '/api/users', operationId: 'listUsers', tags, summary: 'List users (search, filters, sort, pagination)',
  ...protectedAccess('users:read'),
  request: { query: ListUsersQuerySchema },
  responses: { 200: jsonContent(listSchema(AdminUserSchema), 'A page of users with the total'), ...errorResponses(400, 401, 403, 500, 503) },
});
export const listUsersHandler: RouteHandler<typeof listUsersRoute, AppEnv> = async (c) => {
  const { items, pagination } = await users.listUsers(serviceContext(c), c.req.valid('query'));
  return okList(c, items, pagination);
};

export const getUserRoute = createRoute({
  method: 'get', path: '/api/users/{id}', operationId: 'getUser', tags, summary: 'Get a user',
  ...protectedAccess('users:read'),
  request: { params: IdParamsSchema },
  responses: { 200: jsonContent(successSchema(AdminUserSchema), 'The user'), ...errorResponses(400, 401, 403, 404, 500, 503) },
});
export const getUserHandler: RouteHandler<typeof getUserRoute, AppEnv> = async (c) => ok(c, await users.getUser(serviceContext(c), c.req.valid('param').id));

export const createUserRoute = createRoute({
  method: 'post', path: '/api/users', operationId: 'createUser', tags, summary: 'Create a user',
  ...protectedAccess('users:create'),
  request: { body: json(CreateUserSchema) },
  responses: { 201: jsonContent(successSchema(AdminUserSchema), 'Created'), ...errorResponses(400, 401, 403, 409, 413, 415, 500, 503) },
});
export const createUserHandler: RouteHandler<typeof createUserRoute, AppEnv> = async (c) => created(c, await users.createUser(serviceContext(c), c.req.valid('json')));

export const updateUserRoute = createRoute({
  method: 'patch', path: '/api/users/{id}', operationId: 'updateUser', tags, summary: 'Update a user',
  ...protectedAccess('users:update'),
  request: { params: IdParamsSchema, body: json(UpdateUserSchema) },
  responses: { 200: jsonContent(successSchema(AdminUserSchema), 'Updated'), ...errorResponses(400, 401, 403, 404, 409, 413, 415, 500, 503) },
});
export const updateUserHandler: RouteHandler<typeof updateUserRoute, AppEnv> = async (c) => ok(c, await users.updateUser(serviceContext(c), c.req.valid('param').id, c.req.valid('json')));

export const changeUserStatusRoute = createRoute({
  method: 'put', path: '/api/users/{id}/status', operationId: 'changeUserStatus', tags, summary: "Change a user's status",
  description: 'Suspending or deactivating revokes every session of the user at once. Administrators cannot change their own status.',
  ...protectedAccess('users:update'),
  request: { params: IdParamsSchema, body: json(StatusSchema) },
  responses: { 200: jsonContent(successSchema(AdminUserSchema), 'Updated'), ...errorResponses(400, 401, 403, 404, 413, 415, 500, 503) },
});
export const changeUserStatusHandler: RouteHandler<typeof changeUserStatusRoute, AppEnv> = async (c) => {
  const body = c.req.valid('json');
  return ok(c, await users.changeStatus(serviceContext(c), c.req.valid('param').id, body.status, body.reason));
};

export const listUserSessionsRoute = createRoute({
  method: 'get', path: '/api/users/{id}/sessions', operationId: 'listUserSessions', tags, summary: "A user's active sessions",
  ...protectedAccess('users:read'),
  request: { params: IdParamsSchema },
  responses: { 200: jsonContent(successSchema(z.array(UserSessionSchema)), 'Sessions'), ...errorResponses(400, 401, 403, 500, 503) },
});
export const listUserSessionsHandler: RouteHandler<typeof listUserSessionsRoute, AppEnv> = async (c) => ok(c, await users.listUserSessions(serviceContext(c), c.req.valid('param').id));

export const revokeUserSessionRoute = createRoute({
  method: 'delete', path: '/api/users/{id}/sessions/{sessionId}', operationId: 'revokeUserSession', tags, summary: "Revoke one of a user's sessions",
  ...protectedAccess('users:update'),
  request: { params: UserSessionParamsSchema },
  responses: { 200: jsonContent(successSchema(z.object({ revokedSessions: z.number().int() })), 'Revoked'), ...errorResponses(400, 401, 403, 404, 500, 503) },
});
export const revokeUserSessionHandler: RouteHandler<typeof revokeUserSessionRoute, AppEnv> = async (c) => {
  const { id, sessionId } = c.req.valid('param');
  return ok(c, await users.revokeUserSessions(serviceContext(c), id, sessionId));
};

export const revokeAllUserSessionsRoute = createRoute({
  method: 'delete', path: '/api/users/{id}/sessions', operationId: 'revokeAllUserSessions', tags, summary: "Revoke every session of a user",
  ...protectedAccess('users:update'),
  request: { params: IdParamsSchema },
  responses: { 200: jsonContent(successSchema(z.object({ revokedSessions: z.number().int() })), 'Revoked'), ...errorResponses(400, 401, 403, 500, 503) },
});
export const revokeAllUserSessionsHandler: RouteHandler<typeof revokeAllUserSessionsRoute, AppEnv> = async (c) => ok(c, await users.revokeUserSessions(serviceContext(c), c.req.valid('param').id));

export const deleteUserRoute = createRoute({
  method: 'delete', path: '/api/users/{id}', operationId: 'deleteUser', tags, summary: 'Soft-delete a user',
  description: 'Sets `deleted_at`, revokes every session, hides the user from lists and login. The email and username stay reserved so that the account can be restored.',
  ...protectedAccess('users:delete'),
  request: { params: IdParamsSchema },
  responses: { 200: jsonContent(successSchema(Done), 'Deleted'), ...errorResponses(400, 401, 403, 404, 500, 503) },
});
export const deleteUserHandler: RouteHandler<typeof deleteUserRoute, AppEnv> = async (c) => {
  await users.softDeleteUser(serviceContext(c), c.req.valid('param').id);
  return ok(c, { done: true as const });
};

export const restoreUserRoute = createRoute({
  method: 'post', path: '/api/users/{id}/restore', operationId: 'restoreUser', tags, summary: 'Restore a soft-deleted user',
  ...protectedAccess('users:delete'),
  request: { params: IdParamsSchema },
  responses: { 200: jsonContent(successSchema(AdminUserSchema), 'Restored'), ...errorResponses(400, 401, 403, 404, 500, 503) },
});
export const restoreUserHandler: RouteHandler<typeof restoreUserRoute, AppEnv> = async (c) => ok(c, await users.restoreUser(serviceContext(c), c.req.valid('param').id));

export const purgeUserRoute = createRoute({
  method: 'delete', path: '/api/users/{id}/permanent', operationId: 'purgeUser', tags, summary: 'Delete a user permanently',
  description: 'Deletes the row and everything that belongs to it; audit rows remain (their user is set to null).',
  ...protectedAccess('users:delete'),
  request: { params: IdParamsSchema },
  responses: { 200: jsonContent(successSchema(Done), 'Deleted'), ...errorResponses(400, 401, 403, 404, 500, 503) },
});
export const purgeUserHandler: RouteHandler<typeof purgeUserRoute, AppEnv> = async (c) => {
  await users.purgeUser(serviceContext(c), c.req.valid('param').id);
  return ok(c, { done: true as const });
};
