import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { ApiError } from '../../../lib/errors';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { AVATAR_UPLOAD_PATH } from '../paths';
import { AvatarSchema, AvatarUploadFormSchema } from '../schemas';
import { limitUploads, MAX_AVATAR_BYTES, MULTIPART_OVERHEAD_BYTES, uploadAvatar } from '../services/avatars';

/**
 * Before the body is read: the per-user upload limit, then the size limit (5 MB plus the multipart
 * envelope). A request whose Content-Length is over the limit is refused without reading its
 * body; one without a length is counted while it streams in.
 */
const uploadLimits = createMiddleware<AppEnv>(async (c, next) => {
  await limitUploads(serviceContext(c));
  await bodyLimit({
    maxSize: MAX_AVATAR_BYTES + MULTIPART_OVERHEAD_BYTES,
    onError: () => {
      throw new ApiError('FILE_TOO_LARGE', 'The file is larger than 5 MB', { details: { maxBytes: MAX_AVATAR_BYTES } });
    },
  })(c, next);
});

const access = protectedAccess('profile:avatar');

export const uploadAvatarRoute = createRoute({
  method: 'post',
  path: AVATAR_UPLOAD_PATH,
  operationId: 'uploadAvatar',
  tags: ['Avatars'],
  summary: 'Upload a new avatar',
  description:
    'Multipart with one part `file` (at most 5 MB and 5 megapixels, else 413 FILE_TOO_LARGE or IMAGE_TOO_LARGE; the pixel limit applies to the size the decoder will use). The type is decided from the bytes (magic number, structure, then a real decode), never from the declared content type or file name: anything else is 415 UNSUPPORTED_MEDIA_TYPE with `details.reason` `unknown_format`, `corrupt`, `animated`, `inconsistent` (the file declares its size more than once, e.g. several JPEG frame headers, or the decoded size is not the declared one) or `undecodable`. Stored in R2 as a 512 x 512 cover crop and 256, 128 and 64 thumbnails (JPEG); replaces the previous avatar, whose images are deleted once the new one is stored. At most 10 uploads per minute per user.',
  ...access,
  middleware: [...access.middleware, uploadLimits],
  request: { body: { required: true, content: { 'multipart/form-data': { schema: AvatarUploadFormSchema } } } },
  responses: {
    200: jsonContent(successSchema(AvatarSchema), 'The new avatar'),
    ...errorResponses(400, 401, 403, 409, 413, 415, 429, 500, 503),
  },
});

export const uploadAvatarHandler: RouteHandler<typeof uploadAvatarRoute, AppEnv> = async (c) => {
  const { file } = c.req.valid('form');
  return ok(c, await uploadAvatar(serviceContext(c), { fileName: file.name, bytes: await file.arrayBuffer() }));
};
