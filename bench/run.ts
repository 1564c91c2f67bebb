import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { migrateDatabase } from '../scripts/db/migrate';
import { describeError } from '../scripts/db/report';
import { seedDatabase } from '../scripts/db/seed';
import type { SqlRequest } from '../scripts/local-db/neon-protocol';
import { startLocalDb, type LocalDb } from '../scripts/local-db/server';
import { repoRoot } from '../scripts/wrangler-dev';
import { AREAS } from '../src/areas';
import { measureBundle } from './bundle';
import { runPhase, send, type PhaseResult } from './driver';
import { parseOptions, usage } from './options';
import { postgresAvailable, preparePostgres, type BenchPostgres } from './postgres';
import { endpointReport, markdownTable, STARTUP_BUDGET_MS, type BenchReport, type EndpointReport } from './report';
import { budgets, buildScenario, type Endpoint } from './scenario';
import { auditSpanDays, seedBenchData } from './seed';
import { runSideBySide, type SideBySideReport } from './side-by-side';
import { measureStartup, type StartupReport } from './startup';
import { benchDir, startBareWorker, startBenchWorker, type BareQuery, type BenchWorker } from './worker';

// `npm run bench`: the API under `wrangler dev` on a seeded database, driven by concurrent clients;
// reports database round trips, latency and throughput per endpoint, then compares the API side by
// side with a bare Worker (bench/side-by-side.ts), and reports the Worker's bundle size and start-up
// CPU time; exits non-zero when a budget is broken or a request fails. `npm run bench -- --help`.

const resultsDir = resolve(repoRoot, 'bench/results');
const AFTER_RESPONSE_SETTLE_MS = 3_000;
/** Unmeasured rounds of the side-by-side comparison (every target once per round). */
const SIDE_BY_SIDE_WARMUP_ROUNDS = 10;

const log = (line: string) => console.log(line);

/** Busy and total CPU time of the whole machine so far (/proc/stat), to tell how busy it was. */
function cpuTimes(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busy: total - idle, total };
}

let postgres: BenchPostgres | undefined;
let db: LocalDb | undefined;
let worker: BenchWorker | undefined;
let bareWorker: BenchWorker | undefined;
let pgliteDir: string | undefined;
let stopping: Promise<void> | undefined;

