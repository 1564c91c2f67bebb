import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { LocalDb } from './local-db/server';

// `wrangler dev` on the local database endpoint, as `npm run dev` and `npm run bench` start it.

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

export interface DevSecrets {
  JWT_SECRET: string;
  ENCRYPTION_KEY: string;
}

/** Secrets generated on the first run and kept in `file`, so tokens and encrypted values survive a restart. */
export function devSecrets(file = resolve(repoRoot, '.data/dev-secrets.json')): DevSecrets {
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DevSecrets;
  const secrets: DevSecrets = {
    JWT_SECRET: randomBytes(48).toString('base64url'),
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  console.log(`Created ${file} (JWT_SECRET, ENCRYPTION_KEY for local development).`);
  return secrets;
}

/** The Worker variables that point it at the local database endpoint. */
export function localDbVars(db: Pick<LocalDb, 'connectionString' | 'endpoint'>) {
  return { DATABASE_URL: db.connectionString, LOCAL_DB_ENDPOINT: db.endpoint };
}

export interface WranglerDevOptions {
  port: number;
  /** `--var NAME:VALUE` for each entry (these take precedence over wrangler.toml and .dev.vars). */
  vars: Record<string, string>;
  /** Another configuration file (default: wrangler.toml at the repository root). */
  configPath?: string;
  /** Where local KV, R2 and rate-limit state live (default: wrangler's `.wrangler/state`). */
  persistTo?: string;
  /** The child's stdio (default: output inherited). */
  stdio?: StdioOptions;
  /** `--test-scheduled`: GET /__scheduled runs the Worker's `scheduled` handler (every due job). */
  testScheduled?: boolean;
}

/**
 * Starts `wrangler dev` in its own process group, so that stopping the group also stops the
 * workerd processes it starts (killing wrangler alone leaves them running).
 */
export function startWrangler({ port, vars, configPath, persistTo, stdio = ['ignore', 'inherit', 'inherit'], testScheduled = false }: WranglerDevOptions): ChildProcess {
  const args = ['dev', '--port', String(port), '--ip', '127.0.0.1', '--show-interactive-dev-session=false'];
  if (testScheduled) args.push('--test-scheduled');
  if (configPath) args.push('--config', configPath);
  if (persistTo) args.push('--persist-to', persistTo);
  for (const [name, value] of Object.entries(vars)) args.push('--var', `${name}:${value}`);
  return spawn(resolve(repoRoot, 'node_modules/.bin/wrangler'), args, {
    cwd: repoRoot,
    detached: true,
    stdio,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
  });
}

/** Sends a signal to a process started by `startWrangler` and every process of its group. */
export function signalGroup(child: ChildProcess | undefined, signal: NodeJS.Signals) {
  try {
    if (child?.pid) process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

/** SIGTERM to the group, SIGKILL after `graceMs` if it is still there; resolves once it is gone. */
export async function stopGroup(child: ChildProcess | undefined, graceMs: number) {
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    signalGroup(child, 'SIGTERM');
    const forceKill = setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs);
    await exited;
    clearTimeout(forceKill);
  }
  // workerd processes of the group may outlive wrangler.
  signalGroup(child, 'SIGKILL');
}

/** Waits for the first answer from /health; undefined if `exited` settles first or the wait times out. */
export async function waitForHealth(baseUrl: string, exited: Promise<unknown>, timeoutMs: number): Promise<Response | undefined> {
  let done = false;
  void exited.then(() => (done = true));
  const deadline = Date.now() + timeoutMs;
  while (!done && Date.now() < deadline) {
    const res = await fetch(`${baseUrl}/health`).catch(() => undefined);
    if (res) return res;
    await sleep(250);
  }
  return undefined;
}
