import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { ProofBodySchema, ReauthenticationSchema } from '../schemas';
import { reauthenticate } from '../services/proof';

export const reauthenticateRoute = createRoute({
  method: 'post',
  path: '/api/auth/reauthenticate',
  operationId: 'reauthenticate',
  tags: ['Account security'],
  summary: 'Confirm your identity again (password or two-factor code)',
  description:
    'Marks the current session as freshly proven. Changing the email address, starting a two-factor setup and regenerating backup codes ' +
    'need such a proof (a sign-in counts too) within the system setting `security.reauthentication_window_seconds` (300 by default). ' +
    'A wrong password or code counts towards the login lockout. Rate limited per user.',
  ...protectedAccess('profile:security', { apiKeys: false }),
  request: { body: { required: true, content: { 'application/json': { schema: ProofBodySchema } } } },
  responses: {
    200: jsonContent(successSchema(ReauthenticationSchema), 'Re-authenticated'),
    ...errorResponses(400, 401, 403, 409, 413, 415, 429, 500, 503),
  },
});

export const reauthenticateHandler: RouteHandler<typeof reauthenticateRoute, AppEnv> = async (c) =>
  ok(c, await reauthenticate(serviceContext(c), c.req.valid('json')));
