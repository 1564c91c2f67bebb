import pg from 'pg';
import { describeError } from './db/report';
import { appliedMigrations, codeMigrations, compareMigrations, databaseUrlVariable, describeDatabase, describeStatus, migrationConflicts, parseArgs } from './db/status';

// `npm run db:status [-- --env NAME]`: the migrations applied to a database and those pending, read
// only. The database is DATABASE_URL, or DATABASE_URL_<NAME> with --env NAME. Exits 1 when the
// database and the code disagree (a migration the code does not know, or one changed since applied).

let environment: string | undefined;
try {
  ({ environment } = parseArgs(process.argv.slice(2), []));
} catch (error) {
  console.error(`db:status: ${(error as Error).message}`);
  process.exit(2);
}
const variable = databaseUrlVariable(environment);
const databaseUrl = process.env[variable];
if (!databaseUrl) {
  console.error(`${variable} is not set: set it to the connection string of the database, e.g.\n  ${variable}="postgresql://user:password@host/dbname?sslmode=require" npm run db:status${environment ? ` -- --env ${environment}` : ''}`);
  process.exit(1);
}

const client = new pg.Client({ connectionString: databaseUrl });
try {
  await client.connect();
  const status = compareMigrations(codeMigrations(), await appliedMigrations(client));
  console.log(`Migrations of ${describeDatabase(databaseUrl)}:`);
  for (const line of describeStatus(status)) console.log(line);
  const conflicts = migrationConflicts(status);
  for (const conflict of conflicts) console.error(`Conflict: ${conflict}`);
  if (conflicts.length > 0) process.exitCode = 1;
} catch (error) {
  console.error(`db:status failed: ${describeError(error)}`);
  process.exitCode = 1;
} finally {
  await client.end().catch(() => {});
}
