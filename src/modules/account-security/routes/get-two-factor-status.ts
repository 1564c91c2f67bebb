import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { TwoFactorStatusSchema } from '../schemas';
import { twoFactorStatus } from '../services/two-factor';

export const getTwoFactorStatusRoute = createRoute({
  method: 'get',
  path: '/api/auth/2fa',
  operationId: 'getTwoFactorStatus',
  tags: ['Account security'],
  summary: 'Two-factor state of the signed-in user',
  ...protectedAccess('profile:security', { apiKeys: false }),
  responses: {
    200: jsonContent(successSchema(TwoFactorStatusSchema), 'Two-factor state'),
    ...errorResponses(401, 403, 500, 503),
  },
});

export const getTwoFactorStatusHandler: RouteHandler<typeof getTwoFactorStatusRoute, AppEnv> = async (c) =>
  ok(c, await twoFactorStatus(serviceContext(c)));
