import type { Hook } from '@hono/zod-openapi';
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from '../context';
import { databaseFailure, pgErrorCode } from './db';
import { errorBody } from './envelope';
import { ApiError, type ErrorCode, type ErrorDetail } from './errors';
import { describeError } from './logger';

const locations: Record<string, string> = { json: 'body', form: 'body', query: 'query', param: 'path', header: 'header', cookie: 'cookie' };

/** zod issues -> `[{ field, message, code }]`, every issue listed. */
export function zodIssuesToDetails(
  issues: readonly { path: readonly PropertyKey[]; message: string; code: string }[],
  target: string,
): ErrorDetail[] {
  const prefix = locations[target] ?? target;
  return issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].join('.'),
    message: issue.message,
    code: issue.code,
  }));
}

/** The `defaultHook` of every OpenAPI route: validation failures become a 400 in the envelope. */
export const validationHook: Hook<unknown, AppEnv, string, unknown> = (result, c) => {
  if (!result.success) {
    const details = zodIssuesToDetails(result.error.issues, result.target);
    return c.json(errorBody(c, 'VALIDATION_ERROR', 'Invalid request data', details), 400);
  }
};

function respond(c: Context<AppEnv>, error: ApiError) {
  if (error.headers) for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
  return c.json(errorBody(c, error.code, error.message, error.details), error.status);
}

function fromHttpException(error: HTTPException): ApiError {
  const byStatus: Partial<Record<number, ErrorCode>> = {
    401: 'UNAUTHORIZED',
    403: 'FORBIDDEN',
    404: 'NOT_FOUND',
    413: 'PAYLOAD_TOO_LARGE',
    415: 'UNSUPPORTED_MEDIA_TYPE',
    429: 'RATE_LIMIT_EXCEEDED',
  };
  if (error.status === 400 && /json/i.test(error.message)) return new ApiError('INVALID_JSON', 'Malformed JSON in request body');
  const code = byStatus[error.status] ?? (error.status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST');
  return new ApiError(code, error.status >= 500 ? 'Internal server error' : error.message || code);
}

/** The one error handler: every thrown value leaves as the error envelope. */
export const handleError: ErrorHandler<AppEnv> = (error, c) => {
  if (error instanceof ApiError) return respond(c, error);
  if (error instanceof HTTPException) return respond(c, fromHttpException(error));
  const logger = c.get('logger');
  const sqlState = pgErrorCode(error);
  // Neon's own failures (unreachable, restarting, out of connections, answer too large, connection
  // refused) are 503s, not 500s: nothing was written, and the request may be retried.
  const failure = databaseFailure(error);
  if (failure) {
    if (failure === 'configuration') {
      logger?.error('configuration error: the database refused the connection (check DATABASE_URL)', describeError(error));
    } else {
      logger?.error('database unavailable', { ...describeError(error), sqlState });
    }
    return respond(c, new ApiError('SERVICE_UNAVAILABLE', 'The database is unavailable; try again shortly', { headers: { 'Retry-After': '5' } }));
  }
  if (sqlState === '23505') return respond(c, new ApiError('CONFLICT', 'The change conflicts with existing data'));
  // Class 22 (data exception): a value the database cannot take, such as a NUL character in text.
  // The statement (or its whole batch) failed, so nothing was written.
  if (sqlState?.startsWith('22')) {
    logger?.warn('input refused by the database', { sqlState });
    return respond(c, new ApiError('BAD_REQUEST', 'The request contains a value that cannot be stored (for example a NUL character)'));
  }
  if (sqlState === '40001' || sqlState === '40P01') {
    return respond(c, new ApiError('SERVICE_UNAVAILABLE', 'Concurrent update; try again', { headers: { 'Retry-After': '1' } }));
  }
  logger?.error('unhandled error', { ...describeError(error), sqlState });
  return respond(c, new ApiError('INTERNAL_SERVER_ERROR', 'Internal server error'));
};

interface RouteMatcher {
  pattern: RegExp;
  method: string;
}

/** Unknown paths get 404; known paths with another method get 405 with `Allow`. */
export function notFoundHandler(routes: () => readonly { method: string; path: string }[]): NotFoundHandler<AppEnv> {
  let matchers: RouteMatcher[] | undefined;
  return (c) => {
    matchers ??= routes()
      .filter((r) => r.method !== 'ALL')
      .map((r) => ({
        method: r.method,
        pattern: new RegExp(
          `^${r.path.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\\\{[^}]*\\\}/g, '[^/]+').replace(/:[^/]+/g, '[^/]+').replace(/\*/g, '.*')}/?$`,
        ),
      }));
    const path = c.req.path;
    const allowed = [...new Set(matchers.filter((m) => m.pattern.test(path)).map((m) => m.method))];
    if (allowed.length > 0) {
      if (allowed.includes('GET')) allowed.push('HEAD');
      return respond(
        c,
        new ApiError('METHOD_NOT_ALLOWED', `Method ${c.req.method} not allowed on ${path}`, { headers: { Allow: allowed.join(', ') } }),
      );
    }
    return respond(c, new ApiError('NOT_FOUND', `Route ${c.req.method} ${path} not found`));
  };
}
