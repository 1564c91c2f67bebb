import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { sessionAccess } from '../../../middleware/access';
import { clearRefreshCookie } from '../cookies';
import { LogoutBodySchema, LogoutResultSchema } from '../schemas';
import { logout } from '../services/sessions';

export const logoutRoute = createRoute({
  method: 'post',
  path: '/api/auth/logout',
  operationId: 'logout',
  tags: ['Auth'],
  summary: 'Sign out of this session, or of every device',
  ...sessionAccess(),
  request: { body: { required: false, content: { 'application/json': { schema: LogoutBodySchema } } } },
  responses: {
    200: jsonContent(successSchema(LogoutResultSchema), 'Signed out'),
    ...errorResponses(400, 401, 413, 415, 500, 503),
  },
});

export const logoutHandler: RouteHandler<typeof logoutRoute, AppEnv> = async (c) => {
  const result = await logout(serviceContext(c), c.req.valid('json').allDevices ?? false);
  clearRefreshCookie(c);
  return ok(c, result);
};
