import { eq, sql } from 'drizzle-orm';
import { loginThrottles, users } from '../../../../drizzle';
import { abortUnless, guardedBatch } from '../../../lib/batch-guard';
import { ApiError } from '../../../lib/errors';
import type { ServiceContext } from '../../../lib/service-context';
import { auditInsert } from '../../audit/service';
import { containmentMessages, userAdministrable } from '../../rbac/services/containment';

/** Sources listed per account, the most recently changed first. */
const MAX_SOURCES = 100;

interface SourceRow {
  source: string;
  failedAttempts: number;
  lastFailedAt: number | null;
  blockedUntil: number | null;
  lastSuccessAt: number | null;
}

const ms = (column: string) => sql.raw(`floor(extract(epoch from t.${column}) * 1000)::float8`);

/** One statement: the account's counters on `users` and its `login_throttles` rows (epoch milliseconds in the JSON). */
const stateQuery = (ctx: ServiceContext, userId: string) =>
  ctx.db
    .select({
      userId: users.id,
      lockedUntil: users.lockedUntil,
      failedLoginAttempts: users.failedLoginAttempts,
      lastFailedLoginAt: users.lastFailedLoginAt,
      sourcesTotal: sql<number>`(select count(*) from login_throttles t where t.user_id = ${users.id})::int`.mapWith(Number),
      sources: sql<SourceRow[]>`coalesce((select json_agg(json_build_object('source', t.source, 'failedAttempts', t.failed_attempts,
          'lastFailedAt', ${ms('last_failed_at')}, 'blockedUntil', ${ms('blocked_until')}, 'lastSuccessAt', ${ms('last_success_at')})
          order by t.updated_at desc, t.source)
        from (select * from login_throttles t where t.user_id = ${users.id} order by t.updated_at desc, t.source limit ${MAX_SOURCES}) t), '[]'::json)`,
    })
    .from(users)
    .where(eq(users.id, userId));

type StateRow = Awaited<ReturnType<typeof stateQuery>>[number];

const iso = (value: number | Date | null) => (value === null ? null : new Date(value).toISOString());

function toLoginThrottle(row: StateRow, now: Date) {
  const sources = row.sources.map((s) => ({
    source: s.source,
    failedAttempts: s.failedAttempts,
    lastFailedAt: iso(s.lastFailedAt),
    blockedUntil: iso(s.blockedUntil),
    blocked: s.blockedUntil !== null && s.blockedUntil > now.getTime(),
    lastSuccessAt: iso(s.lastSuccessAt),
    known: s.lastSuccessAt !== null,
  }));
  const locked = row.lockedUntil !== null && row.lockedUntil > now;
  return {
    userId: row.userId,
    throttled: locked || sources.some((s) => s.blocked),
    locked,
    lockedUntil: iso(row.lockedUntil),
    failedLoginAttempts: row.failedLoginAttempts,
    lastFailedLoginAt: iso(row.lastFailedLoginAt),
    sources,
    sourcesTotal: row.sourcesTotal,
  };
}

export type LoginThrottle = ReturnType<typeof toLoginThrottle>;

/** Why an account's sign-ins are slowed: the account-wide counter and lock, and each source's. One round trip. */
export async function getLoginThrottle(ctx: ServiceContext, userId: string): Promise<LoginThrottle> {
  const [row] = await stateQuery(ctx, userId);
  if (!row) throw new ApiError('NOT_FOUND', 'User not found');
  return toLoginThrottle(row, ctx.now);
}

/**
 * An administrator clears the account's login throttling: the rows of sources it has never signed
 * in from are deleted, the known sources keep only their last sign-in (counters and blocks cleared),
 * and the account-wide counter and lock are cleared; the audit row keeps what was in force. One
 * batch (the target must be administrable by the caller), which also reads the new state.
 */
export async function unlockUser(ctx: ServiceContext, userId: string): Promise<LoginThrottle> {
  const t = loginThrottles;
  const before = sql`(select jsonb_build_object('lockedUntil', u.locked_until, 'failedLoginAttempts', u.failed_login_attempts,
      'blockedSources', (select count(*) from login_throttles t where t.user_id = u.id and t.blocked_until > ${ctx.now.toISOString()}::timestamptz),
      'failingSources', (select count(*) from login_throttles t where t.user_id = u.id and t.failed_attempts > 0))
    from users u where u.id = ${userId})`;
  const results = await guardedBatch(() => ctx.db.batch([
    abortUnless(ctx.db, sql`exists (select 1 from users u where u.id = ${userId})`, 'NOT_FOUND'),
    userAdministrable(ctx, userId),
    auditInsert(ctx, { entityType: 'user', entityId: userId, action: 'update', description: 'Login throttling cleared by an administrator', oldValues: before, newValues: { lockedUntil: null, failedLoginAttempts: 0 } }),
    ctx.db.delete(t).where(sql`${t.userId} = ${userId} and ${t.lastSuccessAt} is null`),
    ctx.db.update(t).set({ failedAttempts: 0, lastFailedAt: null, blockedUntil: null, updatedAt: ctx.now }).where(sql`${t.userId} = ${userId}`),
    ctx.db.update(users).set({ failedLoginAttempts: 0, lastFailedLoginAt: null, lockedUntil: null }).where(eq(users.id, userId)),
    stateQuery(ctx, userId),
  ]), { ...containmentMessages, NOT_FOUND: 'User not found' });
  const [row] = results[6];
  if (!row) throw new ApiError('NOT_FOUND', 'User not found');
  return toLoginThrottle(row, ctx.now);
}
