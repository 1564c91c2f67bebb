import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { ChangePasswordBodySchema, PasswordChangedSchema } from '../schemas';
import { changePassword } from '../services/password';

export const changePasswordRoute = createRoute({
  method: 'post',
  path: '/api/auth/change-password',
  operationId: 'changePassword',
  tags: ['Account security'],
  summary: 'Change the password (the current one is required)',
  description:
    'The current password is the proof of identity (400 INVALID_PASSWORD when wrong; failures count towards the login lockout). ' +
    'Every OTHER session is revoked unless `revokeOtherSessions` is false; every API key too when `revokeApiKeys` is true; this session stays signed in. ' +
    'Outstanding reset and verification links and two-factor sign-in challenges stop working. A notice is emailed. Rate limited per user.',
  ...protectedAccess('profile:security', { apiKeys: false }),
  request: { body: { required: true, content: { 'application/json': { schema: ChangePasswordBodySchema } } } },
  responses: {
    200: jsonContent(successSchema(PasswordChangedSchema), 'Password changed'),
    ...errorResponses(400, 401, 403, 409, 413, 415, 429, 500, 503),
  },
});

export const changePasswordHandler: RouteHandler<typeof changePasswordRoute, AppEnv> = async (c) => {
  const { currentPassword, newPassword, revokeOtherSessions, revokeApiKeys } = c.req.valid('json');
  return ok(c, await changePassword(serviceContext(c), currentPassword, newPassword, { revokeOtherSessions, revokeApiKeys }));
};
