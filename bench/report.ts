import type { RequestStats } from '../scripts/local-db/server';
import type { BundleSize } from './bundle';
import type { PhaseResult } from './driver';
import { budgets, type Endpoint, type EndpointKind } from './scenario';
import { ratioBudgets, type SideBySideReport } from './side-by-side';
import type { StartupReport } from './startup';

interface MaxMean {
  max: number;
  mean: number;
}

export interface EndpointReport {
  id: string;
  operation: string;
  kind: EndpointKind;
  /** Most database round trips a request may use. */
  budget: number;
  original: string | null;
  requests: number;
  errors: number;
  /** A few of the error answers, for the reader. */
  errorExamples: string[];
  roundTrips: MaxMean;
  statements: MaxMean;
  /** Work after the response (`<requestId>:after`): reported, not budgeted. */
  afterResponse: { roundTrips: MaxMean; statements: MaxMean };
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  requestsPerSecond: number;
  violations: string[];
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

function maxMean(values: number[]): MaxMean {
  if (values.length === 0) return { max: 0, mean: 0 };
  return { max: Math.max(...values), mean: round(values.reduce((a, b) => a + b, 0) / values.length) };
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!, 1);
}

export function endpointReport(
  endpoint: Endpoint,
  phase: PhaseResult,
  stats: (requestId: string) => RequestStats,
  statementsOf: (requestId: string) => string[],
): EndpointReport {
  const own = phase.samples.map((s) => stats(s.requestId));
  const after = phase.samples.map((s) => stats(`${s.requestId}:after`));
  const latencies = phase.samples.map((s) => s.ms).sort((a, b) => a - b);
  const errors = phase.samples.filter((s) => s.error !== null);
  const errorExamples = [...new Set([...phase.warmupErrors.map((e) => `warm-up ${e}`), ...errors.map((s) => `${s.requestId}: ${s.error}`)])].slice(0, 5);
  const budget = budgets[endpoint.kind].roundTrips;
  const roundTrips = maxMean(own.map((s) => s.roundTrips));
  const violations: string[] = [];
  if (roundTrips.max > budget) {
    const over = phase.samples.filter((_, i) => own[i]!.roundTrips > budget);
    const example = over[0]!.requestId;
    violations.push(
      `${endpoint.operation}: ${over.length} request(s) used up to ${roundTrips.max} database round trips; budget ${budget} (${budgets[endpoint.kind].rule}). ` +
        `${example} ran: ${statementsOf(example).map((q) => `[${q}]`).join(' ')}`,
    );
  }
  if (errors.length + phase.warmupErrors.length > 0) {
    violations.push(`${endpoint.operation}: ${errors.length} error(s) among ${phase.samples.length} measured requests, ${phase.warmupErrors.length} during warm-up (e.g. ${errorExamples[0]})`);
  }
  return {
    id: endpoint.id,
    operation: endpoint.operation,
    kind: endpoint.kind,
    budget,
    original: endpoint.original ?? null,
    requests: phase.samples.length,
    errors: errors.length + phase.warmupErrors.length,
    errorExamples,
    roundTrips,
    statements: maxMean(own.map((s) => s.statements)),
    afterResponse: { roundTrips: maxMean(after.map((s) => s.roundTrips)), statements: maxMean(after.map((s) => s.statements)) },
    latencyMs: {
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
      max: round(latencies.at(-1) ?? 0, 1),
    },
    requestsPerSecond: round(phase.samples.length / phase.seconds, 1),
    violations,
  };
}

