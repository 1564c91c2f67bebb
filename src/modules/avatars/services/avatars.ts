import { eq, sql } from 'drizzle-orm';
import { avatarFiles, users, type AvatarThumbnails } from '../../../../drizzle';
import { abortUnless, guardedBatch } from '../../../lib/batch-guard';
import { pgErrorCode } from '../../../lib/db';
import { ApiError } from '../../../lib/errors';
import { describeError } from '../../../lib/logger';
import { enforceRateLimit } from '../../../lib/rate-limit';
import type { ServiceContext } from '../../../lib/service-context';
import { auditInsert } from '../../audit/service';
import { containmentMessages, userAdministrable } from '../../rbac/services/containment';
import { AVATAR_SIZES, MAX_PIXELS, renderAvatar, UndecodableImageError, type AvatarSize } from './image-process';
import { sniffImage } from './image-sniff';

/** Largest accepted file (the original's limit). */
export const MAX_AVATAR_BYTES = 5 * 1024 * 1024;
/** Room for the multipart envelope (boundaries, part headers, a file name) around the file. */
export const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

/** Public path of the avatar images; an object's URL is this plus its key without the `avatars/` prefix. */
const AVATAR_URL_PREFIX = '/api/avatars/';
const KEY_PREFIX = 'avatars/';

/** Served for a year: every upload gets new keys, so an object never changes. */
export const AVATAR_CACHE_CONTROL = 'public, max-age=31536000, immutable';

const avatarKey = (userId: string, avatarId: string, size: AvatarSize) => `${KEY_PREFIX}${userId}/${avatarId}/${size}.jpg`;
const avatarUrl = (key: string) => `${AVATAR_URL_PREFIX}${key.slice(KEY_PREFIX.length)}`;

const thumbnailKeys = (userId: string, avatarId: string): AvatarThumbnails => ({
  small: avatarKey(userId, avatarId, 64),
  medium: avatarKey(userId, avatarId, 128),
  large: avatarKey(userId, avatarId, 256),
});

/** Every R2 key of an avatar row. */
const keysOf = (row: { storagePath: string; thumbnails: AvatarThumbnails | null }) => [
  row.storagePath,
  ...(row.thumbnails ? [row.thumbnails.small, row.thumbnails.medium, row.thumbnails.large] : []),
];

export interface AvatarUpload {
  fileName: string;
  bytes: ArrayBuffer;
}

/** `avatar_files.original_filename`: the base name the client declared, without control characters, at most 255 characters. */
function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 255);
  return cleaned || 'avatar';
}

function unsupported(reason: string): ApiError {
  return new ApiError('UNSUPPORTED_MEDIA_TYPE', 'The file must be a JPEG, PNG or WebP image', {
    details: { reason, accepted: ['image/jpeg', 'image/png', 'image/webp'] },
  });
}

/** Removes R2 objects; a failure is only logged (the objects stay in R2, referenced by nothing). */
async function deleteObjects(ctx: ServiceContext, keys: string[]) {
  if (keys.length === 0) return;
  try {
    await ctx.env.FILES.delete(keys);
  } catch (error) {
    ctx.logger.error('avatar objects could not be deleted', { keys, ...describeError(error) });
  }
}

/**
 * Counts an upload against the caller's per-user limit (RATE_LIMIT_UPLOAD). Runs before the body
 * is read, so refused attempts count too.
 */
export async function limitUploads(ctx: ServiceContext) {
  await enforceRateLimit(ctx.env.RATE_LIMIT_UPLOAD, `avatar-upload:${ctx.actor!.userId}`, ctx.logger);
}

/**
 * Sets the caller's avatar. The type is decided from the bytes (magic number and structure, then
 * a real decode), never from the declared type or name. The four JPEGs are stored in R2 first;
 * then one batch replaces the avatar row, points `users.avatar_url` at the new image and writes
 * the audit row. If the batch fails, the new objects are deleted; once it succeeded, the previous
 * avatar's objects are.
 */
