import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import { experimental_readRawConfig } from 'wrangler';
import { migrateDatabase } from './db/migrate';
import { describeError } from './db/report';
import {
  appliedMigrations,
  codeMigrations,
  compareMigrations,
  databaseUrlVariable,
  describeDatabase,
  describeStatus,
  migrationConflicts,
  parseArgs,
  type MigrationStatus,
} from './db/status';

// `npm run deploy -- --env <staging|production> [--dry-run]`: migrate, then deploy.
//   1. reads the environment's section of wrangler.toml and the database's migrations (read only);
//      refuses when the database has migrations this code does not know (or changed ones);
//   2. builds the Worker bundle (`wrangler deploy --dry-run`, offline), so a build failure stops
//      before the database is touched;
//   3. applies the pending migrations to DATABASE_URL_<ENV> (DATABASE_URL_STAGING,
//      DATABASE_URL_PRODUCTION);
//   4. `wrangler deploy --env <env>` (needs CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID, or
//      `wrangler login`).
// --dry-run runs steps 1 and 2 only and prints what steps 3 and 4 would do; it works offline and
// without a database (then it says so).

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const wranglerBin = resolve(repoRoot, 'node_modules/.bin/wrangler');
const PLACEHOLDER = 'REPLACE_WITH_';

function fail(message: string, code = 1): never {
  console.error(`deploy: ${message}`);
  process.exit(code);
}

let environment: string | undefined;
let dryRun = false;
// `--config PATH`: another wrangler configuration (default: wrangler.toml of the repository).
const argv = process.argv.slice(2);
const configAt = argv.indexOf('--config');
const configPath = configAt >= 0 ? resolve(argv.splice(configAt, 2)[1] ?? fail('--config needs a path', 2)) : resolve(repoRoot, 'wrangler.toml');
try {
  const args = parseArgs(argv, ['--dry-run']);
  environment = args.environment;
  dryRun = args.flags.has('--dry-run');
} catch (error) {
  fail(`${(error as Error).message}\nusage: npm run deploy -- --env <staging|production> [--dry-run] [--config wrangler.toml]`, 2);
}

const { rawConfig } = experimental_readRawConfig({ config: configPath });
const environments = Object.keys(rawConfig.env ?? {});
if (environment) await deploy(environment);
else if (dryRun) for (const name of environments) await deploy(name);
else fail(`choose an environment: npm run deploy -- --env <${environments.join('|')}> [--dry-run]`, 2);
if (dryRun) console.log('\nDry run: nothing was changed.');

/** The four steps for one environment of wrangler.toml (the first two only with --dry-run). */
async function deploy(environment: string) {
  const section = rawConfig.env?.[environment];
  if (!section) fail(`${configPath} has no [env.${environment}] (environments: ${environments.join(', ') || 'none'})`, 2);
  const workerName = section.name ?? rawConfig.name ?? '(unnamed)';
  const setupMissing: string[] = [];
  if (JSON.stringify(section).includes(PLACEHOLDER)) {
    setupMissing.push(`[env.${environment}] of ${configPath} still has ${PLACEHOLDER}... ids (see README, Deploying)`);
  }

  const step = (text: string) => console.log(`\n== ${text}`);
  console.log(`${dryRun ? 'Dry run: ' : ''}deploying Worker "${workerName}" (--env ${environment})`);

  // 1. The database's migrations, read only.
  const code = codeMigrations();
  const variable = databaseUrlVariable(environment);
  const databaseUrl = process.env[variable];
  let status: MigrationStatus | undefined;
  step('database migrations');
  if (!databaseUrl) {
    setupMissing.push(`${variable} is not set (the connection string of the ${environment} database)`);
    console.log(`${variable} is not set: the database cannot be read. The code has ${code.length} migration(s): ${code.map((m) => m.tag).join(', ')}.`);
  } else {
    const client = new pg.Client({ connectionString: databaseUrl });
    try {
      await client.connect();
      status = compareMigrations(code, await appliedMigrations(client));
    } catch (error) {
      fail(`cannot read the migrations of ${describeDatabase(databaseUrl)}: ${describeError(error)}`);
    } finally {
      await client.end().catch(() => {});
    }
    console.log(`${describeDatabase(databaseUrl)}:`);
    for (const line of describeStatus(status)) console.log(line);
    const conflicts = migrationConflicts(status);
    if (conflicts.length > 0) {
      fail(`refusing to deploy: the database and this code disagree.\n${conflicts.map((c) => `  - ${c}`).join('\n')}`);
    }
  }

  if (!dryRun && setupMissing.length > 0) fail(`not ready to deploy:\n${setupMissing.map((s) => `  - ${s}`).join('\n')}`);

  // 2. The bundle, built offline before anything is touched.
  step('build (wrangler deploy --dry-run)');
  const outdir = mkdtempSync(join(tmpdir(), 'aegisx-deploy-'));
  try {
    const built = wrangler(['deploy', '--dry-run', '--env', environment, '--outdir', outdir], 'pipe');
    if (built.status !== 0) fail(`the Worker does not build:\n${built.output}`);
    const bundle = readFileSync(join(outdir, 'index.js'));
    console.log(`Worker bundle: ${mib(statSync(join(outdir, 'index.js')).size)} MiB, ${mib(gzipSync(bundle).length)} MiB gzip (wasm modules besides it)`);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }

  if (dryRun) {
    step('what a deploy would do');
    if (status) {
      console.log(status.pending.length === 0
        ? '3. apply no migration (the database is up to date)'
        : `3. apply ${status.pending.length} migration(s) to ${describeDatabase(databaseUrl!)}: ${status.pending.map((m) => m.tag).join(', ')}`);
    } else {
      console.log(`3. apply the migrations ${variable}'s database lacks (unknown here)`);
    }
    console.log(`4. wrangler deploy --env ${environment} (Worker "${workerName}")`);
    if (setupMissing.length > 0) console.log(`Before a real deploy:\n${setupMissing.map((s) => `  - ${s}`).join('\n')}`);
    return;
  }

  // 3. Migrate.
  step('migrate');
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  try {
    await migrateDatabase(pool);
    const after = compareMigrations(code, await appliedMigrations(pool));
    if (after.pending.length > 0 || migrationConflicts(after).length > 0) fail(`migrations incomplete after migrating:\n${describeStatus(after).join('\n')}`);
    console.log(status!.pending.length === 0 ? 'Nothing to apply.' : `Applied: ${status!.pending.map((m) => m.tag).join(', ')}`);
  } catch (error) {
    fail(`migration failed, nothing deployed: ${describeError(error)}`);
  } finally {
    await pool.end();
  }

  // 4. Deploy.
  step(`wrangler deploy --env ${environment}`);
  const deployed = wrangler(['deploy', '--env', environment], 'inherit');
  if (deployed.status !== 0) {
    fail(`wrangler deploy failed (exit ${deployed.status}). The migrations are applied; the previous Worker version keeps running on the new schema. Fix the cause and run this again (applied migrations are not re-applied).`);
  }
  console.log(`\nDeployed "${workerName}" (--env ${environment}).`);
}

function wrangler(args: string[], stdio: 'pipe' | 'inherit') {
  const result = spawnSync(wranglerBin, [...args, '--config', configPath], {
    cwd: repoRoot,
    stdio: stdio === 'pipe' ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    encoding: 'utf8',
    env: { WRANGLER_SEND_METRICS: 'false', ...process.env },
  });
  return { status: result.status ?? 1, output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}` };
}

function mib(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(2);
}
