import { foreignKey, index, integer, jsonb, pgTable, unique, uuid, varchar } from 'drizzle-orm/pg-core';
import { timestamps } from './columns';
import { users } from './users';

/** R2 object keys of the thumbnails: small 64x64, medium 128x128, large 256x256 (JPEG). */
export type AvatarThumbnails = { small: string; medium: string; large: string };

export const avatarFiles = pgTable(
  'avatar_files',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid('user_id').notNull(),
    originalFilename: varchar('original_filename', { length: 255 }).notNull(),
    mimeType: varchar('mime_type', { length: 100 }).notNull(),
    fileSize: integer('file_size').notNull(),
    /** R2 object key of the main 512x512 JPEG. */
    storagePath: varchar('storage_path', { length: 500 }).notNull(),
    thumbnails: jsonb().$type<AvatarThumbnails>(),
    ...timestamps(),
  },
  (t) => [
    // One avatar per user: a concurrent second upload fails instead of leaving two rows.
    unique('avatar_files_user_id_unique').on(t.userId),
    index('avatar_files_mime_type_idx').on(t.mimeType),
    foreignKey({
      name: 'avatar_files_user_id_fkey',
      columns: [t.userId],
      foreignColumns: [users.id],
    }).onDelete('cascade'),
  ],
);

export type AvatarFile = typeof avatarFiles.$inferSelect;
export type NewAvatarFile = typeof avatarFiles.$inferInsert;
