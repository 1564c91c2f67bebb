import { and, eq, isNull, sql } from 'drizzle-orm';
import { users } from '../../../drizzle';
import { auditSnapshotInsert } from '../../lib/audit-snapshot';
import { ApiError } from '../../lib/errors';
import type { ServiceContext } from '../../lib/service-context';
import { accountColumns, toAuthenticatedUser, type Account } from '../auth/services/account';
import { defaultThemeName, toPreferences } from '../preferences/service';

function requireUserId(ctx: ServiceContext): string {
  if (!ctx.actor) throw new ApiError('UNAUTHORIZED', 'Missing or invalid access token');
  return ctx.actor.userId;
}

const gone = () => new ApiError('UNAUTHORIZED', 'The account no longer exists');

/** The profile columns, roles, permissions and the preferences row: one query. */
const profileQuery = (ctx: ServiceContext, userId: string) =>
  ctx.db
    .select({
      ...accountColumns(ctx.now),
      bio: users.bio,
      timezone: users.timezone,
      language: users.language,
      dateOfBirth: users.dateOfBirth,
      phone: users.phone,
      updatedAt: users.updatedAt,
      // Plain SQL with aliases: Drizzle leaves column references unqualified in a select list.
      preferences: sql<Record<string, unknown> | null>`(select row_to_json(p) from user_preferences p where p.user_id = users.id)`,
      defaultTheme: sql<string>`${defaultThemeName}`,
    })
    .from(users)
    .where(and(eq(users.id, userId), isNull(users.deletedAt)));

type ProfileRow = Account & {
  bio: string | null;
  timezone: string | null;
  language: string | null;
  dateOfBirth: string | null;
  phone: string | null;
  updatedAt: Date;
  preferences: Record<string, unknown> | null;
  defaultTheme: string;
};

/** The spec's UserProfile: the authenticated user plus the profile fields and the preferences. */
function toProfile(row: ProfileRow) {
  return {
    ...toAuthenticatedUser(row),
    bio: row.bio,
    timezone: row.timezone ?? 'UTC',
    language: row.language ?? 'en',
    dateOfBirth: row.dateOfBirth,
    phone: row.phone,
    // Preferences not created yet read as the defaults (GET /api/users/preferences creates the row).
    preferences: toPreferences({ prefs: row.preferences ?? { theme: row.defaultTheme, updated_at: row.createdAt.toISOString() } }),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function getProfile(ctx: ServiceContext) {
  const [row] = await profileQuery(ctx, requireUserId(ctx));
  if (!row) throw gone();
  return toProfile(row);
}

export interface ProfilePatch {
  name?: string | undefined;
  firstName?: string | undefined;
  lastName?: string | undefined;
  bio?: string | null | undefined;
  timezone?: string | undefined;
  language?: string | undefined;
  dateOfBirth?: string | null | undefined;
  phone?: string | null | undefined;
}

const profileColumns: Record<keyof ProfilePatch, string> = {
  name: 'name',
  firstName: 'first_name',
  lastName: 'last_name',
  bio: 'bio',
  timezone: 'timezone',
  language: 'language',
  dateOfBirth: 'date_of_birth',
  phone: 'phone',
};

/** Changes the caller's own editable fields: one batch with the audit row (old values read in it), then the new profile. */
export async function updateProfile(ctx: ServiceContext, patch: ProfilePatch) {
  const userId = requireUserId(ctx);
  const changed = (Object.keys(profileColumns) as (keyof ProfilePatch)[]).filter((k) => patch[k] !== undefined);
  const values = Object.fromEntries(changed.map((k) => [k, patch[k]]));
  const live = sql`exists (select 1 from users u where u.id = ${userId} and u.deleted_at is null)`;
  const [, , rows] = await ctx.db.batch([
    auditSnapshotInsert(ctx, {
      entityType: 'user',
      entityId: userId,
      action: 'update',
      description: 'Updated own profile',
      oldValues: sql`select json_build_object(${sql.join(
        changed.map((k) => sql`${k}::text, u.${sql.identifier(profileColumns[k])}`),
        sql`, `,
      )}) from users u where u.id = ${userId}`,
      newValues: values,
      when: live,
    }),
    ctx.db
      .update(users)
      .set({ ...values, updatedAt: ctx.now })
      .where(and(eq(users.id, userId), isNull(users.deletedAt))),
    profileQuery(ctx, userId),
  ]);
  const [row] = rows;
  if (!row) throw gone();
  return toProfile(row);
}
