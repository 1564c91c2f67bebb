import type { TestProject } from 'vitest/node';
import { migrateDatabase } from '../scripts/db/migrate';
import { seedDatabase } from '../scripts/db/seed';
import { startLocalDb } from '../scripts/local-db/server';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    dbEndpoint: string;
    dbBaseUrl: string;
    adminPassword: string;
    demoPassword: string;
  }
}

/**
 * Starts the local Neon-compatible endpoint once for the whole run: embedded PGlite by default,
 * or the Postgres named by TEST_DATABASE_URL (whose public schema is wiped first). Applies the
 * migrations and the seed, then hands the endpoint to the Worker as bindings.
 */
export default async function setup(project: TestProject) {
  const externalUrl = process.env.TEST_DATABASE_URL;
  const db = await startLocalDb({ databaseUrl: externalUrl });
  if (externalUrl) {
    await db.pool.query('drop schema if exists drizzle cascade; drop schema if exists public cascade; create schema public');
  }
  await migrateDatabase(db.pool);
  const adminPassword = 'Admin-test-password-1';
  const demoPassword = 'Demo-test-password-1';
  await seedDatabase(db.pool, { adminPassword, demoPassword, bcryptCost: 4 });

  project.provide('databaseUrl', db.connectionString);
  project.provide('dbEndpoint', db.endpoint);
  project.provide('dbBaseUrl', db.baseUrl);
  project.provide('adminPassword', adminPassword);
  project.provide('demoPassword', demoPassword);
  return async () => {
    await db.stop();
  };
}
