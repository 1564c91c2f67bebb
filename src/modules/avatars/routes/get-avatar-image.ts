import { createRoute, z, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { errorResponses, publicAccess } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { AvatarImageParamsSchema } from '../schemas';
import { AVATAR_CACHE_CONTROL, getAvatarObject } from '../services/avatars';
import type { AvatarSize } from '../services/image-process';

export const getAvatarImageRoute = createRoute({
  method: 'get',
  path: '/api/avatars/{userId}/{avatarId}/{file}',
  operationId: 'getAvatarImage',
  tags: ['Avatars'],
  summary: 'An avatar image (public)',
  description:
    'The JPEG from R2, cacheable for a year (`immutable`: a new upload gets new URLs) with its ETag; `If-None-Match` with the current ETag answers 304 without a body.',
  ...publicAccess,
  request: { params: AvatarImageParamsSchema },
  responses: {
    200: {
      description: 'The image',
      headers: {
        ETag: { schema: { type: 'string' }, description: 'Entity tag of the stored object' },
        'Cache-Control': { schema: { type: 'string' }, description: AVATAR_CACHE_CONTROL },
      },
      content: { 'image/jpeg': { schema: z.string().openapi({ type: 'string', format: 'binary' }) } },
    },
    304: { description: 'Not modified (the ETag matched)' },
    ...errorResponses(400, 404, 500),
  },
});

export const getAvatarImageHandler: RouteHandler<typeof getAvatarImageRoute, AppEnv> = async (c) => {
  const { userId, avatarId, file } = c.req.valid('param');
  const size = Number(file.slice(0, -'.jpg'.length)) as AvatarSize;
  const image = await getAvatarObject(serviceContext(c), { userId, avatarId, size }, c.req.header('if-none-match'));
  const headers = {
    ETag: image.etag,
    'Cache-Control': AVATAR_CACHE_CONTROL,
    // Avatars are meant to be embedded by the web app wherever it is served from.
    'Cross-Origin-Resource-Policy': 'cross-origin',
  };
  if (image.notModified) return c.body(null, 304, headers);
  return c.body(image.body, 200, { ...headers, 'Content-Type': image.contentType, 'Content-Length': String(image.size) });
};