export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  ok: boolean;
  violations: string[];
  environment: {
    database: string;
    node: string;
    cpus: number;
    cpuModel: string;
    /** 1-minute load average when the benchmark started (before it did anything): the others' load. */
    loadBefore: number;
    /** 1-minute load average sampled before each phase and at the end. */
    loadDuring: { min: number; max: number; samples: number[] };
    /** Share of the machine's CPU time busy (all processes) while the measured phases ran. */
    cpuBusyShare: number;
  };
  options: { scenario: boolean; concurrency: number; requestsPerEndpoint: number; warmupPerEndpoint: number; dbDelayMs: number; quick: boolean };
  dataset: { users: number; auditRows: number; testUsers: number; notificationsPerTestUser: number; seedSeconds: number; seedSteps: Record<string, number> };
  endpoints: EndpointReport[];
  bundle: BundleSize;
  /** `wrangler check startup`; budget: median under STARTUP_BUDGET_MS. */
  startup: StartupReport;
  /** The side-by-side comparison with a bare Worker. */
  sideBySide: SideBySideReport;
  explain: { description: string; sql: string; params: unknown[]; topLine: string; scanLine: string; plan: string[] } | null;
  budgets: Record<EndpointKind, { roundTrips: number; rule: string }>;
}

/** Start-up CPU time (median of the runs) the Worker must stay under. */
export const STARTUP_BUDGET_MS = 100;

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
const pair = ({ max, mean }: MaxMean) => `${max} / ${mean.toFixed(2)}`;

const times = (value: number) => `${value.toFixed(2)}×`;

/** The side-by-side table: the bare Worker's two rows, then every compared endpoint with its ratios. */
export function sideBySideTable(s: SideBySideReport): string {
  const budget = (e: SideBySideReport['endpoints'][number]) => {
    if (!e.budget) return '-';
    const measured = e.budget.baseline === 'query' ? e.vsQuery : e.vsNoop;
    return `≤ ${e.budget.max}× ${e.budget.baseline === 'query' ? 'one-query' : 'no-op'}: ${measured <= e.budget.max ? 'met' : '**BROKEN**'}`;
  };
  return [
    '| Target | Kind | DB round trips (mean) | p50 ms | p95 ms | × bare one-query Worker | × bare no-op Worker | Budget |',
    '|---|---|---|---|---|---|---|---|',
    `| bare Worker, no-op | - | 0 | ${s.bare.noop.p50.toFixed(1)} | ${s.bare.noop.p95.toFixed(1)} | ${times(s.bare.noop.p50 / s.bare.query.p50)} | 1.00× | - |`,
    `| bare Worker, one query | - | 1 | ${s.bare.query.p50.toFixed(1)} | ${s.bare.query.p95.toFixed(1)} | 1.00× | ${times(s.bare.query.p50 / s.bare.noop.p50)} | - |`,
    ...s.endpoints.map(
      (e) =>
        `| \`${e.operation}\` | ${e.kind} | ${e.roundTrips.toFixed(2)} | ${e.latencyMs.p50.toFixed(1)} | ${e.latencyMs.p95.toFixed(1)} | ${e.budget?.baseline === 'query' ? `**${times(e.vsQuery)}**` : times(e.vsQuery)} | ${e.budget?.baseline === 'noop' ? `**${times(e.vsNoop)}**` : times(e.vsNoop)} | ${budget(e)} |`,
    ),
    '',
    `Side by side: ${s.requestsPerTarget} sequential requests per target (concurrency 1) after ${s.warmupRounds} warm-up rounds, every round in a shuffled order ` +
      `(machine CPU ${(s.cpuBusyShare * 100).toFixed(0)} % busy meanwhile); ` +
      `the bare Worker (bench/bare-worker.ts, its own \`wrangler dev\`) runs the API's preferences read with the same Neon client against the same endpoint: \`${s.bareStatement}\`.`,
  ].join('\n');
}

export function startupLine(startup: StartupReport): string {
  return (
    `Start-up (\`wrangler check startup\`, CPU time of the global scope, ${startup.runsMs.length} runs): median ${startup.medianMs.toFixed(1)} ms, fastest ${startup.minMs.toFixed(1)} ms ` +
    `(${startup.runsMs.map((ms) => ms.toFixed(1)).join(', ')}; budget: median under ${STARTUP_BUDGET_MS} ms); most of it: ${startup.top.map((t) => `${t.source} ${t.ms.toFixed(1)} ms`).join(', ')}. ` +
    `The first request of an area adds the evaluation of its modules (src/areas.ts; start-up with the area built, median, minus the start-up): ` +
    `${startup.areas.map((a) => `${a.area} +${a.addedMs.toFixed(1)} ms`).join(', ')}.`
  );
}

