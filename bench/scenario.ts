import { adminTestUsers, BENCH_PASSWORD, benchEmail, type BenchDataSize } from './seed';

/** What an endpoint may cost in database round trips per request, by kind. */
export type EndpointKind = 'read' | 'write' | 'cached' | 'login';

export const budgets: Record<EndpointKind, { roundTrips: number; rule: string }> = {
  read: { roundTrips: 1, rule: 'one query' },
  write: { roundTrips: 1, rule: 'one atomic batch, its audit row included' },
  cached: { roundTrips: 0, rule: 'a public read served from KV' },
  login: {
    roundTrips: 2,
    rule: 'the documented exception: one read (the account and its password hash, checked in the Worker) then one write batch (the session, its audit row and activity)',
  },
};

export interface RequestSpec {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
  token?: string;
}

export interface Reply {
  status: number;
  /** The parsed envelope (undefined when the body was not JSON). */
  body: any;
}

export interface Endpoint {
  /** Short name used in request ids and the table. */
  id: string;
  /** `METHOD /path` as in the OpenAPI document. */
  operation: string;
  kind: EndpointKind;
  /** SQL statements per request in the original AegisX API (Fastify + Knex), where measured. */
  original?: string;
  /** Runs once before the endpoint's first request. */
  prepare?(): void;
  /**
   * Builds the n-th request, sent by client `client` (0..concurrency-1; a client sends one request
   * at a time). Warm-up and measured requests share the sequence.
   */
  request(n: number, client: number): RequestSpec | Promise<RequestSpec>;
  /** Sees every successful reply (keeps tokens and cursors for later requests). */
  onReply?(n: number, client: number, reply: Reply): void;
  /** Called when the request is over, successful or not (returns a checked-out session). */
  release?(n: number): void;
}

interface Session {
  user: number;
  accessToken: string;
  refreshToken: string;
}

/** Sessions handed out one at a time (a refresh token must not be used by two clients at once). */
class SessionPool {
  private readonly idle: Session[] = [];
  private readonly waiting: ((session: Session) => void)[] = [];

  put(session: Session) {
    const waiter = this.waiting.shift();
    if (waiter) waiter(session);
    else this.idle.push(session);
  }

  take(): Promise<Session> {
    const session = this.idle.shift();
    return session ? Promise.resolve(session) : new Promise((resolve) => this.waiting.push(resolve));
  }
}

/** Where the audit walks are: every client walks its own cursor chain, starting deep in the table. */
interface Walk {
  cursor: string | null;
  depth: number;
}

const DAY_MS = 24 * 3600 * 1000;
const AUDIT_PAGE = 100;

/**
 * The fixed scenario: the endpoints, in the order they run, and the state they share (the
 * sessions created by `login`, refreshed by `refresh`, used by every protected read).
 */
