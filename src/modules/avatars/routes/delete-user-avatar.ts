import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { AvatarRemovedSchema, UserIdParamsSchema } from '../schemas';
import { deleteAvatar } from '../services/avatars';

export const deleteUserAvatarRoute = createRoute({
  method: 'delete',
  path: '/api/users/{userId}/avatar',
  operationId: 'deleteUserAvatar',
  tags: ['Avatars'],
  summary: 'Remove a user’s avatar (admin)',
  description: '404 AVATAR_NOT_FOUND when the user has no avatar or does not exist.',
  ...protectedAccess('users:update'),
  request: { params: UserIdParamsSchema },
  responses: {
    200: jsonContent(successSchema(AvatarRemovedSchema), 'Removed'),
    ...errorResponses(400, 401, 403, 404, 500, 503),
  },
});

export const deleteUserAvatarHandler: RouteHandler<typeof deleteUserAvatarRoute, AppEnv> = async (c) =>
  ok(c, await deleteAvatar(serviceContext(c), c.req.valid('param').userId));
