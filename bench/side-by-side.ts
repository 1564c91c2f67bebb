import type { RequestStats } from '../scripts/local-db/server';
import { send, type Sample } from './driver';
import { percentile } from './report';
import type { Endpoint, EndpointKind, RequestSpec } from './scenario';

/**
 * The side-by-side comparison: the API and a bare Worker (bench/bare-worker.ts), each under its own
 * `wrangler dev` on the same local database endpoint, sent the same kind of requests one at a time
 * (concurrency 1, so that no request waits for another's CPU), interleaved in a shuffled order every
 * round so that a change in the machine's load reaches every target alike. Each endpoint's median
 * is divided by the bare Worker's one-query median (and, for cached public reads, by the bare no-op
 * Worker's median).
 */

export type Baseline = 'query' | 'noop';

/** The overhead budgets: the API's median at most `max` times the bare Worker's. */
export const ratioBudgets: Record<string, { baseline: Baseline; max: number; rule: string }> = {
  'prefs-get': { baseline: 'query', max: 1.3, rule: 'an authenticated one-query read' },
  'settings-public': { baseline: 'noop', max: 1.3, rule: 'a cached public read' },
  themes: { baseline: 'noop', max: 1.3, rule: 'a cached public read' },
};

/** The scenario's endpoints compared: every read and the one-batch profile and preference writes. */
const COMPARED = ['me', 'profile-get', 'prefs-get', 'settings-get', 'nav-user', 'settings-public', 'themes', 'notif-list', 'notif-unread', 'sessions', 'audit-deep', 'profile-put', 'prefs-put'];

export interface Latency {
  p50: number;
  p95: number;
}

export interface SideBySideEndpoint {
  id: string;
  operation: string;
  kind: EndpointKind;
  latencyMs: Latency;
  /** Database round trips per request, mean (the local endpoint's counters). */
  roundTrips: number;
  /** p50 / the bare Worker's one-query p50. */
  vsQuery: number;
  /** p50 / the bare no-op Worker's p50. */
  vsNoop: number;
  budget: { baseline: Baseline; max: number; rule: string } | null;
  errors: number;
}

export interface SideBySideReport {
  requestsPerTarget: number;
  warmupRounds: number;
  /** The statement the bare Worker runs (the API's preferences read), shortened. */
  bareStatement: string;
  bare: { query: Latency; noop: Latency; errors: number };
  endpoints: SideBySideEndpoint[];
  violations: string[];
  /** Share of the machine's CPU time busy (all processes) during the comparison. */
  cpuBusyShare: number;
}

interface Target {
  id: string;
  baseUrl: string;
  envelope: boolean;
  endpoint?: Endpoint;
  request(n: number): RequestSpec | Promise<RequestSpec>;
}

/** A fixed pseudo-random order per round (mulberry32), so runs are comparable. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const latency = (samples: Sample[]): Latency => {
  const sorted = samples.filter((s) => s.error === null).map((s) => s.ms).sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
};

const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;

export interface SideBySideOptions {
  apiUrl: string;
  bareUrl: string;
  /** The scenario's endpoints (their sessions already signed in by its login phase). */
  endpoints: Endpoint[];
  requests: number;
  warmupRounds: number;
  bareStatement: string;
  stats: (requestId: string) => RequestStats;
}

/** The request id of a side-by-side request (the API tags its queries with it). */
export const sideBySideRequestId = (target: string, n: number) => `s-${target}-${n}`;

export async function runSideBySide(options: SideBySideOptions): Promise<SideBySideReport> {
  const get = (path: string): RequestSpec => ({ method: 'GET', path });
  const targets: Target[] = [
    { id: 'bare-noop', baseUrl: options.bareUrl, envelope: false, request: () => get('/noop') },
    { id: 'bare-query', baseUrl: options.bareUrl, envelope: false, request: () => get('/query') },
    ...COMPARED.map((id) => {
      const endpoint = options.endpoints.find((e) => e.id === id);
      if (!endpoint) throw new Error(`side-by-side: the scenario has no endpoint ${id}`);
      return { id, baseUrl: options.apiUrl, envelope: true, endpoint, request: (n: number) => endpoint.request(n, 0) };
    }),
  ];
  const samples = new Map<string, Sample[]>(targets.map((t) => [t.id, []]));
  const sent = new Map<string, number>();
  const warmupErrors: string[] = [];
  for (let round = 0; round < options.warmupRounds + options.requests; round++) {
    const measured = round >= options.warmupRounds;
    for (const target of shuffled(targets, round + 1)) {
      const n = sent.get(target.id) ?? 0;
      sent.set(target.id, n + 1);
      const requestId = sideBySideRequestId(target.id, n);
      const { reply, sample } = await send(target.baseUrl, await target.request(n), requestId, target.envelope);
      if (reply && sample.error === null) target.endpoint?.onReply?.(n, 0, reply);
      target.endpoint?.release?.(n);
      if (measured) samples.get(target.id)!.push({ requestId, ...sample });
      else if (sample.error) warmupErrors.push(`${target.id} ${requestId}: ${sample.error}`);
    }
  }

  const errorsOf = (id: string) => samples.get(id)!.filter((s) => s.error !== null);
  const query = latency(samples.get('bare-query')!);
  const noop = latency(samples.get('bare-noop')!);
  const violations: string[] = [];
  const bareErrors = errorsOf('bare-query').length + errorsOf('bare-noop').length;
  if (bareErrors > 0) violations.push(`side-by-side: the bare Worker failed ${bareErrors} request(s), e.g. ${[...errorsOf('bare-query'), ...errorsOf('bare-noop')][0]!.error}`);
  if (warmupErrors.length > 0) violations.push(`side-by-side: ${warmupErrors.length} error(s) during warm-up, e.g. ${warmupErrors[0]}`);
  const endpoints = targets.flatMap((target): SideBySideEndpoint[] => {
    if (!target.endpoint) return [];
    const own = samples.get(target.id)!;
    const lat = latency(own);
    const budget = ratioBudgets[target.id] ?? null;
    const result: SideBySideEndpoint = {
      id: target.id,
      operation: target.endpoint.operation,
      kind: target.endpoint.kind,
      latencyMs: lat,
      roundTrips: Math.round((own.reduce((sum, s) => sum + options.stats(s.requestId).roundTrips, 0) / Math.max(1, own.length)) * 100) / 100,
      vsQuery: ratio(lat.p50, query.p50),
      vsNoop: ratio(lat.p50, noop.p50),
      budget,
      errors: errorsOf(target.id).length,
    };
    if (result.errors > 0) violations.push(`side-by-side ${result.operation}: ${result.errors} error(s), e.g. ${errorsOf(target.id)[0]!.error}`);
    const measuredRatio = budget?.baseline === 'query' ? result.vsQuery : result.vsNoop;
    if (budget && measuredRatio > budget.max) {
      violations.push(
        `side-by-side ${result.operation}: median ${lat.p50} ms is ${measuredRatio} times the bare ${budget.baseline === 'query' ? 'one-query' : 'no-op'} Worker's ` +
          `${budget.baseline === 'query' ? query.p50 : noop.p50} ms; budget ${budget.max} (${budget.rule})`,
      );
    }
    return [result];
  });
  return {
    requestsPerTarget: options.requests,
    warmupRounds: options.warmupRounds,
    bareStatement: options.bareStatement,
    bare: { query, noop, errors: bareErrors },
    endpoints,
    violations,
    cpuBusyShare: 0,
  };
}
