import type { Endpoint, Reply, RequestSpec } from './scenario';

export interface Sample {
  requestId: string;
  /** 0 when the request never got an answer. */
  status: number;
  ms: number;
  /** Why the request counts as an error, or null. */
  error: string | null;
}

export interface PhaseResult {
  samples: Sample[];
  /** Wall time of the measured requests, in seconds. */
  seconds: number;
  /** Errors among the warm-up requests (they count against "zero errors" too). */
  warmupErrors: string[];
}

export interface PhaseOptions {
  baseUrl: string;
  requests: number;
  warmup: number;
  concurrency: number;
}

/** The request id of the n-th request of an endpoint (the Worker tags its queries with it). */
export const requestIdOf = (endpoint: Endpoint, n: number, measured: boolean) => `${measured ? 'b' : 'w'}-${endpoint.id}-${n}`;

/**
 * Sends one request and times it until its body has been read. An answer counts as an error unless
 * it is 2xx and (with `envelope`, the API's answers) the success envelope carrying the request id.
 */
export async function send(baseUrl: string, spec: RequestSpec, requestId: string, envelope = true): Promise<{ reply?: Reply; sample: Omit<Sample, 'requestId'> }> {
  const headers: Record<string, string> = { 'X-Request-Id': requestId, Accept: 'application/json' };
  if (spec.token) headers.Authorization = `Bearer ${spec.token}`;
  if (spec.body !== undefined) headers['Content-Type'] = 'application/json';
  const started = performance.now();
  try {
    const res = await fetch(`${baseUrl}${spec.path}`, {
      method: spec.method,
      headers,
      body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
    });
    const text = await res.text();
    const ms = performance.now() - started;
    let body: any;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const reply = { status: res.status, body };
    if (!res.ok) return { reply, sample: { status: res.status, ms, error: `${res.status} ${body?.error?.code ?? text.slice(0, 80)}` } };
    if (envelope && (body?.success !== true || body?.meta?.requestId !== requestId)) {
      return { reply, sample: { status: res.status, ms, error: `${res.status} without the success envelope` } };
    }
    return { reply, sample: { status: res.status, ms, error: null } };
  } catch (error) {
    return { sample: { status: 0, ms: performance.now() - started, error: `no answer: ${String(error)}` } };
  }
}

/**
 * Sends `warmup` unmeasured requests, then `requests` measured ones, from `concurrency` clients
 * that each send one request at a time.
 */
export async function runPhase(endpoint: Endpoint, { baseUrl, requests, warmup, concurrency }: PhaseOptions): Promise<PhaseResult> {
  endpoint.prepare?.();
  let next = 0;
  const samples: Sample[] = [];
  const warmupErrors: string[] = [];

  const client = async (clientNo: number, until: number, measured: boolean) => {
    while (next < until) {
      const n = next++;
      const requestId = requestIdOf(endpoint, n, measured);
      const spec = await endpoint.request(n, clientNo);
      const { reply, sample } = await send(baseUrl, spec, requestId);
      if (reply && sample.error === null) endpoint.onReply?.(n, clientNo, reply);
      endpoint.release?.(n);
      if (measured) samples.push({ requestId, ...sample });
      else if (sample.error) warmupErrors.push(`${requestId}: ${sample.error}`);
    }
  };
  const clients = (until: number, measured: boolean) => Promise.all(Array.from({ length: concurrency }, (_, i) => client(i, until, measured)));

  await clients(warmup, false);
  const started = performance.now();
  await clients(warmup + requests, true);
  return { samples, seconds: (performance.now() - started) / 1000, warmupErrors };
}