/** Stops everything the benchmark started: wrangler (its process group), the endpoint, the cluster if we started it. */
function stopAll(): Promise<void> {
  stopping ??= (async () => {
    await worker?.stop().catch((error: unknown) => console.error(`stopping wrangler: ${describeError(error)}`));
    await bareWorker?.stop().catch((error: unknown) => console.error(`stopping the bare Worker's wrangler: ${describeError(error)}`));
    await db?.stop().catch((error: unknown) => console.error(`stopping the local database: ${describeError(error)}`));
    postgres?.release();
    if (pgliteDir) rmSync(pgliteDir, { recursive: true, force: true });
  })();
  return stopping;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping`);
    void stopAll().then(() => process.exit(130));
  });
}

async function main(): Promise<number> {
  let options: ReturnType<typeof parseOptions>;
  try {
    options = parseOptions(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    return 2;
  }
  if (options === 'help') {
    console.log(usage);
    return 0;
  }
  const startedAt = new Date();
  const loadBefore = loadavg()[0]!;
  const loadSamples: number[] = [];
  const runId = startedAt.getTime().toString(36);

  log('Building the Worker bundle (wrangler deploy --dry-run)');
  let startup: StartupReport | undefined;
  const bundle = measureBundle((workerBundle, mainModule) => {
    log(`Profiling the Worker's start-up and each area's first load (wrangler check startup, ${options.startupRuns} runs each)`);
    startup = measureStartup(workerBundle, mainModule, options.startupRuns, AREAS.map((area) => area.name));
  });

  let database: string;
  let databaseUrl: string | undefined;
  if (!options.pglite && postgresAvailable()) {
    postgres = await preparePostgres(log);
    databaseUrl = postgres.databaseUrl;
    database = 'PostgreSQL 15 (this machine, loopback)';
  } else {
    pgliteDir = resolve(benchDir, 'pglite');
    rmSync(pgliteDir, { recursive: true, force: true });
    database = 'PGlite (embedded)';
  }
  const captured = new Map<string, SqlRequest>();
  /** What the API ran for the request whose statement the bare Worker repeats. */
  const bareCapture: SqlRequest[] = [];
  /** The statements of every measured request (shortened), to show what a request over its budget ran. */
  const statements = new Map<string, string[]>();
  db = await startLocalDb({
    databaseUrl,
    dataDir: pgliteDir,
    delayMs: options.dbDelayMs,
    log: (line) => (line.includes('failed') ? console.error(line) : undefined),
    onSql: (requestId, request) => {
      if (requestId === BARE_CAPTURE_ID) bareCapture.push(request);
      if (!requestId.startsWith('b-')) return;
      if (requestId.startsWith('b-audit-deep-')) captured.set(requestId, request);
      const queries = request.kind === 'query' ? [request.query] : request.queries;
      const list = statements.get(requestId) ?? [];
      list.push(`${request.kind === 'batch' ? `batch of ${queries.length}: ` : ''}${queries.map((q) => q.query.replace(/\s+/g, ' ').slice(0, 160)).join(' ; ')}`);
      statements.set(requestId, list);
    },
  });
  const { pool } = db;
  database = `${database}, server ${(await pool.query<{ server_version: string }>('show server_version')).rows[0]!.server_version}`;
  log(`Database: ${database}`);

  const seedStarted = performance.now();
  await migrateDatabase(pool);
  await seedDatabase(pool, { adminPassword: `Admin-${runId}-password`, demoPassword: `Demo-${runId}-password` });
  log(`Seeding ${options.size.users} users, ${options.size.auditRows} audit rows, ${options.size.notificationsPerUser} notifications per test user`);
  const seedSteps = await seedBenchData(pool, options.size, log);
  const seedSeconds = (performance.now() - seedStarted) / 1000;

  log(`Starting wrangler dev on port ${options.port}`);
  worker = await startBenchWorker(db, options.port);
  log(`Worker ready at ${worker.baseUrl} (log: ${worker.logFile})`);

  const scenario = buildScenario(options.size, runId, auditSpanDays(options.size.auditRows));
  const phases: { endpoint: Endpoint; result: PhaseResult }[] = [];
  const cpuStart = cpuTimes();
  // With --side-by-side only the login phase runs: it signs in the sessions the comparison uses.
  const toRun = options.sideBySide === 'only' ? scenario.endpoints.filter((e) => e.id === 'login') : scenario.endpoints;
  for (const endpoint of toRun) {
    loadSamples.push(loadavg()[0]!);
    const result = await runPhase(endpoint, { baseUrl: worker.baseUrl, requests: options.requests, warmup: options.warmup, concurrency: options.concurrency });
    phases.push({ endpoint, result });
    const failed = result.samples.filter((s) => s.error).length + result.warmupErrors.length;
    log(`  ${endpoint.operation.padEnd(36)} ${result.samples.length} requests in ${result.seconds.toFixed(1)} s${failed ? `, ${failed} errors` : ''}`);
  }
  const cpuEnd = cpuTimes();
  loadSamples.push(loadavg()[0]!);
  // Work after the response (waitUntil) is still running for the last requests.
  await sleep(AFTER_RESPONSE_SETTLE_MS);

  const sideBySide = await compareSideBySide(scenario.endpoints, worker.baseUrl, options.port + 1, options.sideBySideRequests, bareCapture);

  const endpoints: EndpointReport[] = phases.map(({ endpoint, result }) => endpointReport(endpoint, result, (id) => db!.stats(id), (id) => statements.get(id) ?? []));
  const explain = await explainDeepestAuditPage(db, captured, scenario.auditDepth);
  if (!startup) throw new Error('the start-up was not profiled');
  const startupViolations = startup.medianMs < STARTUP_BUDGET_MS ? [] : [`start-up: median ${startup.medianMs} ms of CPU; budget under ${STARTUP_BUDGET_MS} ms`];
  const violations = [...endpoints.flatMap((e) => e.violations), ...sideBySide.violations, ...startupViolations];
  const report: BenchReport = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    ok: violations.length === 0,
    violations,
    environment: {
      database,
      node: process.version,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
      loadBefore,
      loadDuring: { min: Math.min(...loadSamples), max: Math.max(...loadSamples), samples: loadSamples },
      cpuBusyShare: (cpuEnd.busy - cpuStart.busy) / Math.max(1, cpuEnd.total - cpuStart.total),
    },
    options: { scenario: options.sideBySide === 'both', concurrency: options.concurrency, requestsPerEndpoint: options.requests, warmupPerEndpoint: options.warmup, dbDelayMs: options.dbDelayMs, quick: options.quick },
    dataset: {
      users: options.size.users,
      auditRows: options.size.auditRows,
      testUsers: options.size.testUsers,
      notificationsPerTestUser: options.size.notificationsPerUser,
      seedSeconds,
      seedSteps,
    },
    endpoints,
    bundle,
    startup,
    sideBySide,
    explain,
    budgets,
  };

  const table = markdownTable(report);
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(resolve(resultsDir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(resolve(resultsDir, 'latest.md'), `# Benchmark ${report.startedAt}\n\n${table}\n`);
  console.log(`\n${table}\n\nWrote bench/results/latest.json and bench/results/latest.md`);
  return report.ok ? 0 : 1;
}

