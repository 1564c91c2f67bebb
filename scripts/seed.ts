import pg from 'pg';
import { seedDatabase } from './db/seed';
import { seedUsers } from './db/seed-data';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error(
    'DATABASE_URL is not set: set it to the connection string of the database to seed,\n' +
      'e.g. DATABASE_URL="postgresql://user:password@host/dbname?sslmode=require" \\\n' +
      '  npm run db:seed',
  );
  process.exit(1);
}

const pool = new pg.Pool({ connectionString: databaseUrl });
try {
  const { created, generatedPasswords } = await seedDatabase(pool, {
    adminPassword: process.env.SEED_ADMIN_PASSWORD || undefined,
    demoPassword: process.env.SEED_DEMO_PASSWORD || undefined,
    log: (msg) => console.log(`  ${msg}`),
  });
  const total = Object.values(created).reduce((sum, count) => sum + count, 0);
  console.log(
    total === 0 ? 'Nothing to do: the seed data was already there.' : `Seeded ${total} row(s).`,
  );

  const generated = seedUsers.flatMap((user) => {
    const password = generatedPasswords[user.ref];
    return password === undefined ? [] : [`  ${user.account.email}  ${password}`];
  });
  if (generated.length > 0) {
    console.log(
      [
        '',
        'Generated passwords. They are shown this once and stored only as hashes: save them now.',
        ...generated,
        '(Set SEED_ADMIN_PASSWORD / SEED_DEMO_PASSWORD to choose them instead.)',
      ].join('\n'),
    );
  }
} catch (error) {
  console.error(`Seeding failed: ${describeError(error)}`);
  process.exitCode = 1;
} finally {
  await pool.end();
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `\n  ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
