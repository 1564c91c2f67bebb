import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { UserProfileSchema } from '../schemas';
import { getProfile } from '../service';

export const getProfileRoute = createRoute({
  method: 'get',
  path: '/api/users/profile',
  operationId: 'getProfile',
  tags: ['Profile'],
  summary: 'The caller’s profile: account, roles, permissions, profile fields and preferences',
  ...protectedAccess('profile:read'),
  responses: {
    200: jsonContent(successSchema(UserProfileSchema), 'The profile'),
    ...errorResponses(401, 403, 500, 503),
  },
});

export const getProfileHandler: RouteHandler<typeof getProfileRoute, AppEnv> = async (c) => ok(c, await getProfile(serviceContext(c)));
