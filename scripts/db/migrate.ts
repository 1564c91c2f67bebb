import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import type pg from 'pg';

export const migrationsFolder = fileURLToPath(new URL('../../migrations', import.meta.url));

/** Applies every migration in `migrations/` that the database has not recorded yet. */
export async function migrateDatabase(pool: pg.Pool): Promise<void> {
  await migrate(drizzle(pool), { migrationsFolder });
}
