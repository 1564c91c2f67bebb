import { ApiError } from './errors';
import type { Logger } from './logger';

/** Both bindings count per 60-second window (see wrangler.toml). */
const WINDOW_SECONDS = 60;

/**
 * Counts one hit against a Workers Rate Limiting binding and throws 429 RATE_LIMIT_EXCEEDED
 * (with Retry-After) past the limit. A failing binding lets the request through, logged.
 */
export async function enforceRateLimit(binding: RateLimit | undefined, key: string, logger: Logger): Promise<void> {
  if (!binding) return;
  let allowed = true;
  try {
    ({ success: allowed } = await binding.limit({ key }));
  } catch (error) {
    logger.warn('rate limiter unavailable', { key, error: String(error) });
  }
  if (!allowed) {
    throw new ApiError('RATE_LIMIT_EXCEEDED', 'Too many requests; try again later', {
      headers: { 'Retry-After': String(WINDOW_SECONDS) },
    });
  }
}
