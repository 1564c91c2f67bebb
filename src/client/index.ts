// The typed client for TypeScript front ends (package entry `aegisx-edge-api/client`). It is built
// on Hono's `hc` and the app's exported type, so every path, parameter, body and response is
// checked against the routes themselves. Nothing here is part of the Worker bundle.
import { hc, type ClientResponse } from 'hono/client';
import type { SuccessStatusCode } from 'hono/utils/http-status';
import type { AppType } from '../app';
import type { ErrorCode } from '../lib/errors';

/** Error codes the client can throw: the API's own, plus `UNEXPECTED_RESPONSE` for a body that is not the API's envelope (a proxy's error page, say). */
export type ApiErrorCode = ErrorCode | 'UNEXPECTED_RESPONSE';

/** `details` of an error: every validation issue (`VALIDATION_ERROR`), or facts about the error. */
export type ApiErrorDetails = { field: string; message: string; code: string }[] | Record<string, unknown>;

/** An error answer of the API (`{ success: false, error: { code, message, details?, requestId } }`), thrown by every call. */
export class ApiClientError extends Error {
  override readonly name = 'ApiClientError';

  constructor(
    /** HTTP status of the answer. */
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly details: ApiErrorDetails | undefined,
    /** The request's id, as the API logged it: quote it when reporting a problem. */
    readonly requestId: string,
  ) {
    super(message);
  }
}

type RawClient = ReturnType<typeof hc<AppType>>;
type RefreshResponse = Awaited<ReturnType<RawClient['api']['auth']['refresh']['$post']>>;

/** The tokens `POST /api/auth/refresh` answers with (the refresh token is rotated on every use). */
export type RefreshedTokens = Unwrapped<RefreshResponse>;

/** A paginated list: the envelope's `data` and `meta.pagination`. */
export interface Page<T, P> {
  data: T;
  pagination: P;
}

/**
 * What a call resolves to, from the response types of its route: the envelope's `data`, or
 * `{ data, pagination }` for a paginated list, or the `Response` itself for a success that is not
 * JSON (an avatar image). Error statuses never resolve: they throw {@link ApiClientError}.
 */
export type Unwrapped<R> =
  R extends ClientResponse<infer Body, infer Status, infer Format>
    ? Status extends SuccessStatusCode
      ? Format extends 'json'
        ? Body extends { data: infer D; meta: { pagination: infer P } }
          ? Page<D, P>
          : Body extends { data: infer D }
            ? D
            : Body
        : Response
      : never
    : never;

type HttpMethod = '$get' | '$post' | '$put' | '$patch' | '$delete' | '$head' | '$options';

/** hc's tree of paths, with every method resolving to {@link Unwrapped} instead of a raw response. */
export type Unwrap<T> = {
  [K in keyof T]: K extends HttpMethod
    ? T[K] extends (...args: infer A) => Promise<infer R>
      ? (...args: A) => Promise<Unwrapped<R>>
      : never
    : K extends `$${string}`
      ? T[K]
      : Unwrap<T[K]>;
};

/** The typed client: `client.api.users.profile.$get()`, `client.api.auth.login.$post({ json })`, … */
export type AegisxClient = Unwrap<RawClient>;

type MaybePromise<T> = T | Promise<T>;

export interface ClientOptions {
  /** The access token to send as `Authorization: Bearer …`; nothing is sent when it returns null or undefined. */
  getAccessToken: () => MaybePromise<string | null | undefined>;
  /**
   * The stored refresh token, sent to `POST /api/auth/refresh` when an access token has expired.
   * Leave it out in a browser that keeps the refresh token in the API's HttpOnly cookie (then pass
   * `credentials: 'include'` when the API is on another origin).
   */
  getRefreshToken?: () => MaybePromise<string | null | undefined>;
  /** Receives the new tokens after a refresh: store them (the refresh token is rotated every time). */
  onRefresh: (tokens: RefreshedTokens) => MaybePromise<void>;
  /** The fetch to send with (default: the global one). */
  fetch?: typeof fetch;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  /** `credentials` of every request, e.g. `'include'` for the refresh cookie across origins. */
  credentials?: 'omit' | 'same-origin' | 'include';
}

