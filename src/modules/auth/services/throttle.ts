import { sql, type SQL } from 'drizzle-orm';
import { loginThrottles, sessionSecurityEvents, users } from '../../../../drizzle';
import type { ServiceContext } from '../../../lib/service-context';
import { redact } from '../../audit/service';

/*
 * Login throttling that slows guessing without denying the owner.
 * - Failures (wrong password, wrong two-factor code, wrong proof) are counted per (account,
 *   source): the source is `clientSource` of the client address (an IPv6 address as its /64). From
 *   `maxAttempts` failures within FAILURE_WINDOW_HOURS, that source is blocked for that account for
 *   1, 2, 4 … MAX_BLOCK_MINUTES minutes, one step per further failure.
 * - They are also counted per account: from `maxAttempts × ACCOUNT_WIDE_FACTOR` failures, the
 *   account is locked for sources that have never signed in to it successfully. A source that has
 *   (the owner's usual devices and networks) keeps working whatever an attacker does elsewhere.
 * - A success from a source clears that source's counter and the account's counter, and marks the
 *   source as known; an account lock in force still holds for unknown sources until it expires.
 * Blocked attempts are answered like wrong passwords, after the same work, and do not extend the
 * block.
 */

/** Failures older than this no longer count. */
export const FAILURE_WINDOW_HOURS = 24;
/** The longest block: an attacker can delay, never deny for good. */
export const MAX_BLOCK_MINUTES = 60;
/** The account-wide limit is this many times the per-source one. */
export const ACCOUNT_WIDE_FACTOR = 4;
/** Failed-login security events for one (account or identifier, source) are merged within this window. */
export const FAILURE_EVENT_WINDOW_MINUTES = 15;

/** Columns for a select on `users`: the throttling state of (that user, `source`). */
export const throttleColumns = (source: string) => ({
  sourceBlockedUntil: sql<number | null>`(select floor(extract(epoch from t.blocked_until) * 1000)::float8 from login_throttles t
    where t.user_id = users.id and t.source = ${source})`.mapWith((v) => (v === null ? null : Number(v))),
  sourceKnown: sql<boolean>`exists (select 1 from login_throttles t where t.user_id = users.id and t.source = ${source} and t.last_success_at is not null)`,
  accountLockedUntil: users.lockedUntil,
});

export interface ThrottleState {
  sourceBlockedUntil: number | null;
  sourceKnown: boolean;
  accountLockedUntil: Date | null;
}

/** True when attempts from this source on this account are refused for now. */
export function isThrottled(state: ThrottleState, now: Date): boolean {
  if (state.sourceBlockedUntil !== null && state.sourceBlockedUntil > now.getTime()) return true;
  return !state.sourceKnown && state.accountLockedUntil !== null && state.accountLockedUntil > now;
}

const at = (now: Date) => sql`${now.toISOString()}::timestamptz`;

/** `attempts` (a count after this failure) to a block end, or null below `threshold`. */
const blockEnd = (now: Date, attempts: SQL, threshold: number) =>
  sql`case when ${attempts} >= ${threshold}
    then ${at(now)} + make_interval(mins => least(power(2, ${attempts} - ${threshold}), ${MAX_BLOCK_MINUTES})::int)
    else null end`;

/**
 * The statements recording one failure of `userId` from `source` (for the same batch as its
 * security event). `state` says what was in force: a blocked source's failures are not counted
 * (a block never extends itself), nor the account's while its lock is in force.
 */
