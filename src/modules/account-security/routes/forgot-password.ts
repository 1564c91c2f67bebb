import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent, publicAccess } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { rateLimitByIp } from '../../../middleware/rate-limit';
import { EmailBodySchema, MessageResultSchema } from '../schemas';
import { forgotPassword } from '../services/password';

export const forgotPasswordRoute = createRoute({
  method: 'post',
  path: '/api/auth/forgot-password',
  operationId: 'forgotPassword',
  tags: ['Account security'],
  summary: 'Email a password reset link',
  description:
    'The same answer whether or not the address belongs to an account. For an account that may sign in, a link valid one hour ' +
    '(single use; a new request invalidates older links) is emailed after the response. Rate limited per IP and per address.',
  ...publicAccess,
  middleware: [rateLimitByIp('forgot-password')] as const,
  request: { body: { required: true, content: { 'application/json': { schema: EmailBodySchema } } } },
  responses: {
    200: jsonContent(successSchema(MessageResultSchema), 'Accepted (whether or not an email was sent)'),
    ...errorResponses(400, 413, 415, 429, 500, 503),
  },
});

export const forgotPasswordHandler: RouteHandler<typeof forgotPasswordRoute, AppEnv> = async (c) =>
  ok(c, await forgotPassword(serviceContext(c), c.req.valid('json').email));
