import pg from 'pg';
import { migrateDatabase, migrationsFolder } from './db/migrate';
import { describeError } from './db/report';
import { appliedMigrations, databaseUrlVariable, describeDatabase, parseArgs } from './db/status';

// `npm run db:migrate [-- --env NAME]`: applies the pending migrations to DATABASE_URL (or to
// DATABASE_URL_<NAME> with --env NAME). `npm run deploy` does this itself before deploying.

let environment: string | undefined;
try {
  ({ environment } = parseArgs(process.argv.slice(2), []));
} catch (error) {
  console.error(`db:migrate: ${(error as Error).message}`);
  process.exit(2);
}
const variable = databaseUrlVariable(environment);
const databaseUrl = process.env[variable];
if (!databaseUrl) {
  console.error(
    `${variable} is not set: set it to the connection string of the database to migrate,\n` +
      `e.g. ${variable}="postgresql://user:password@host/dbname?sslmode=require" \\\n` +
      `  npm run db:migrate${environment ? ` -- --env ${environment}` : ''}`,
  );
  process.exit(1);
}

const pool = new pg.Pool({ connectionString: databaseUrl });
try {
  console.log(`Migrating ${describeDatabase(databaseUrl)} with ${migrationsFolder}`);
  const before = (await appliedMigrations(pool)).length;
  await migrateDatabase(pool);
  const after = (await appliedMigrations(pool)).length;
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