/** Turns an answer into its `data` (see {@link Unwrapped}) or throws {@link ApiClientError}. */
async function unwrap(response: Response): Promise<unknown> {
  const json = (response.headers.get('content-type') ?? '').includes('json');
  if (response.ok && !json) return response;
  const body: unknown = json ? await response.json().catch(() => undefined) : undefined;
  if (isObject(body)) {
    if (response.ok && body.success === true) {
      const pagination = isObject(body.meta) ? body.meta.pagination : undefined;
      return pagination === undefined ? body.data : { data: body.data, pagination };
    }
    const error = body.error;
    if (!response.ok && body.success === false && isObject(error) && typeof error.code === 'string') {
      throw new ApiClientError(
        response.status,
        error.code as ErrorCode,
        String(error.message ?? ''),
        error.details as ApiErrorDetails | undefined,
        String(error.requestId ?? response.headers.get('x-request-id') ?? ''),
      );
    }
  }
  throw new ApiClientError(
    response.status,
    'UNEXPECTED_RESPONSE',
    `Unexpected answer: HTTP ${response.status} ${response.headers.get('content-type') ?? 'without a content type'}`,
    undefined,
    response.headers.get('x-request-id') ?? '',
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The error code of a 401 answer, read from a copy so the answer itself stays unread. */
async function errorCode(response: Response): Promise<string | undefined> {
  try {
    const body: unknown = await response.clone().json();
    return isObject(body) && isObject(body.error) && typeof body.error.code === 'string' ? body.error.code : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The typed client of the AegisX Edge API. Every call sends the access token, resolves to the
 * envelope's typed `data` and throws {@link ApiClientError} for an error answer. When the access
 * token has expired (401 `TOKEN_EXPIRED`) the client refreshes it once with the stored refresh
 * token, hands the new tokens to `onRefresh` and repeats the call; parallel calls share one refresh.
 *
 * ```ts
 * const client = createClient('https://api.example.com', {
 *   getAccessToken: () => session.accessToken,
 *   getRefreshToken: () => session.refreshToken,
 *   onRefresh: (tokens) => session.store(tokens),
 * });
 * const profile = await client.api.users.profile.$get();
 * const { data, pagination } = await client.api.users.$get({ query: { page: '2', limit: '20' } });
 * ```
 */
export function createClient(baseUrl: string, options: ClientOptions): AegisxClient {
  const send: typeof fetch = options.fetch ?? ((input, init) => fetch(input, init));
  const withCredentials = (init: RequestInit | undefined): RequestInit | undefined =>
    options.credentials ? ({ ...init, credentials: options.credentials } as RequestInit) : init;
  const plain = hc<AppType>(baseUrl, {
    fetch: (input: RequestInfo | URL, init?: RequestInit) => send(input, withCredentials(init)),
    ...(options.headers ? { headers: options.headers } : {}),
  });

  let refreshing: Promise<string> | undefined;

  /** One refresh at a time: every call that finds the access token expired waits for the same one. */
  function refreshOnce(): Promise<string> {
    refreshing ??= (async () => {
      const refreshToken = (await options.getRefreshToken?.()) ?? undefined;
      const response = await plain.api.auth.refresh.$post({ header: {}, json: refreshToken ? { refreshToken } : {} });
      const tokens = (await unwrap(response as unknown as Response)) as RefreshedTokens;
      await options.onRefresh(tokens);
      return tokens.accessToken;
    })().finally(() => {
      refreshing = undefined;
    });
    return refreshing;
  }

  const authenticatedFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const attempt = (token: string | null | undefined) => {
      const headers = new Headers(init?.headers);
      if (token && !headers.has('authorization')) headers.set('Authorization', `Bearer ${token}`);
      return send(input, withCredentials({ ...init, headers }));
    };
    if (refreshing) await refreshing.catch(() => undefined);
    const token = await options.getAccessToken();
    const response = await attempt(token);
    if (response.status !== 401 || !token || (await errorCode(response)) !== 'TOKEN_EXPIRED') return response;
    await response.body?.cancel();
    // Another call may have refreshed already while this one was under way: use its token.
    const current = await options.getAccessToken();
    const fresh = current && current !== token ? current : await refreshOnce();
    return attempt(fresh);
  };

  const authenticated = hc<AppType>(baseUrl, {
    fetch: authenticatedFetch,
    ...(options.headers ? { headers: options.headers } : {}),
  });
  return unwrapping(authenticated) as AegisxClient;
}

/** Wraps hc's proxy: path segments stay proxies, `$get`/`$post`/… resolve to the unwrapped data. */
function unwrapping(target: any): unknown {
  return new Proxy(target, {
    get(node, key) {
      if (typeof key !== 'string' || key === 'then') return undefined;
      const next = node[key];
      if (key === '$url' || key === '$path' || key === '$ws') return next;
      if (key.startsWith('$')) return (...args: unknown[]) => (next(...args) as Promise<Response>).then(unwrap);
      return unwrapping(next);
    },
  });
}
