import {
  boolean,
  foreignKey,
  index,
  jsonb,
  pgTable,
  timestamp,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { timestamps } from './columns';
import { users } from './users';

/** Only a hash of each key is stored; `key_prefix` identifies a key without revealing it. */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid('user_id').notNull(),
    name: varchar({ length: 100 }).notNull(),
    keyHash: varchar('key_hash', { length: 255 }).notNull(),
    keyPrefix: varchar('key_prefix', { length: 20 }).notNull(),
    scopes: jsonb(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    lastUsedIp: varchar('last_used_ip', { length: 45 }),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    isActive: boolean('is_active').default(true),
    ...timestamps(),
  },
  (t) => [
    index('api_keys_user_id_idx').on(t.userId),
    index('api_keys_key_hash_idx').on(t.keyHash),
    index('api_keys_key_prefix_idx').on(t.keyPrefix),
    index('api_keys_is_active_idx').on(t.isActive),
    index('api_keys_expires_at_idx').on(t.expiresAt),
    index('api_keys_last_used_at_idx').on(t.lastUsedAt),
    foreignKey({
      name: 'api_keys_user_id_fkey',
      columns: [t.userId],
      foreignColumns: [users.id],
    }).onDelete('cascade'),
  ],
);

export type ApiKey = typeof apiKeys.$inferSelect;
export type NewApiKey = typeof apiKeys.$inferInsert;
