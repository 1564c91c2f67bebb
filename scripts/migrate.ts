import pg from 'pg';
import { migrateDatabase, migrationsFolder } from './db/migrate';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error(
    'DATABASE_URL is not set: set it to the connection string of the database to migrate,\n' +
      'e.g. DATABASE_URL="postgresql://user:password@host/dbname?sslmode=require" \\\n' +
      '  npm run db:migrate',
  );
  process.exit(1);
}

const pool = new pg.Pool({ connectionString: databaseUrl });
try {
  const target = describeDatabase(databaseUrl);
  console.log(`Migrating ${target} with ${migrationsFolder}`);
  const before = await countAppliedMigrations(pool);
  await migrateDatabase(pool);
  const after = await countAppliedMigrations(pool);
  console.log(
    after === before
      ? `Already up to date: ${after} migration(s) applied.`
      : `Applied ${after - before} migration(s); ${after} applied in total.`,
  );
} catch (error) {
  console.error(`Migration failed: ${describeError(error)}`);
  process.exitCode = 1;
} finally {
  await pool.end();
}

async function countAppliedMigrations(db: pg.Pool): Promise<number> {
  const journal = await db.query<{ exists: boolean }>(
    `select to_regclass('drizzle.__drizzle_migrations') is not null as exists`,
  );
  if (!journal.rows[0]?.exists) return 0;
  const applied = await db.query<{ count: number }>(
    'select count(*)::int as count from drizzle.__drizzle_migrations',
  );
  return applied.rows[0]?.count ?? 0;
}

function describeDatabase(url: string): string {
  const { hostname, port, pathname } = new URL(url);
  return `database "${pathname.slice(1)}" on ${hostname}${port ? `:${port}` : ''}`;
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `\n  ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