export function markdownTable(report: BenchReport): string {
  const rows = report.endpoints.map((e) =>
    [
      `\`${e.operation}\``,
      e.kind,
      String(e.budget),
      pair(e.roundTrips),
      pair(e.statements),
      e.afterResponse.roundTrips.mean.toFixed(2),
      e.original ?? '-',
      e.latencyMs.p50.toFixed(1),
      e.latencyMs.p95.toFixed(1),
      e.latencyMs.p99.toFixed(1),
      e.requestsPerSecond.toFixed(0),
      String(e.errors),
    ].join(' | '),
  );
  const { environment: env, options, dataset, bundle } = report;
  const scenario = [
    `| Endpoint | Kind | Budget (round trips) | DB round trips max / mean | Statements max / mean | After response (round trips, mean) | Original API (statements) | p50 ms | p95 ms | p99 ms | req/s | Errors |`,
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r} |`),
    '',
  ];
  return [
    ...(options.scenario ? scenario : []),
    sideBySideTable(report.sideBySide),
    '',
    `Database: ${env.database}; data: ${dataset.users.toLocaleString('en')} users, ${dataset.auditRows.toLocaleString('en')} audit rows, ` +
      `${dataset.notificationsPerTestUser} notifications per test user (${dataset.testUsers} test users); seeded in ${dataset.seedSeconds.toFixed(0)} s.`,
    `Load: ${options.scenario ? `${options.concurrency} concurrent clients, ${options.requestsPerEndpoint} measured requests per endpoint after ${options.warmupPerEndpoint} warm-up requests` : 'side by side only (the concurrent scenario skipped)'}; ` +
      `simulated database delay ${options.dbDelayMs} ms per round trip; \`wrangler dev\` (workerd) on Node ${env.node}, ${env.cpus} CPU(s) (${env.cpuModel}).`,
    `Machine: 1-min load average ${env.loadBefore.toFixed(1)} before the benchmark started, ` +
      `${env.loadDuring.min.toFixed(1)}-${env.loadDuring.max.toFixed(1)} during it; CPU ${(env.cpuBusyShare * 100).toFixed(0)} % busy during the measured phases.`,
    `Worker bundle (\`wrangler deploy --dry-run\`): ${mb(bundle.raw)} raw, ${mb(bundle.gzip)} gzip ` +
      `(${bundle.files.map((f) => `${f.file.replace(/^[0-9a-f]{40}-/, '')} ${kb(f.raw)} / ${kb(f.gzip)} gz`).join('; ')}).`,
    startupLine(report.startup),
    ...(report.explain
      ? [`Deep audit-log page (${report.explain.description}): \`${report.explain.topLine}\`, using \`${report.explain.scanLine}\`.`]
      : []),
    `Budgets (database round trips per request, at most): ${(Object.keys(report.budgets) as EndpointKind[]).map((k) => `${k} ${report.budgets[k].roundTrips} (${report.budgets[k].rule})`).join('; ')}; ` +
      'work after the response (waitUntil) is reported, not counted; zero errors' +
      `; side by side: ${Object.entries(ratioBudgets).map(([id, b]) => `${id} at most ${b.max}× the bare ${b.baseline === 'query' ? 'one-query' : 'no-op'} Worker`).join(', ')}` +
      `; start-up under ${STARTUP_BUDGET_MS} ms.`,
    `Result: ${report.ok ? 'all budgets met' : `BUDGETS BROKEN:\n${report.violations.map((v) => `- ${v}`).join('\n')}`}.`,
  ].join('\n');
}
