import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { created, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent, publicAccess } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { rateLimitByIp } from '../../../middleware/rate-limit';
import { RegisterBodySchema, RegisteredUserSchema } from '../schemas';
import { register } from '../services/register';

export const registerRoute = createRoute({
  method: 'post',
  path: '/api/auth/register',
  operationId: 'register',
  tags: ['Auth'],
  summary: 'Create an account',
  description:
    'Creates a user with the `user` role, status `pending` until the email address is verified. Closed when the system setting `features.registration_enabled` is false (403 REGISTRATION_DISABLED). Rate limited per IP.',
  ...publicAccess,
  middleware: [rateLimitByIp('register')] as const,
  request: { body: { required: true, content: { 'application/json': { schema: RegisterBodySchema } } } },
  responses: {
    201: jsonContent(successSchema(RegisteredUserSchema), 'The new account'),
    ...errorResponses(400, 403, 409, 413, 415, 429, 500, 503),
  },
});

export const registerHandler: RouteHandler<typeof registerRoute, AppEnv> = async (c) => {
  const user = await register(serviceContext(c), c.req.valid('json'));
  return created(c, user);
};
