import { z } from '@hono/zod-openapi';
import { supportedImageTypes } from './services/image-sniff';

export const AvatarUploadFormSchema = z
  .strictObject({
    file: z
      .custom<File>((value) => value instanceof File, { message: 'Send the image as a file part named "file"' })
      .openapi({ type: 'string', format: 'binary', description: 'JPEG, PNG or WebP, at most 5 MB and 5 megapixels (e.g. 2560 x 1920); the type is read from the bytes, not from the declared content type or file name' }),
  })
  .openapi('AvatarUpload');

const ThumbnailsSchema = z
  .object({
    small: z.string().openapi({ description: '64 x 64 JPEG', example: '/api/avatars/6f1c…/0b8f…/64.jpg' }),
    medium: z.string().openapi({ description: '128 x 128 JPEG' }),
    large: z.string().openapi({ description: '256 x 256 JPEG' }),
  })
  .openapi('AvatarThumbnails');

export const AvatarSchema = z
  .object({
    avatar: z.string().openapi({ description: 'The 512 x 512 JPEG (also the new users.avatar_url), a path on this API', example: '/api/avatars/6f1c…/0b8f…/512.jpg' }),
    thumbnails: ThumbnailsSchema,
    mimeType: z.enum(supportedImageTypes).openapi({ description: 'The type detected from the uploaded bytes' }),
    fileSize: z.number().int().openapi({ description: 'Bytes uploaded' }),
    originalFilename: z.string(),
    width: z.number().int().openapi({ description: 'Width of the uploaded image' }),
    height: z.number().int(),
  })
  .openapi('Avatar');

export const AvatarRemovedSchema = z.object({ message: z.string(), userId: z.uuid() }).openapi('AvatarRemoved');

export const UserIdParamsSchema = z.object({
  userId: z.uuid().openapi({ param: { name: 'userId', in: 'path' }, example: '6f1c2a8e-1b1d-4a36-9f7e-2f7c2d9b8a10' }),
});

export const avatarFiles = ['512.jpg', '256.jpg', '128.jpg', '64.jpg'] as const;

export const AvatarImageParamsSchema = z.object({
  userId: z.uuid().openapi({ param: { name: 'userId', in: 'path' } }),
  avatarId: z.uuid().openapi({ param: { name: 'avatarId', in: 'path' } }),
  file: z.enum(avatarFiles).openapi({ param: { name: 'file', in: 'path' }, description: 'The size: 512 (main), 256, 128 or 64' }),
});
