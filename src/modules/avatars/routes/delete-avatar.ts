import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { AvatarRemovedSchema } from '../schemas';
import { deleteAvatar } from '../services/avatars';

export const deleteAvatarRoute = createRoute({
  method: 'delete',
  path: '/api/users/avatar',
  operationId: 'deleteAvatar',
  tags: ['Avatars'],
  summary: 'Remove the caller’s avatar',
  description: 'Deletes the avatar row and its images and clears the avatar URL. 404 AVATAR_NOT_FOUND when there is none.',
  ...protectedAccess('profile:avatar'),
  responses: {
    200: jsonContent(successSchema(AvatarRemovedSchema), 'Removed'),
    ...errorResponses(401, 403, 404, 500, 503),
  },
});

export const deleteAvatarHandler: RouteHandler<typeof deleteAvatarRoute, AppEnv> = async (c) => {
  const ctx = serviceContext(c);
  return ok(c, await deleteAvatar(ctx, ctx.actor!.userId));
};