export async function uploadAvatar(ctx: ServiceContext, upload: AvatarUpload) {
  const userId = ctx.actor!.userId;
  if (upload.bytes.byteLength > MAX_AVATAR_BYTES) {
    throw new ApiError('FILE_TOO_LARGE', 'The file is larger than 5 MB', { details: { maxBytes: MAX_AVATAR_BYTES, bytes: upload.bytes.byteLength } });
  }
  const sniffed = sniffImage(new Uint8Array(upload.bytes));
  if (!sniffed.ok) throw unsupported(sniffed.reason);
  if (sniffed.width * sniffed.height > MAX_PIXELS) {
    throw new ApiError('IMAGE_TOO_LARGE', 'The image has too many pixels', {
      details: { maxPixels: MAX_PIXELS, width: sniffed.width, height: sniffed.height },
    });
  }
  let rendered: Map<AvatarSize, Uint8Array>;
  try {
    rendered = await renderAvatar(sniffed, upload.bytes);
  } catch (error) {
    if (error instanceof UndecodableImageError) throw unsupported(error.reason);
    throw error;
  }

  const avatarId = crypto.randomUUID();
  const keys = AVATAR_SIZES.map((size) => avatarKey(userId, avatarId, size));
  const fileName = cleanFileName(upload.fileName);
  try {
    await Promise.all(
      AVATAR_SIZES.map((size) =>
        ctx.env.FILES.put(avatarKey(userId, avatarId, size), rendered.get(size)!, {
          httpMetadata: { contentType: 'image/jpeg', cacheControl: AVATAR_CACHE_CONTROL },
          customMetadata: { userId, avatarId, size: String(size) },
        }),
      ),
    );
  } catch (error) {
    await deleteObjects(ctx, keys);
    throw error;
  }

  const mainKey = avatarKey(userId, avatarId, 512);
  const thumbnails = thumbnailKeys(userId, avatarId);
  const url = avatarUrl(mainKey);
  let previous: { storagePath: string; thumbnails: AvatarThumbnails | null }[];
  try {
    [previous] = await ctx.db.batch([
      ctx.db.delete(avatarFiles).where(eq(avatarFiles.userId, userId)).returning({ storagePath: avatarFiles.storagePath, thumbnails: avatarFiles.thumbnails }),
      ctx.db.insert(avatarFiles).values({
        id: avatarId,
        userId,
        originalFilename: fileName,
        mimeType: sniffed.type,
        fileSize: upload.bytes.byteLength,
        storagePath: mainKey,
        thumbnails,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      }),
      ctx.db.update(users).set({ avatarUrl: url, updatedAt: ctx.now }).where(eq(users.id, userId)),
      auditInsert(ctx, {
        entityType: 'user',
        entityId: userId,
        action: 'update',
        description: 'Uploaded an avatar',
        newValues: { avatarFileId: avatarId, originalFilename: fileName, mimeType: sniffed.type, fileSize: upload.bytes.byteLength, width: sniffed.width, height: sniffed.height, avatarUrl: url },
      }),
    ]);
  } catch (error) {
    await deleteObjects(ctx, keys);
    if (pgErrorCode(error) === '23505') throw new ApiError('CONFLICT', 'Another avatar upload finished first; try again');
    throw error;
  }
  await deleteObjects(ctx, previous.flatMap(keysOf));

  return {
    avatar: url,
    thumbnails: { small: avatarUrl(thumbnails.small), medium: avatarUrl(thumbnails.medium), large: avatarUrl(thumbnails.large) },
    mimeType: sniffed.type,
    fileSize: upload.bytes.byteLength,
    originalFilename: fileName,
    width: sniffed.width,
    height: sniffed.height,
  };
}

/**
 * Removes a user's avatar (the caller's own, or anyone's for an admin) in one batch: a guard
 * (404 AVATAR_NOT_FOUND when the user has none, or does not exist), the row's deletion, the
 * cleared `users.avatar_url` and the audit row; then the R2 objects.
 */
export async function deleteAvatar(ctx: ServiceContext, userId: string) {
  const own = userId === ctx.actor?.userId;
  const statements = [
    abortUnless(
      ctx.db,
      sql`exists (select 1 from users u where u.id = ${userId}::uuid and u.deleted_at is null
        and (u.avatar_url is not null or exists (select 1 from avatar_files af where af.user_id = u.id)))`,
      'AVATAR_NOT_FOUND',
    ),
    ctx.db.delete(avatarFiles).where(eq(avatarFiles.userId, userId)).returning({ storagePath: avatarFiles.storagePath, thumbnails: avatarFiles.thumbnails }),
    ctx.db.update(users).set({ avatarUrl: null, updatedAt: ctx.now }).where(eq(users.id, userId)),
    auditInsert(ctx, { entityType: 'user', entityId: userId, action: 'update', description: own ? 'Removed their avatar' : 'Removed a user’s avatar', newValues: { avatarUrl: null } }),
  ] as const;
  // Someone else's avatar: only when the caller holds every permission its owner holds (checked first).
  const [, removed] = await guardedBatch(
    () => (own ? ctx.db.batch(statements) : ctx.db.batch([userAdministrable(ctx, userId), ...statements]).then(([, ...rest]) => rest)),
    { ...containmentMessages, AVATAR_NOT_FOUND: 'No avatar to remove' },
  );
  await deleteObjects(ctx, removed.flatMap(keysOf));
  return { message: 'Avatar removed', userId };
}

/**
 * Removes every R2 object under a user's prefix: all their avatars and thumbnails, including any
 * left behind by an earlier failed clean-up. Used after a permanent delete, whose batch has already
 * removed the rows (avatar_files cascades with the user). A failure is only logged.
 */
export async function deleteAllAvatarObjects(ctx: ServiceContext, userId: string) {
  const prefix = `${KEY_PREFIX}${userId}/`;
  try {
    let cursor: string | undefined;
    do {
      const listed = await ctx.env.FILES.list({ prefix, ...(cursor ? { cursor } : {}) });
      await deleteObjects(ctx, listed.objects.map((object) => object.key));
      cursor = listed.truncated ? listed.cursor : undefined;
    } while (cursor);
  } catch (error) {
    ctx.logger.error('avatar objects could not be listed for deletion', { prefix, ...describeError(error) });
  }
}

/**
 * An avatar image for the public route: the object (with its body), or `notModified` when the
 * client's `If-None-Match` matches its ETag (R2 evaluates the condition). No database round trip.
 */
export async function getAvatarObject(ctx: ServiceContext, image: { userId: string; avatarId: string; size: AvatarSize }, ifNoneMatch: string | undefined) {
  const conditions = new Headers(ifNoneMatch ? { 'if-none-match': ifNoneMatch } : {});
  const object: R2Object | R2ObjectBody | null = await ctx.env.FILES.get(avatarKey(image.userId, image.avatarId, image.size), { onlyIf: conditions });
  if (!object) throw new ApiError('NOT_FOUND', 'Image not found');
  if (!('body' in object)) return { notModified: true as const, etag: object.httpEtag };
  return {
    notModified: false as const,
    etag: object.httpEtag,
    body: object.body,
    size: object.size,
    contentType: object.httpMetadata?.contentType ?? 'image/jpeg',
  };
}
