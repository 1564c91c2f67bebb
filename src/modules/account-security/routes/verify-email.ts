import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent, publicAccess } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { rateLimitByIp } from '../../../middleware/rate-limit';
import { VerifyEmailBodySchema, VerifyEmailResultSchema } from '../schemas';
import { verifyEmail } from '../services/email-verification';

export const verifyEmailRoute = createRoute({
  method: 'post',
  path: '/api/auth/verify-email',
  operationId: 'verifyEmail',
  tags: ['Account security'],
  summary: 'Verify an email address with the token from the email',
  description:
    'Verifies the account\'s address (a `pending` account becomes `active`) or, for a link sent by an email change, replaces the address with the new one. ' +
    'A token is valid 24 hours and works once; a token for an address the account no longer has is refused (400 INVALID_TOKEN, `details.reason`: unknown, used or address_changed). ' +
    'An expired one is 400 LINK_EXPIRED. Rate limited per IP.',
  ...publicAccess,
  middleware: [rateLimitByIp('verify-email')] as const,
  request: { body: { required: true, content: { 'application/json': { schema: VerifyEmailBodySchema } } } },
  responses: {
    200: jsonContent(successSchema(VerifyEmailResultSchema), 'Verified'),
    ...errorResponses(400, 409, 413, 415, 429, 500, 503),
  },
});

export const verifyEmailHandler: RouteHandler<typeof verifyEmailRoute, AppEnv> = async (c) =>
  ok(c, await verifyEmail(serviceContext(c), c.req.valid('json').token));