export function failureStatements(ctx: ServiceContext, userId: string, source: string, maxAttempts: number, state: ThrottleState) {
  const { now } = ctx;
  const statements = [];
  if (!(state.sourceBlockedUntil !== null && state.sourceBlockedUntil > now.getTime())) {
    const t = loginThrottles;
    const attempts = sql`(case when ${t.lastFailedAt} is null or ${t.lastFailedAt} < ${at(now)} - make_interval(hours => ${FAILURE_WINDOW_HOURS})
      then 1 else ${t.failedAttempts} + 1 end)`;
    statements.push(
      ctx.db
        .insert(t)
        .values({ userId, source, failedAttempts: 1, lastFailedAt: now, blockedUntil: maxAttempts <= 1 ? new Date(now.getTime() + 60_000) : null, createdAt: now, updatedAt: now })
        .onConflictDoUpdate({ target: [t.userId, t.source], set: { failedAttempts: attempts, lastFailedAt: now, blockedUntil: blockEnd(now, attempts, maxAttempts), updatedAt: now } }),
    );
  }
  if (!(state.accountLockedUntil && state.accountLockedUntil > now)) {
    const attempts = sql`(case when ${users.lastFailedLoginAt} is null or ${users.lastFailedLoginAt} < ${at(now)} - make_interval(hours => ${FAILURE_WINDOW_HOURS})
      then 1 else ${users.failedLoginAttempts} + 1 end)`;
    statements.push(
      ctx.db
        .update(users)
        .set({ failedLoginAttempts: attempts, lastFailedLoginAt: now, lockedUntil: blockEnd(now, attempts, maxAttempts * ACCOUNT_WIDE_FACTOR) })
        .where(sql`${users.id} = ${userId}`),
    );
  }
  return statements;
}

/** The statement recording a success of `userId` from `source`: the source is known, its counter cleared. */
export function successStatement(ctx: ServiceContext, userId: string, source: string) {
  const t = loginThrottles;
  return ctx.db
    .insert(t)
    .values({ userId, source, failedAttempts: 0, lastSuccessAt: ctx.now, createdAt: ctx.now, updatedAt: ctx.now })
    .onConflictDoUpdate({ target: [t.userId, t.source], set: { failedAttempts: 0, blockedUntil: null, lastSuccessAt: ctx.now, updatedAt: ctx.now } });
}

/** The statement clearing every block of an account (password reset, administrator unlock); known sources stay known. */
export function clearThrottleStatement(ctx: ServiceContext, userId: string) {
  const t = loginThrottles;
  return ctx.db.update(t).set({ failedAttempts: 0, blockedUntil: null, updatedAt: ctx.now }).where(sql`${t.userId} = ${userId}`);
}

/**
 * A failed-login security event, merged with the open one for the same account (or unknown
 * identifier) and source from the last FAILURE_EVENT_WINDOW_MINUTES: `event_data.count` grows
 * instead of a new row, so a guessing attack leaves a handful of rows, not millions. One statement.
 */
export function failedLoginEvent(ctx: ServiceContext, input: { userId: string | null; identifier: string; source: string; eventType: string; description: string; sessionId?: string | null }) {
  const { now, client } = ctx;
  const e = sessionSecurityEvents;
  const data = redact({ identifier: input.identifier, source: input.source, count: 1 }) as Record<string, unknown>;
  const sameKey = input.userId ? sql`${e.userId} = ${input.userId}` : sql`${e.userId} is null and ${e.eventData}->>'identifier' = ${input.identifier}`;
  return ctx.db.execute(sql`
    with recent as (
      select ${e.id} as id from ${e}
      where ${e.eventType} = ${input.eventType} and ${sameKey} and ${e.eventData}->>'source' = ${input.source}
        and ${e.resolvedAt} is null and ${e.createdAt} > ${at(now)} - make_interval(mins => ${FAILURE_EVENT_WINDOW_MINUTES})
      order by ${e.createdAt} desc limit 1
    ),
    merged as (
      update ${e} set event_data = jsonb_set(${e.eventData}, '{count}', to_jsonb(coalesce((${e.eventData}->>'count')::int, 1) + 1)),
        updated_at = ${at(now)}
      where ${e.id} = (select id from recent)
      returning ${e.id}
    )
    insert into ${e} (user_id, session_id, event_type, severity, description, ip_address, user_agent, event_data, created_at, updated_at)
    select ${input.userId}::uuid, ${input.sessionId ?? null}::uuid, ${input.eventType}, 'low', ${input.description}, ${client.ip}, ${client.userAgent},
      ${JSON.stringify(data)}::jsonb, ${at(now)}, ${at(now)}
    where not exists (select 1 from merged)`);
}
