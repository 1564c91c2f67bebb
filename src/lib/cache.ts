import type { Logger } from './logger';

export interface CachedLoad<T> {
  value: T;
  /** Where the value came from: the KV cache or the loader (database). */
  source: 'cache' | 'origin';
}

/**
 * Read-through cache on Workers KV: a hit costs no database round trip; a miss or a KV failure
 * loads from the origin and refills KV after the response (`waitUntil`). KV is eventually
 * consistent (writes can take ~60 s to reach other locations), so the TTL bounds staleness.
 */
export async function readThrough<T>(
  kv: KVNamespace,
  key: string,
  ttlSeconds: number,
  load: () => Promise<T>,
  options: { waitUntil: (p: Promise<unknown>) => void; logger: Logger },
): Promise<CachedLoad<T>> {
  try {
    const hit = await kv.get<T>(key, 'json');
    if (hit !== null) return { value: hit, source: 'cache' };
  } catch (error) {
    options.logger.warn('kv read failed, using the database', { key, error: String(error) });
  }
  const value = await load();
  options.waitUntil(writeCache(kv, key, value, ttlSeconds, options.logger));
  return { value, source: 'origin' };
}

/** Writes a value to KV; failures are logged, never thrown (the cache is an optimisation). */
export async function writeCache(kv: KVNamespace, key: string, value: unknown, ttlSeconds: number, logger: Logger) {
  try {
    await kv.put(key, JSON.stringify(value), { expirationTtl: Math.max(60, ttlSeconds) });
  } catch (error) {
    logger.warn('kv write failed', { key, error: String(error) });
  }
}

const unavailable = () => Promise.reject(new Error('KV unavailable (simulated outage)'));

/** A KV namespace whose every operation fails, as during a KV outage. */
const unavailableKv = {
  get: unavailable,
  getWithMetadata: unavailable,
  put: unavailable,
  delete: unavailable,
  list: unavailable,
} as unknown as KVNamespace;

/**
 * The KV namespace the read-through caches use: the CACHE binding, or, when the request asked
 * for a simulated outage (`X-Test-KV-Outage: 1`, honoured only when APP_ENV is `test`, see
 * `serviceContext`), a namespace whose every call fails, so tests can show the database fallback.
 */
export function cacheNamespace(ctx: { env: { CACHE: KVNamespace }; kvOutage?: boolean }): KVNamespace {
  return ctx.kvOutage ? unavailableKv : ctx.env.CACHE;
}