const BARE_CAPTURE_ID = 's-capture-prefs-get';

/**
 * The side-by-side comparison: one `GET /api/users/preferences` tells which statement the API runs
 * (captured at the local endpoint); the bare Worker is started to run exactly that statement, and
 * the API and the bare Worker are measured in turn, one request at a time.
 */
async function compareSideBySide(endpoints: Endpoint[], apiUrl: string, barePort: number, requests: number, capture: SqlRequest[]): Promise<SideBySideReport> {
  const prefs = endpoints.find((e) => e.id === 'prefs-get')!;
  const { sample } = await send(apiUrl, await prefs.request(0, 0), BARE_CAPTURE_ID);
  if (sample.error) throw new Error(`side-by-side: GET /api/users/preferences failed: ${sample.error}`);
  const [statement] = capture;
  if (capture.length !== 1 || statement?.kind !== 'query') throw new Error(`side-by-side: expected the preferences read to be one query, got ${JSON.stringify(capture)}`);
  const bare: BareQuery = { query: statement.query.query, params: statement.query.params };
  log(`Starting the bare Worker (wrangler dev on port ${barePort})`);
  bareWorker = await startBareWorker(db!, barePort, bare);
  log(`Side by side: ${requests} sequential requests to each target`);
  const started = performance.now();
  const cpuStart = cpuTimes();
  const report = await runSideBySide({
    apiUrl,
    bareUrl: bareWorker.baseUrl,
    endpoints,
    requests,
    warmupRounds: SIDE_BY_SIDE_WARMUP_ROUNDS,
    bareStatement: `${bare.query.replace(/\s+/g, ' ').slice(0, 120)}…`,
    stats: (id) => db!.stats(id),
  });
  const cpuEnd = cpuTimes();
  report.cpuBusyShare = (cpuEnd.busy - cpuStart.busy) / Math.max(1, cpuEnd.total - cpuStart.total);
  log(`  done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  await bareWorker.stop();
  bareWorker = undefined;
  return report;
}

/**
 * EXPLAIN ANALYZE of the deepest measured audit-log page, exactly as the Worker sent it (captured at
 * the local endpoint), run on the benchmark's database.
 */
async function explainDeepestAuditPage(db: LocalDb, captured: Map<string, SqlRequest>, depth: (n: number) => number): Promise<BenchReport['explain']> {
  const isTimestamp = (value: unknown): value is string => typeof value === 'string' && /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d/.test(value);
  const candidates = [...captured.entries()].flatMap(([requestId, request]) => {
    const query = request.kind === 'query' ? request.query : request.queries.find((q) => q.query.includes('audit_logs'));
    const at = query?.params.find(isTimestamp);
    const n = Number(requestId.split('-').at(-1));
    return query && at && depth(n) > 0 ? [{ query, at: Date.parse(at.replace(' ', 'T')), pages: depth(n) }] : [];
  });
  const deepest = candidates.sort((a, b) => a.at - b.at)[0];
  if (!deepest) return null;
  const { rows: newer } = await db.pool.query<{ n: string }>('select count(*) as n from audit_logs where created_at > $1', [new Date(deepest.at).toISOString()]);
  const { rows } = await db.pool.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${deepest.query.query}`, deepest.query.params);
  const plan = rows.map((r) => r['QUERY PLAN']);
  return {
    description: `${Number(newer[0]!.n).toLocaleString('en')} rows deep, page ${deepest.pages + 1} of its cursor walk`,
    sql: deepest.query.query,
    params: deepest.query.params,
    topLine: plan[0]!.trim(),
    scanLine: (plan.find((line) => /Scan/.test(line)) ?? '').replace(/^[\s->]+/, '').trim(),
    plan,
  };
}

let code = 1;
try {
  code = await main();
} catch (error) {
  console.error(`Benchmark failed: ${describeError(error)}`);
  if (error instanceof Error && error.stack) console.error(error.stack);
} finally {
  await stopAll();
}
process.exit(code);
