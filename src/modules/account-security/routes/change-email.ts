import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { ChangeEmailBodySchema, EmailChangeSchema } from '../schemas';
import { requestEmailChange } from '../services/email-verification';

export const changeEmailRoute = createRoute({
  method: 'put',
  path: '/api/auth/email',
  operationId: 'changeEmail',
  tags: ['Account security'],
  summary: 'Change the email address (after verifying the new one)',
  description:
    'Sends a verification link to the new address and a notice to the current one. The account keeps its current address until the link ' +
    'is used (`POST /api/auth/verify-email`). Needs a fresh proof of identity (403 REAUTHENTICATION_REQUIRED: see `POST /api/auth/reauthenticate`). ' +
    'Outstanding reset and verification links stop working; every other session is signed out unless `revokeOtherSessions` is false, and every ' +
    'API key is revoked when `revokeApiKeys` is true. Pending two-factor sign-in challenges stop working once the new address is verified. ' +
    '409 EMAIL_ALREADY_EXISTS when another account has the address.',
  ...protectedAccess('profile:security', { apiKeys: false }),
  request: { body: { required: true, content: { 'application/json': { schema: ChangeEmailBodySchema } } } },
  responses: {
    200: jsonContent(successSchema(EmailChangeSchema), 'Verification link sent to the new address'),
    ...errorResponses(400, 401, 403, 409, 413, 415, 429, 500, 503),
  },
});

export const changeEmailHandler: RouteHandler<typeof changeEmailRoute, AppEnv> = async (c) => {
  const { email, ...choice } = c.req.valid('json');
  return ok(c, await requestEmailChange(serviceContext(c), email, choice));
};
