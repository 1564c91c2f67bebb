import { eq, sql } from 'drizzle-orm';
import { notificationPreferences, users, type notificationFrequencies } from '../../../../drizzle';
import { ApiError } from '../../../lib/errors';
import type { ServiceContext } from '../../../lib/service-context';
import { auditInsert } from '../../audit/service';
import { DEFAULT_NOTIFICATION_PREFERENCES } from '../defaults';
import { quietStatus, resolveTimeZone } from '../quiet-hours';

export type Frequency = (typeof notificationFrequencies)[number];

interface StoredPreference {
  type: string;
  email: boolean | null;
  push: boolean | null;
  desktop: boolean | null;
  sound: boolean | null;
  frequency: Frequency | null;
  quietStart: string | null;
  quietEnd: string | null;
}

export interface PreferenceChange {
  type: string;
  email?: boolean;
  push?: boolean;
  desktop?: boolean;
  sound?: boolean;
  frequency?: Frequency;
  /** `null` removes the quiet hours of the type. */
  quietHours?: { start: string; end: string } | null;
}

/** What a type starts with when the user has no row for it: the seeded defaults, else the table's. */
function defaultsFor(type: string) {
  const known = DEFAULT_NOTIFICATION_PREFERENCES.find((p) => p.notificationType === type);
  return {
    email: known?.emailEnabled ?? true,
    push: known?.pushEnabled ?? false,
    desktop: known?.desktopEnabled ?? true,
    sound: known?.soundEnabled ?? true,
    frequency: (known?.frequency ?? 'immediate') as Frequency,
  };
}

const hhmm = (time: string | null) => (time ? time.slice(0, 5) : null);

/** The caller's account time zones and every stored preference row: one query. */
const preferencesQuery = (ctx: ServiceContext, userId: string) =>
  ctx.db
    .select({
      accountTimezone: users.timezone,
      preferredTimezone: sql<string | null>`(select up.timezone from user_preferences up where up.user_id = users.id)`,
      rows: sql<StoredPreference[]>`coalesce((select json_agg(json_build_object(
          'type', np.notification_type, 'email', np.email_enabled, 'push', np.push_enabled,
          'desktop', np.desktop_enabled, 'sound', np.sound_enabled, 'frequency', np.frequency,
          'quietStart', np.quiet_hours_start::text, 'quietEnd', np.quiet_hours_end::text) order by np.notification_type)
        from notification_preferences np where np.user_id = users.id), '[]'::json)`,
    })
    .from(users)
    .where(eq(users.id, userId));

type PreferencesRow = Awaited<ReturnType<typeof preferencesQuery>>[number];

/**
 * Every type the user has a row for, plus the default types, with the effective values and the
 * quiet-hours status at the request's clock in the user's time zone.
 */
function toPreferences(ctx: ServiceContext, row: PreferencesRow) {
  const timezone = resolveTimeZone(row.preferredTimezone, row.accountTimezone);
  const stored = new Map(row.rows.map((r) => [r.type, r]));
  const types = [...new Set([...DEFAULT_NOTIFICATION_PREFERENCES.map((p) => p.notificationType), ...stored.keys()])].sort();
  const preferences = types.map((type) => {
    const d = defaultsFor(type);
    const s = stored.get(type);
    const start = hhmm(s?.quietStart ?? null);
    const end = hhmm(s?.quietEnd ?? null);
    const quietHours = start && end ? { start, end } : null;
    const status = quietStatus(ctx.now, timezone, quietHours);
    return {
      type,
      email: s?.email ?? d.email,
      push: s?.push ?? d.push,
      desktop: s?.desktop ?? d.desktop,
      sound: s?.sound ?? d.sound,
      frequency: s?.frequency ?? d.frequency,
      quietHours,
      quietNow: status.active,
      quietUntil: status.endsAt?.toISOString() ?? null,
      customized: Boolean(s),
    };
  });
  return { timezone, preferences };
}

function callerId(ctx: ServiceContext): string {
  if (!ctx.actor) throw new ApiError('UNAUTHORIZED', 'Missing or invalid access token');
  return ctx.actor.userId;
}

export async function getPreferences(ctx: ServiceContext) {
  const userId = callerId(ctx);
  const [row] = await preferencesQuery(ctx, userId);
  if (!row) throw new ApiError('UNAUTHORIZED', 'The account no longer exists');
  return toPreferences(ctx, row);
}

/**
 * Creates or changes the caller's preferences for one or more types: per type one upsert that
 * sets only the fields given (a new row starts from the type's defaults), then the audit row and
 * the read-back, all in one batch.
 */
export async function updatePreferences(ctx: ServiceContext, changes: PreferenceChange[]) {
  const userId = callerId(ctx);
  const upserts = changes.map((change) => {
    const d = defaultsFor(change.type);
    const set = {
      ...(change.email !== undefined ? { emailEnabled: change.email } : {}),
      ...(change.push !== undefined ? { pushEnabled: change.push } : {}),
      ...(change.desktop !== undefined ? { desktopEnabled: change.desktop } : {}),
      ...(change.sound !== undefined ? { soundEnabled: change.sound } : {}),
      ...(change.frequency !== undefined ? { frequency: change.frequency } : {}),
      ...(change.quietHours !== undefined ? { quietHoursStart: change.quietHours?.start ?? null, quietHoursEnd: change.quietHours?.end ?? null } : {}),
      updatedAt: ctx.now,
    };
    return ctx.db
      .insert(notificationPreferences)
      .values({
        userId,
        notificationType: change.type,
        emailEnabled: d.email,
        pushEnabled: d.push,
        desktopEnabled: d.desktop,
        soundEnabled: d.sound,
        frequency: d.frequency,
        createdAt: ctx.now,
        ...set,
      })
      .onConflictDoUpdate({ target: [notificationPreferences.userId, notificationPreferences.notificationType], set });
  });
  const results = await ctx.db.batch([
    auditInsert(ctx, {
      entityType: 'notification_preference',
      entityId: null,
      action: 'update',
      description: `Changed notification preferences (${changes.map((c) => c.type).join(', ')})`,
      newValues: changes,
    }),
    ...upserts,
    preferencesQuery(ctx, userId),
  ]);
  const [row] = results.at(-1) as PreferencesRow[];
  if (!row) throw new ApiError('UNAUTHORIZED', 'The account no longer exists');
  return toPreferences(ctx, row);
}
