import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent, publicAccess } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { rateLimitByIp } from '../../../middleware/rate-limit';
import { EmailBodySchema, MessageResultSchema } from '../schemas';
import { resendVerification } from '../services/email-verification';

export const resendVerificationRoute = createRoute({
  method: 'post',
  path: '/api/auth/resend-verification',
  operationId: 'resendVerification',
  tags: ['Account security'],
  summary: 'Send a new email verification link',
  description:
    'Sends a new link to the address when it belongs to an account that still needs verifying; older links stop working. ' +
    'The answer is the same for every address. Rate limited per IP and per address.',
  ...publicAccess,
  middleware: [rateLimitByIp('resend-verification')] as const,
  request: { body: { required: true, content: { 'application/json': { schema: EmailBodySchema } } } },
  responses: {
    200: jsonContent(successSchema(MessageResultSchema), 'Accepted (whether or not an email was sent)'),
    ...errorResponses(400, 413, 415, 429, 500, 503),
  },
});

export const resendVerificationHandler: RouteHandler<typeof resendVerificationRoute, AppEnv> = async (c) =>
  ok(c, await resendVerification(serviceContext(c), c.req.valid('json').email));
