import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../context';
import type { Env } from '../env';
import { fromBase64 } from './crypto';
import { ApiError, type ErrorDetail } from './errors';

/**
 * The configuration the Worker cannot run without, checked once per isolate (per `env` object):
 * DATABASE_URL, JWT_SECRET, ENCRYPTION_KEY, LOCAL_DB_ENDPOINT outside development and tests, and
 * CORS_ORIGINS without a wildcard or null entry. A problem names the variable, never its value.
 */
export interface ConfigurationProblem {
  variable: 'DATABASE_URL' | 'JWT_SECRET' | 'ENCRYPTION_KEY' | 'LOCAL_DB_ENDPOINT' | 'CORS_ORIGINS';
  problem: string;
  code: 'missing' | 'invalid' | 'not_allowed';
}

const LOCAL_ENVIRONMENTS = new Set<string | undefined>(['development', 'test']);

/** Whether an APP_ENV is explicitly local (development, test): a missing or unknown one counts as production. */
export const isLocalEnvironment = (environment: Env['APP_ENV'] | undefined) => LOCAL_ENVIRONMENTS.has(environment);
const JWT_SECRET_MIN_BYTES = 32;
const ENCRYPTION_KEY_BYTES = 32;

const checked = new WeakMap<Env, readonly ConfigurationProblem[]>();
const reported = new WeakSet<Env>();

/** Every configuration problem of `env`; computed on the first call for that env object, then remembered. */
export function configurationProblems(env: Env): readonly ConfigurationProblem[] {
  let problems = checked.get(env);
  if (!problems) {
    problems = Object.freeze(check(env));
    checked.set(env, problems);
  }
  return problems;
}

/**
 * Every answer allows credentials (the refresh cookie, Authorization): a wildcard origin would let
 * any web page call the API as the signed-in user and read the answers, and `null` is the origin
 * of sandboxed frames and local files, which any page can create. Such an entry is refused.
 */
const isWildcardOrigin = (entry: string) => entry.includes('*') || entry.toLowerCase() === 'null';
const corsEntries = (list: string | undefined) => (list ?? '').split(',').map((o) => o.trim()).filter(Boolean);

/** The origins CORS_ORIGINS (comma-separated) allows, matched exactly; a wildcard or `null` entry is never honoured. */
export function corsOrigins(list: string | undefined): string[] {
  return corsEntries(list).filter((entry) => !isWildcardOrigin(entry));
}

/**
 * The local database endpoint, honoured only when APP_ENV is `development` or `test`: anywhere
 * else it would send DATABASE_URL, password included, over plain HTTP to that address.
 */
export function localDbEndpoint(env: Env): string | undefined {
  return isLocalEnvironment(env.APP_ENV) ? env.LOCAL_DB_ENDPOINT || undefined : undefined;
}

function check(env: Env): ConfigurationProblem[] {
  const problems: ConfigurationProblem[] = [];
  const add = (variable: ConfigurationProblem['variable'], code: ConfigurationProblem['code'], problem: string) =>
    problems.push({ variable, code, problem });

  const databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) add('DATABASE_URL', 'missing', 'DATABASE_URL is not set');
  else if (!isPostgresUrl(databaseUrl)) {
    add('DATABASE_URL', 'invalid', 'DATABASE_URL must be a connection string: postgresql://user:password@host/database');
  }

  if (!env.JWT_SECRET) add('JWT_SECRET', 'missing', 'JWT_SECRET is not set');
  // Counted in characters as the token code does (which also makes it at least as many bytes).
  else if (env.JWT_SECRET.length < JWT_SECRET_MIN_BYTES) {
    add('JWT_SECRET', 'invalid', `JWT_SECRET must be at least ${JWT_SECRET_MIN_BYTES} bytes (characters) long`);
  }

  if (!env.ENCRYPTION_KEY) add('ENCRYPTION_KEY', 'missing', 'ENCRYPTION_KEY is not set');
  else if (base64Length(env.ENCRYPTION_KEY) !== ENCRYPTION_KEY_BYTES) {
    add('ENCRYPTION_KEY', 'invalid', `ENCRYPTION_KEY must be the base64 of ${ENCRYPTION_KEY_BYTES} random bytes`);
  }

  if (env.LOCAL_DB_ENDPOINT) {
    if (!isLocalEnvironment(env.APP_ENV)) {
      add('LOCAL_DB_ENDPOINT', 'not_allowed', 'LOCAL_DB_ENDPOINT is only allowed when APP_ENV is development or test');
    } else if (!/^https?:$/.test(URL.canParse(env.LOCAL_DB_ENDPOINT) ? new URL(env.LOCAL_DB_ENDPOINT).protocol : '')) {
      add('LOCAL_DB_ENDPOINT', 'invalid', 'LOCAL_DB_ENDPOINT must be an http(s) URL');
    }
  }

  if (corsEntries(env.CORS_ORIGINS).some(isWildcardOrigin)) {
    add('CORS_ORIGINS', 'not_allowed', 'CORS_ORIGINS must list the front ends’ origins exactly: a wildcard or null cannot be combined with credentials');
  }
  return problems;
}

function isPostgresUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === 'postgresql:' || url.protocol === 'postgres:')
    && url.hostname !== '' && url.username !== '' && url.password !== '' && url.pathname.length > 1;
}

function base64Length(value: string): number | undefined {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) return undefined;
  try {
    return fromBase64(value.replace(/=+$/, '')).length;
  } catch {
    return undefined;
  }
}

/**
 * Every request of a misconfigured Worker, /health and the docs included, answers 503
 * CONFIGURATION_ERROR listing the variables at fault (logged once per isolate).
 */
export const configurationGuard = createMiddleware<AppEnv>(async (c, next) => {
  const problems = configurationProblems(c.env);
  if (problems.length === 0) return next();
  const variables = problems.map((p) => p.variable);
  if (!reported.has(c.env)) {
    reported.add(c.env);
    c.get('logger')?.error('configuration error: every request answers 503 until it is fixed', { variables, problems: problems.map((p) => p.problem) });
  }
  const details: ErrorDetail[] = problems.map((p) => ({ field: p.variable, message: p.problem, code: p.code }));
  throw new ApiError('CONFIGURATION_ERROR', `The service is misconfigured: ${variables.join(', ')}`, { details });
});
