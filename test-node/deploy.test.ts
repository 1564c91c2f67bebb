import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase } from '../scripts/db/migrate';
import { appliedMigrations, codeMigrations } from '../scripts/db/status';
import { startLocalDb, type LocalDb } from '../scripts/local-db/server';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const tags = codeMigrations().map((m) => m.tag);

/**
 * `npm run <script> -- args` as a user runs it, offline, without Cloudflare credentials or database
 * URLs of its own. Asynchronous: the local database it talks to is served by this process.
 */
async function npmRun(script: string, args: string[], env: Record<string, string> = {}) {
  const childEnv = { ...process.env };
  for (const name of Object.keys(childEnv)) {
    if (name.startsWith('DATABASE_URL') || name.startsWith('CLOUDFLARE_API')) delete childEnv[name];
  }
  Object.assign(childEnv, { WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' }, env);
  const child = spawn('npm', ['run', '--silent', script, '--', ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: childEnv });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [status] = (await once(child, 'close')) as [number | null];
  return { status, output };
}

describe('npm run deploy and db:status', { timeout: 120_000 }, () => {
  let db: LocalDb;
  let production: Record<string, string>;

  beforeAll(async () => {
    db = await startLocalDb();
    production = { DATABASE_URL_PRODUCTION: db.postgresUrl };
  }, 60_000);

  afterAll(async () => {
    await db?.stop();
  });

  it('--dry-run without a database or an account: builds every environment and says what is missing', async () => {
    const { status, output } = await npmRun('deploy', ['--dry-run']);
    expect(status, output).toBe(0);
    for (const env of ['staging', 'production']) {
      expect(output).toContain(`(--env ${env})`);
      expect(output).toContain(`DATABASE_URL_${env.toUpperCase()} is not set`);
      expect(output).toContain(`4. wrangler deploy --env ${env}`);
    }
    expect(output.match(/Worker bundle: [\d.]+ MiB/g)).toHaveLength(2);
    expect(output).toContain('Dry run: nothing was changed.');
  });

  it('--dry-run on an empty database lists every migration as pending and changes nothing', async () => {
    const { status, output } = await npmRun('deploy', ['--env', 'production', '--dry-run'], production);
    expect(status, output).toBe(0);
    expect(output).toContain(`Pending (${tags.length}):`);
    expect(output).toContain(`3. apply ${tags.length} migration(s) to database "postgres" on 127.0.0.1`);
    for (const tag of tags) expect(output).toContain(tag);
    expect(await appliedMigrations(db.pool)).toEqual([]);

    const statusOutput = await npmRun('db:status', ['--env', 'production'], production);
    expect(statusOutput.status, statusOutput.output).toBe(0);
    expect(statusOutput.output).toContain(`Applied (0):`);
    expect(statusOutput.output).toContain(`Pending (${tags.length}):`);
  });

  it('after migrating, nothing is pending', async () => {
    await migrateDatabase(db.pool);
    const { status, output } = await npmRun('deploy', ['--env', 'production', '--dry-run'], production);
    expect(status, output).toBe(0);
    expect(output).toContain(`Applied (${tags.length}):`);
    expect(output).toContain('3. apply no migration (the database is up to date)');
    const statusOutput = await npmRun('db:status', ['--env', 'production'], production);
    expect(statusOutput.output).toContain('Pending (0):');
  });

  it('refuses when the database has a migration the code does not know, and touches nothing', async () => {
    const [last] = await appliedMigrations(db.pool).then((rows) => rows.slice(-1));
    const future = last!.createdAt + 86_400_000;
    await db.pool.query('insert into drizzle.__drizzle_migrations (hash, created_at) values ($1, $2)', ['f'.repeat(64), future]);
    try {
      for (const args of [['--env', 'production', '--dry-run'], ['--env', 'production']]) {
        const { status, output } = await npmRun('deploy', args, production);
        expect(status, output).toBe(1);
        expect(output).toContain('refusing to deploy');
        expect(output).toContain('a migration the code does not know');
        expect(output).not.toContain('Worker bundle');
      }
      const statusOutput = await npmRun('db:status', ['--env', 'production'], production);
      expect(statusOutput.status).toBe(1);
      expect(statusOutput.output).toContain('Unknown to this code (1):');
    } finally {
      await db.pool.query('delete from drizzle.__drizzle_migrations where created_at = $1', [future]);
    }
  });

  it('refuses a real deploy while wrangler.toml has placeholder ids, before touching the database', async () => {
    const fresh = await startLocalDb();
    try {
      const { status, output } = await npmRun('deploy', ['--env', 'staging'], { DATABASE_URL_STAGING: fresh.postgresUrl });
      expect(status, output).toBe(1);
      expect(output).toContain('not ready to deploy');
      expect(output).toContain('REPLACE_WITH_');
      expect(await appliedMigrations(fresh.pool)).toEqual([]);
    } finally {
      await fresh.stop();
    }
  }, 60_000);

  it('migrates first, then deploys: without Cloudflare credentials the deploy fails after the migrations', async () => {
    // wrangler.toml with its placeholder ids filled in, in a scratch folder (paths made absolute).
    const dir = join(repoRoot, '.data', `deploy-test-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    const config = join(dir, 'wrangler.toml');
    writeFileSync(
      config,
      readFileSync(join(repoRoot, 'wrangler.toml'), 'utf8')
        .replace(/REPLACE_WITH_[A-Z_]+/g, '0'.repeat(32))
        .replace('main = "src/index.ts"', `main = "${join(repoRoot, 'src/index.ts')}"`)
        .replace('directory = "./public"', `directory = "${join(repoRoot, 'public')}"`)
        .replace('command = "node scripts/docs-assets.mjs"', `command = "node scripts/docs-assets.mjs"\ncwd = "${repoRoot}"`),
    );
    const fresh = await startLocalDb();
    try {
      const { status, output } = await npmRun('deploy', ['--env', 'staging', '--config', config], { DATABASE_URL_STAGING: fresh.postgresUrl });
      expect(status, output).toBe(1);
      expect(output).toContain(`Applied: ${tags.join(', ')}`);
      expect(output).toContain('CLOUDFLARE_API_TOKEN');
      expect(output).toContain('wrangler deploy failed');
      expect(output.indexOf('== migrate')).toBeLessThan(output.indexOf('== wrangler deploy --env staging'));
      expect((await appliedMigrations(fresh.pool)).length).toBe(tags.length);
    } finally {
      await fresh.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
