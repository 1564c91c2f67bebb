import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalDb } from './server';

// Standalone local Neon endpoint: `npm run db:local`.
//   LOCAL_DB_PORT          HTTP port (default 5480)
//   LOCAL_DB_DATABASE_URL  serve a real Postgres instead of the embedded PGlite
//   LOCAL_DB_DATA_DIR      PGlite folder, relative to the repository root (default .data/pglite)
//   LOCAL_DB_DELAY_MS      simulated network delay per round trip (default 0)

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

function numberFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number >= 0`);
  return value;
}

const databaseUrl = process.env.LOCAL_DB_DATABASE_URL || undefined;
const db = await startLocalDb({
  databaseUrl,
  dataDir: databaseUrl ? undefined : resolve(repoRoot, process.env.LOCAL_DB_DATA_DIR || '.data/pglite'),
  port: numberFromEnv('LOCAL_DB_PORT', 5480),
  delayMs: numberFromEnv('LOCAL_DB_DELAY_MS', 0),
  log: console.log,
});

console.log(`Neon HTTP endpoint (neonConfig.fetchEndpoint): ${db.endpoint}`);
console.log(`DATABASE_URL: ${db.connectionString}`);
console.log(`Postgres URL (db:migrate, db:status): ${db.postgresUrl}`);
console.log('Press Ctrl+C to stop.');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log(`${signal}: stopping`);
    void db.stop();
  });
}
