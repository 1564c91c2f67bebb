import pg from 'pg';
import { describeError, printSeedResult } from './db/report';
import { seedDatabase } from './db/seed';

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
  const result = await seedDatabase(pool, {
    adminPassword: process.env.SEED_ADMIN_PASSWORD || undefined,
    demoPassword: process.env.SEED_DEMO_PASSWORD || undefined,
    log: (msg) => console.log(`  ${msg}`),
  });
  printSeedResult(result);
} catch (error) {
  console.error(`Seeding failed: ${describeError(error)}`);
  process.exitCode = 1;
} finally {
  await pool.end();
}
