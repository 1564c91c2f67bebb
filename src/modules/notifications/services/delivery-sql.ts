import { sql, type SQL } from 'drizzle-orm';

/*
 * How a new notification is delivered, decided by the INSERT itself from the recipient's rows, so
 * creating notifications for one user or for every holder of a role is one statement (and fits in
 * the caller's batch). Plain SQL with aliases: `r` = users (the recipient), `np` = the recipient's
 * notification_preferences row for the type, `up` = user_preferences.
 *
 * Channels: a channel is on when the type's preference allows it (defaults when the user has no row
 * for the type: the table defaults), the user's global switch for that channel
 * (user_preferences.notifications_email/push/desktop/sound) is not off, and the user's switch for
 * the type (notifications_security/updates/marketing/reminders, for those four types) is not off.
 * In-app storage does not depend on any of them.
 *
 * Email: `skipped` when email is off or the frequency is `never`; `digest` for daily and weekly;
 * otherwise `pending` at the creation time, or `held` until the end of the quiet-hours window when
 * created inside it. Push and sound are silenced inside quiet hours. Quiet hours are read in the
 * user's time zone (user_preferences.timezone, then users.timezone, then UTC; an unknown zone
 * counts as UTC), with the same rules as quiet-hours.ts. The email job evaluates the same joins
 * again, per row, when an email is due (services/email-claims.ts).
 */

/** The user_preferences columns that switch a whole type on or off. */
const typeSwitches = new Map([
  ['security', 'notifications_security'],
  ['updates', 'notifications_updates'],
  ['marketing', 'notifications_marketing'],
  ['reminders', 'notifications_reminders'],
]);

/**
 * The user-level switch for a type, where user_preferences has one: chosen when the statement is
 * built for a known type, or by a CASE over a column (`n.type`) when each row has its own.
 */
export const typeSwitch = (type: string | SQL) => {
  if (typeof type !== 'string') {
    const cases = [...typeSwitches].map(([name, column]) => sql`when ${name} then up.${sql.identifier(column)} is not false`);
    return sql`(case ${type} ${sql.join(cases, sql` `)} else true end)`;
  }
  const column = typeSwitches.get(type);
  return column ? sql`up.${sql.identifier(column)} is not false` : sql`true`;
};

/**
 * FROM and JOIN clauses that give, per recipient `r`, the columns `p.email`, `p.push`, `p.desktop`,
 * `p.sound`, `p.frequency`, `q.quiet` and `q.quiet_until` (null outside quiet hours).
 */
export function deliveryJoins(type: string, now: Date): SQL {
  return sql`users r ${recipientJoins(type, now)}`;
}

/**
 * The joins of `deliveryJoins` after the recipient `r`, for a type given as a value (a new
 * notification) or as a column of each row (`n.type`: the email job reads the preferences and
 * quiet hours again when an email is due).
 */
export function recipientJoins(type: string | SQL, now: Date): SQL {
  const at = sql`${now.toISOString()}::timestamptz`;
  return sql`left join notification_preferences np on np.user_id = r.id and np.notification_type = ${type}
    left join user_preferences up on up.user_id = r.id
    cross join lateral (select
        coalesce(np.email_enabled, true) and up.notifications_email is not false and ${typeSwitch(type)} as email,
        coalesce(np.push_enabled, false) and up.notifications_push is not false and ${typeSwitch(type)} as push,
        coalesce(np.desktop_enabled, true) and up.notifications_desktop is not false and ${typeSwitch(type)} as desktop,
        coalesce(np.sound_enabled, true) and up.notifications_sound is not false and ${typeSwitch(type)} as sound,
        coalesce(np.frequency, 'immediate') as frequency,
        np.quiet_hours_start as qs,
        np.quiet_hours_end as qe,
        coalesce(nullif(up.timezone, ''), nullif(r.timezone, ''), 'UTC') as wanted_zone) p
    left join lateral (select z.name as zone from pg_timezone_names z
        where p.qs is not null and p.qe is not null and p.qs <> p.qe and lower(z.name) = lower(p.wanted_zone)
        limit 1) z on true
    cross join lateral (select ${at} at time zone coalesce(z.zone, 'UTC') as local) l
    cross join lateral (select
        coalesce(case when p.qs < p.qe then l.local::time >= p.qs and l.local::time < p.qe
                      else l.local::time >= p.qs or l.local::time < p.qe end and p.qs <> p.qe, false) as quiet,
        ((case when p.qs > p.qe and l.local::time >= p.qs then l.local::date + 1 else l.local::date end) + p.qe)
          at time zone coalesce(z.zone, 'UTC') as window_end) w
    cross join lateral (select w.quiet, case when w.quiet then w.window_end end as quiet_until) q`;
}

/** The `email_status` of the new row. */
export const emailStatusSql = sql`case when not p.email or p.frequency = 'never' then 'skipped'
  when p.frequency in ('daily', 'weekly') then 'digest'
  when q.quiet then 'held' else 'pending' end`;

/** The `email_scheduled_at` of the new row: now, the end of quiet hours, or null (no email or digest). */
export const emailScheduledAtSql = (now: Date) => sql`case when p.email and p.frequency = 'immediate'
  then coalesce(q.quiet_until, ${now.toISOString()}::timestamptz) end`;

/** The `channels` of the new row. */
export const channelsSql = sql`jsonb_build_object('push', p.push and not q.quiet, 'desktop', p.desktop, 'sound', p.sound and not q.quiet)`;
