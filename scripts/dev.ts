import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { migrateDatabase } from './db/migrate';
import { describeError, printSeedResult } from './db/report';
import { seedDatabase } from './db/seed';
import { prepareDocsAssets } from './docs-assets.mjs';
import { startLocalDb, type LocalDb } from './local-db/server';

// `npm run dev`: the API on http://127.0.0.1:PORT with a local database; no Postgres, no account.
//   PORT                   the API's port (default 8787)
//   LOCAL_DB_DATABASE_URL  serve a real Postgres instead of the embedded PGlite
//   LOCAL_DB_DATA_DIR      PGlite folder, relative to the repository root (default .data/pglite)
//   LOCAL_DB_PORT          the local Neon endpoint's port (default 5480)
//   LOCAL_DB_DELAY_MS      simulated network delay per database round trip (default 0)
//   SEED_ADMIN_PASSWORD / SEED_DEMO_PASSWORD  passwords of the seeded accounts when first created

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const secretsFile = resolve(repoRoot, '.data/dev-secrets.json');
const STOP_GRACE_MS = 5_000;
const READY_TIMEOUT_MS = 120_000;

interface DevSecrets {
  JWT_SECRET: string;
  ENCRYPTION_KEY: string;
}

function numberFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name] || fallback);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number >= 0`);
  return value;
}

/** Secrets generated on the first run and kept, so tokens and encrypted values survive a restart. */
function devSecrets(): DevSecrets {
  if (existsSync(secretsFile)) return JSON.parse(readFileSync(secretsFile, 'utf8')) as DevSecrets;
  const secrets: DevSecrets = {
    JWT_SECRET: randomBytes(48).toString('base64url'),
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  };
  mkdirSync(dirname(secretsFile), { recursive: true });
  writeFileSync(secretsFile, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  console.log(`Created ${secretsFile} (JWT_SECRET, ENCRYPTION_KEY for local development).`);
  return secrets;
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

function startWrangler(port: number, db: LocalDb): ChildProcess {
  const secrets = devSecrets();
  const vars = {
    APP_ENV: 'development',
    DATABASE_URL: db.connectionString,
    LOCAL_DB_ENDPOINT: db.endpoint,
    JWT_SECRET: secrets.JWT_SECRET,
    ENCRYPTION_KEY: secrets.ENCRYPTION_KEY,
    CORS_ORIGINS: `http://localhost:4200,http://localhost:${port}`,
  };
  if (existsSync(resolve(repoRoot, '.dev.vars'))) {
    console.log(`.dev.vars found: wrangler loads it, but these values take precedence: ${Object.keys(vars).join(', ')}.`);
  }
  const args = ['dev', '--port', String(port), '--ip', '127.0.0.1', '--show-interactive-dev-session=false'];
  for (const [name, value] of Object.entries(vars)) args.push('--var', `${name}:${value}`);
  // Its own process group, so that stopping it also stops the workerd processes it starts.
  return spawn(resolve(repoRoot, 'node_modules/.bin/wrangler'), args, {
    cwd: repoRoot,
    detached: true,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
  });
}

/** Waits for the first answer from /health; undefined if wrangler exits or the wait times out. */
async function waitForHealth(baseUrl: string, exited: Promise<unknown>): Promise<Response | undefined> {
  let done = false;
  void exited.then(() => (done = true));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!done && Date.now() < deadline) {
    const res = await fetch(`${baseUrl}/health`).catch(() => undefined);
    if (res) return res;
    await sleep(250);
  }
  return undefined;
}

const startedAt = performance.now();
const port = numberFromEnv('PORT', 8787);
let db: LocalDb | undefined;
let wrangler: ChildProcess | undefined;
let stopping = false;

function signalWrangler(signal: NodeJS.Signals) {
  try {
    if (wrangler?.pid) process.kill(-wrangler.pid, signal);
  } catch {
    // The group is already gone.
  }
}

async function stop(signal: NodeJS.Signals) {
  if (stopping) return signalWrangler('SIGKILL');
  stopping = true;
  console.log(`\n${signal}: stopping wrangler and the local database`);
  if (wrangler && wrangler.exitCode === null && wrangler.signalCode === null) {
    const exited = new Promise((resolve) => wrangler?.once('exit', resolve));
    signalWrangler('SIGTERM');
    const forceKill = setTimeout(() => signalWrangler('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(forceKill);
  }
  signalWrangler('SIGKILL');
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
  const child = startWrangler(port, db);
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
  const health = await waitForHealth(baseUrl, exited);
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
        `  Local DB      ${db.endpoint}`,
        'Press Ctrl+C to stop.',
        '',
      ].join('\n'),
    );
  } else if (!stopping) {
    console.error(`No answer from ${baseUrl}/health after ${READY_TIMEOUT_MS / 1000} s; wrangler keeps running.`);
  }
}