export function buildScenario(size: BenchDataSize, runId: string, auditSpanDays: number) {
  const latest = new Map<number, Session>();
  const sessions = () => [...latest.values()];
  const refreshPool = new SessionPool();
  const checkedOut = new Map<number, Session>();
  const admins = adminTestUsers(size.testUsers);
  const walks = new Map<number, Walk>();
  const walkDepth = new Map<number, number>();
  const password = `${BENCH_PASSWORD}-${runId}`;

  const user = (n: number) => {
    const list = sessions();
    if (list.length === 0) throw new Error('no session: the login phase produced none');
    return list[n % list.length]!;
  };
  const admin = (n: number) => {
    const list = sessions().filter((s) => s.user <= admins);
    if (list.length === 0) throw new Error('no admin session');
    return list[n % list.length]!;
  };
  const auth = (token: string, spec: Omit<RequestSpec, 'token'>): RequestSpec => ({ ...spec, token });

  const endpoints: Endpoint[] = [
    {
      id: 'register',
      operation: 'POST /api/auth/register',
      kind: 'write',
      original: '8 (in a transaction)',
      request: (n) => ({
        method: 'POST',
        path: '/api/auth/register',
        body: { email: `bench-new-${runId}-${n}@bench.test`, username: `bench_new_${runId}_${n}`, password, firstName: 'New', lastName: 'User' }, // no digits: a password may not contain a name ("User 202" is in "…2026…")
      }),
    },
    {
      id: 'login',
      operation: 'POST /api/auth/login',
      kind: 'login',
      original: '2',
      // Admins first, so that every admin has a session for the audit walk.
      request: (n) => ({ method: 'POST', path: '/api/auth/login', body: { email: benchEmail(1 + (n % size.testUsers)), password: BENCH_PASSWORD } }),
      onReply: (n, _client, reply) => {
        const userNo = 1 + (n % size.testUsers);
        latest.set(userNo, { user: userNo, accessToken: reply.body.data.accessToken, refreshToken: reply.body.data.refreshToken });
      },
    },
    {
      id: 'refresh',
      operation: 'POST /api/auth/refresh',
      kind: 'write',
      original: '2 (no rotation)',
      prepare: () => {
        for (const session of sessions()) refreshPool.put(session);
      },
      request: async (n) => {
        const session = await refreshPool.take();
        checkedOut.set(n, session);
        return { method: 'POST', path: '/api/auth/refresh', body: { refreshToken: session.refreshToken } };
      },
      onReply: (n, _client, reply) => {
        const session = checkedOut.get(n)!;
        session.accessToken = reply.body.data.accessToken;
        session.refreshToken = reply.body.data.refreshToken;
      },
      release: (n) => {
        const session = checkedOut.get(n);
        checkedOut.delete(n);
        if (session) refreshPool.put(session);
      },
    },
    { id: 'me', operation: 'GET /api/auth/me', kind: 'read', original: '1', request: (n) => auth(user(n).accessToken, { method: 'GET', path: '/api/auth/me' }) },
    { id: 'profile-get', operation: 'GET /api/users/profile', kind: 'read', original: '2', request: (n) => auth(user(n).accessToken, { method: 'GET', path: '/api/users/profile' }) },
    {
      id: 'profile-put',
      operation: 'PUT /api/users/profile',
      kind: 'write',
      original: '3',
      request: (n) => auth(user(n).accessToken, { method: 'PUT', path: '/api/users/profile', body: { bio: `Benchmark update ${n}`, timezone: n % 2 ? 'Asia/Bangkok' : 'UTC' } }),
    },
    { id: 'prefs-get', operation: 'GET /api/users/preferences', kind: 'read', original: '1', request: (n) => auth(user(n).accessToken, { method: 'GET', path: '/api/users/preferences' }) },
    {
      id: 'prefs-put',
      operation: 'PUT /api/users/preferences',
      kind: 'write',
      original: '3',
      request: (n) => auth(user(n).accessToken, { method: 'PUT', path: '/api/users/preferences', body: { scheme: n % 2 ? 'dark' : 'light', language: n % 3 ? 'en' : 'th' } }),
    },
    { id: 'settings-get', operation: 'GET /api/settings', kind: 'read', request: (n) => auth(user(n).accessToken, { method: 'GET', path: '/api/settings' }) },
    {
      id: 'nav-user',
      operation: 'GET /api/navigation/user',
      kind: 'read',
      original: '2 (0 from its in-process cache)',
      request: (n) => auth(user(n).accessToken, { method: 'GET', path: '/api/navigation/user' }),
    },
    { id: 'settings-public', operation: 'GET /api/system-settings/public', kind: 'cached', request: () => ({ method: 'GET', path: '/api/system-settings/public' }) },
    { id: 'themes', operation: 'GET /api/themes', kind: 'cached', request: () => ({ method: 'GET', path: '/api/themes' }) },
    { id: 'notif-list', operation: 'GET /api/notifications', kind: 'read', request: (n) => auth(user(n).accessToken, { method: 'GET', path: '/api/notifications?limit=20' }) },
    { id: 'notif-unread', operation: 'GET /api/notifications/unread-count', kind: 'read', request: (n) => auth(user(n).accessToken, { method: 'GET', path: '/api/notifications/unread-count' }) },
    { id: 'sessions', operation: 'GET /api/auth/sessions', kind: 'read', request: (n) => auth(user(n).accessToken, { method: 'GET', path: '/api/auth/sessions' }) },
    {
      id: 'audit-deep',
      operation: 'GET /api/audit-logs',
      kind: 'read',
      // Every client walks its own cursor chain: the first page starts at a date deep in the table
      // (`to`), every next page follows `nextCursor` alone, as deep as the walk goes.
      request: (n, client) => {
        const walk = walks.get(client);
        walkDepth.set(n, walk?.cursor ? walk.depth + 1 : 0);
        if (walk?.cursor) return auth(admin(n).accessToken, { method: 'GET', path: `/api/audit-logs?limit=${AUDIT_PAGE}&cursor=${encodeURIComponent(walk.cursor)}` });
        const daysBack = auditSpanDays * (0.25 + 0.7 * (((client * 7919 + n) % 1000) / 1000));
        const to = new Date(Date.now() - daysBack * DAY_MS).toISOString();
        return auth(admin(n).accessToken, { method: 'GET', path: `/api/audit-logs?limit=${AUDIT_PAGE}&to=${encodeURIComponent(to)}` });
      },
      onReply: (n, client, reply) => {
        walks.set(client, { cursor: reply.body.meta?.pagination?.nextCursor ?? null, depth: walkDepth.get(n) ?? 0 });
      },
    },
  ];

  return {
    endpoints,
    /** How many pages deep each audit request was (0 = the first page of a walk). */
    auditDepth: (n: number) => walkDepth.get(n) ?? 0,
  };
}
