import { parseArgs } from 'node:util';
import type { BenchDataSize } from './seed';

export interface BenchOptions {
  size: BenchDataSize;
  /** Measured requests per endpoint. */
  requests: number;
  /** Unmeasured requests per endpoint, sent just before the measured ones. */
  warmup: number;
  /** Clients sending at once. */
  concurrency: number;
  /** Simulated network delay per database round trip, in ms. */
  dbDelayMs: number;
  /** Use embedded PGlite even where PostgreSQL 15 is installed. */
  pglite: boolean;
  /** Port of `wrangler dev`. */
  port: number;
  quick: boolean;
  /** `both`: the concurrent scenario, then the side-by-side comparison; `only`: login, then the comparison. */
  sideBySide: 'both' | 'only';
  /** Sequential requests per target in the side-by-side comparison. */
  sideBySideRequests: number;
  /** Runs of `wrangler check startup`. */
  startupRuns: number;
}

export const usage = `npm run bench -- [options]
  --quick              a small data set and few requests (for development)
  --pglite             use embedded PGlite even where PostgreSQL 15 is installed
  --db-delay <ms>      simulated network delay per database round trip (or BENCH_DB_DELAY_MS)
  --users <n>          accounts in the users table (default 10000)
  --audit-rows <n>     rows in audit_logs (default 1000000)
  --test-users <n>     accounts the clients sign in as, 100 notifications each (default 200)
  --requests <n>       measured requests per endpoint (default 300)
  --warmup <n>         unmeasured requests per endpoint before the measured ones (default 20)
  --concurrency <n>    clients sending at once (default 12)
  --port <n>           port of wrangler dev (default 8797; the bare Worker's is the next one)
  --side-by-side       only the side-by-side comparison with a bare Worker (after signing the test
                       users in); without it, the concurrent scenario runs first
  --side-by-side-requests <n>
                       sequential requests per target in the comparison (default 300, --quick 100)
  --startup-runs <n>   runs of wrangler check startup (default 5, --quick 3)`;

const FULL = { users: 10_000, auditRows: 1_000_000, testUsers: 200, notificationsPerUser: 100, requests: 300, warmup: 20, sideBySideRequests: 300, startupRuns: 5 };
const QUICK = { users: 2_000, auditRows: 50_000, testUsers: 24, notificationsPerUser: 100, requests: 40, warmup: 5, sideBySideRequests: 100, startupRuns: 3 };

function count(name: string, value: string | undefined, fallback: number, min = 0): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number >= ${min} (got ${value})`);
  return n;
}

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      help: { type: 'boolean', short: 'h' },
      quick: { type: 'boolean' },
      pglite: { type: 'boolean' },
      'db-delay': { type: 'string' },
      users: { type: 'string' },
      'audit-rows': { type: 'string' },
      'test-users': { type: 'string' },
      requests: { type: 'string' },
      warmup: { type: 'string' },
      concurrency: { type: 'string' },
      port: { type: 'string' },
      'side-by-side': { type: 'boolean' },
      'side-by-side-requests': { type: 'string' },
      'startup-runs': { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return 'help';
  const base = values.quick ? QUICK : FULL;
  const concurrency = count('concurrency', values.concurrency, 12, 1);
  const testUsers = count('test-users', values['test-users'], base.testUsers, 1);
  const users = count('users', values.users, base.users, 1);
  if (testUsers > users) throw new Error('--test-users cannot exceed --users');
  return {
    size: {
      users,
      auditRows: count('audit-rows', values['audit-rows'], base.auditRows, 1),
      testUsers,
      notificationsPerUser: base.notificationsPerUser,
    },
    requests: count('requests', values.requests, base.requests, 1),
    warmup: count('warmup', values.warmup, base.warmup),
    concurrency,
    dbDelayMs: count('db-delay', values['db-delay'] ?? env.BENCH_DB_DELAY_MS, 0),
    pglite: values.pglite ?? false,
    port: count('port', values.port, 8797, 1),
    quick: values.quick ?? false,
    sideBySide: values['side-by-side'] ? 'only' : 'both',
    sideBySideRequests: count('side-by-side-requests', values['side-by-side-requests'], base.sideBySideRequests, 1),
    startupRuns: count('startup-runs', values['startup-runs'], base.startupRuns, 1),
  };
}
