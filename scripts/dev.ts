import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { migrateDatabase } from './db/migrate';
import { describeError, printSeedResult } from './db/report';
import { seedDatabase } from './db/seed';
import { prepareDocsAssets } from './docs-assets.mjs';
import { startLocalDb, type LocalDb } from './local-db/server';
import { devSecrets, localDbVars, repoRoot, signalGroup, startWrangler, stopGroup, waitForHealth } from './wrangler-dev';

// `npm run dev`: the API on http://127.0.0.1:PORT with a local database; no Postgres, no account.
//   PORT                   the API's port (default 8787)
//   LOCAL_DB_DATABASE_URL  serve a real Postgres instead of the embedded PGlite
//   LOCAL_DB_DATA_DIR      PGlite folder, relative to the repository root (default .data/pglite)
//   LOCAL_DB_PORT          the local Neon endpoint's port (default 5480)
//   LOCAL_DB_DELAY_MS      simulated network delay per database round trip (default 0)
//   SEED_ADMIN_PASSWORD / SEED_DEMO_PASSWORD  passwords of the seeded accounts when first created

const STOP_GRACE_MS = 5_000;
const READY_TIMEOUT_MS = 120_000;

function numberFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name] || fallback);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number >= 0`);
  return value;
}

function startDatabase(): Promise<LocalDb> {
  const databaseUrl = process.env.LOCAL_DB_DATABASE_URL || undefined;
  return startLocalDb({
    databaseUrl,
    dataDir: databaseUrl ? undefined : resolve(repoRoot, process.env.LOCAL_DB_DATA_DIR || '.data/pglite'),
    port: numberFromEnv('LOCAL_DB_PORT', 5480),
    delayMs: numberFromEnv('LOCAL_DB_DELAY_MS', 0),
    log: console.log,
  });
}

async function migrateAndSeed(db: LocalDb) {
  await migrateDatabase(db.pool);
  printSeedResult(
    await seedDatabase(db.pool, {
      adminPassword: process.env.SEED_ADMIN_PASSWORD || undefined,
      demoPassword: process.env.SEED_DEMO_PASSWORD || undefined,
      log: (msg) => console.log(`  ${msg}`),
    }),
  );
}

function startDevWorker(port: number, db: LocalDb): ChildProcess {
  const secrets = devSecrets();
  const vars = {
    APP_ENV: 'development',
    ...localDbVars(db),
    JWT_SECRET: secrets.JWT_SECRET,
    ENCRYPTION_KEY: secrets.ENCRYPTION_KEY,
    CORS_ORIGINS: `http://localhost:4200,http://localhost:${port}`,
  };
  if (existsSync(resolve(repoRoot, '.dev.vars'))) {
    console.log(`.dev.vars found: wrangler loads it, but these values take precedence: ${Object.keys(vars).join(', ')}.`);
  }
  return startWrangler({ port, vars, testScheduled: true });
}

const startedAt = performance.now();
const port = numberFromEnv('PORT', 8787);
let db: LocalDb | undefined;
let wrangler: ChildProcess | undefined;
let stopping = false;

const signalWrangler = (signal: NodeJS.Signals) => signalGroup(wrangler, signal);

async function stop(signal: NodeJS.Signals) {
  if (stopping) return signalWrangler('SIGKILL');
  stopping = true;
  console.log(`\n${signal}: stopping wrangler and the local database`);
  await stopGroup(wrangler, STOP_GRACE_MS);
  await db?.stop();
  process.exit(0);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void stop(signal));

try {
  db = await startDatabase();
  await migrateAndSeed(db);
  prepareDocsAssets();
} catch (error) {
  if (!stopping) {
    console.error(`Start-up failed: ${describeError(error)}`);
    await db?.stop();
    process.exit(1);
  }
}

// After a signal during start-up, stop() is stopping the database: wrangler must not start.
if (db && !stopping) {
  const child = startDevWorker(port, db);
  wrangler = child;
  const exited = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
  void exited.then(async (code) => {
    if (stopping) return;
    stopping = true;
    signalWrangler('SIGKILL');
    console.log(`wrangler exited (${code}): stopping the local database`);
    await db?.stop();
    process.exit(code);
  });

  const baseUrl = `http://127.0.0.1:${port}`;
  const health = await waitForHealth(baseUrl, exited, READY_TIMEOUT_MS);
  if (health && !stopping) {
    const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
    console.log(
      [
        '',
        `AegisX Edge API ready in ${seconds} s (database: ${health.ok ? 'up' : `/health answered ${health.status}`})`,
        `  API           ${baseUrl}`,
        `  Health        ${baseUrl}/health`,
        `  API docs      ${baseUrl}/api/docs`,
        `  OpenAPI JSON  ${baseUrl}/api/openapi.json`,
        `  Run due jobs  curl ${baseUrl}/__scheduled   (cron jobs; queues are consumed locally)`,
        `  Local DB      ${db.endpoint}`,
        'Press Ctrl+C to stop.',
        '',
      ].join('\n'),
    );
  } else if (!stopping) {
    console.error(`No answer from ${baseUrl}/health after ${READY_TIMEOUT_MS / 1000} s; wrangler keeps running.`);
  }
}
