import { sql } from 'drizzle-orm';
import type { Actor } from '../../context';
import { auditSnapshotInsert } from '../../lib/audit-snapshot';
import { ApiError } from '../../lib/errors';
import type { ServiceContext } from '../../lib/service-context';
import { permits } from '../auth/services/principal';
import { SEED_THEME_VALUES } from '../themes/schemas';
import type { UserPreferences, UserSettings } from './schemas';
import { columnDefault, columnFields, fields, getPath, groups, setPath, settingFields, type ColumnField, type Field, type Group, type SettingField } from './fields';

type Row = Record<string, unknown>;

export interface AvailableTheme {
  name: string;
  displayName: string;
  preview: string | null;
  description: string | null;
}

/** What the database holds for a user: the preferences row, the preference-backed user_settings values, the active themes. */
interface State {
  prefs: Row;
  settings: Record<string, string>;
  themes: AvailableTheme[];
}

function requireUser(ctx: ServiceContext): Actor {
  if (!ctx.actor) throw new ApiError('UNAUTHORIZED', 'Missing or invalid access token');
  return ctx.actor;
}

const list = (values: readonly string[]) => sql.join(values.map((v) => sql`${v}`), sql`, `);

/** The name of the default theme: what a new preferences row starts with. */
export const defaultThemeName = sql`coalesce((select d.name from themes d where d.is_default and d.is_active limit 1), 'default')`;

/**
 * CTEs giving `prefs`, the user's preferences row, created with the defaults when missing: a
 * plain read when the row exists (the insert's SELECT finds it and inserts nothing).
 */
function ensurePreferences(ctx: ServiceContext, userId: string) {
  const now = sql`${ctx.now.toISOString()}::timestamptz`;
  return sql`existing as (select * from user_preferences where user_id = ${userId}),
    created as (
      insert into user_preferences (user_id, theme, created_at, updated_at)
      select ${userId}::uuid, ${defaultThemeName}, ${now}, ${now}
      where not exists (select 1 from existing) and exists (select 1 from users where id = ${userId})
      on conflict (user_id) do nothing
      returning *),
    prefs as (select * from existing union all select * from created)`;
}

/** True for a theme a user may choose: a seed value (whatever themes exist) or an active theme's name. */
const themeAccepted = (theme: string | undefined) =>
  theme === undefined || (SEED_THEME_VALUES as readonly string[]).includes(theme)
    ? sql`true`
    : sql`exists (select 1 from themes t where t.name = ${theme} and t.is_active)`;

interface Diagnostics {
  ids: string[];
  theme: string | undefined;
}

/** One statement: the preferences row (created on first read), the user's preference settings and the active themes. */
function stateQuery(ctx: ServiceContext, userId: string, diagnostics?: Diagnostics) {
  const extra = diagnostics
    ? sql`, (select coalesce(json_agg(st.category || '.' || st.key), '[]'::json) from setting_templates st
          where st.user_configurable is false and st.category || '.' || st.key in (${list(diagnostics.ids)})) as locked,
        ${themeAccepted(diagnostics.theme)} as theme_ok`
    : sql``;
  return ctx.db.execute<{ prefs: Row; settings: Record<string, string>; themes: AvailableTheme[]; locked?: string[]; theme_ok?: boolean }>(sql`with ${ensurePreferences(ctx, userId)}
    select row_to_json(p) as prefs,
      (select coalesce(json_object_agg(s.category || '.' || s.key, s.value), '{}'::json) from user_settings s
        where s.user_id = ${userId} and s.category || '.' || s.key in (${list(settingFields.map((f) => f.id))})) as settings,
      (select coalesce(json_agg(json_build_object('name', t.name, 'displayName', t.display_name, 'preview', t.preview_image_url,
        'description', t.description) order by t.sort_order, t.name), '[]'::json) from themes t where t.is_active) as themes
      ${extra}
    from prefs p`);
}

async function readState(ctx: ServiceContext, userId: string): Promise<State> {
  // A first read racing another first read can find neither row: the second attempt sees it.
  for (let attempt = 0; attempt < 2; attempt++) {
    const { rows } = await stateQuery(ctx, userId);
    if (rows[0]) return rows[0];
  }
  throw new ApiError('UNAUTHORIZED', 'The account no longer exists');
}

/* ---------- state -> DTOs ---------- */

function columnValue(field: ColumnField, prefs: Row) {
  const value = prefs[field.column];
  return value === null || value === undefined ? columnDefault(field) : value;
}

/** A stored user_settings text read back for its field; invalid or missing values give the default. */
function settingValue(field: SettingField, stored: string | undefined) {
  if (stored === undefined) return field.default;
  if (field.type === 'boolean') return stored === 'true' ? true : stored === 'false' ? false : field.default;
  if (field.enum && !field.enum.includes(stored)) return field.default;
  if (field.pattern && !new RegExp(field.pattern).test(stored)) return field.default;
  return stored;
}

const timestamp = (value: unknown) => new Date(String(value)).toISOString();

export function toPreferences(state: Pick<State, 'prefs'>) {
  const dto: Record<string, unknown> = {};
  for (const field of columnFields) if (field.preferences) setPath(dto, field.preferences, columnValue(field, state.prefs));
  dto.updatedAt = timestamp(state.prefs.updated_at);
  return dto as PreferencesDto;
}

function toSettings(state: State) {
  const dto: Record<string, unknown> = {};
  for (const field of fields) {
    const value = field.kind === 'column' ? columnValue(field, state.prefs) : settingValue(field, state.settings[field.id]);
    if (value !== null) setPath(dto, field.settings, value);
  }
  const theme = dto.theme as Record<string, unknown>;
  theme.customColors ??= {};
  theme.availableThemes = state.themes;
  return dto as SettingsDto;
}

/* ---------- changes ---------- */

interface Change {
  field: Field;
  value: unknown;
}

/** The fields a body sets, by their path in one API (`relative` drops the group for /api/settings/{group}). */
function changesOf(body: unknown, api: 'preferences' | 'settings', group?: Group): Change[] {
  const changes: Change[] = [];
  for (const field of fields) {
    const path = api === 'preferences' ? field.preferences : field.settings;
    if (!path || (group && field.group !== group)) continue;
    const value = getPath(body, group ? path.slice(1) : path);
    if (value !== undefined) changes.push({ field, value });
  }
  return changes;
}

const now = (ctx: ServiceContext) => sql`${ctx.now.toISOString()}::timestamptz`;
const cast = (field: ColumnField, value: unknown) => (field.type === 'boolean' ? sql`${value}::boolean` : sql`${value}::text`);

/** The old values of the changed fields, read by the database before the change. */
function oldValues(userId: string, columns: ColumnField[], settings: SettingField[]) {
  const fromRow = columns.length
    ? sql`coalesce((select jsonb_build_object(${sql.join(
        columns.map((f) => sql`${f.id}::text, p.${sql.identifier(f.column)}`),
        sql`, `,
      )}) from user_preferences p where p.user_id = ${userId}), '{}'::jsonb)`
    : sql`'{}'::jsonb`;
  const fromSettings = settings.length
    ? sql`coalesce((select jsonb_object_agg(s.category || '.' || s.key, s.value) from user_settings s
        where s.user_id = ${userId} and s.category || '.' || s.key in (${list(settings.map((f) => f.id))})), '{}'::jsonb)`
    : sql`'{}'::jsonb`;
  return sql`select ${fromRow} || ${fromSettings}`;
}

/**
 * Applies changes in one batch, every statement under one guard (the theme is a seed value or an active theme,
 * no changed field is locked by a `user_configurable: false` template): the audit row, the
 * preferences upsert, the user_settings upserts and deletes, then the state read with the reasons
 * a refused change was refused.
 */
async function applyChanges(ctx: ServiceContext, userId: string, changes: Change[]): Promise<State> {
  if (changes.length === 0) return readState(ctx, userId);
  const ids = changes.map((c) => c.field.id);
  const theme = changes.find((c) => c.field.id === 'theme.name')?.value as string | undefined;
  const guard = sql`(${themeAccepted(theme)}
    and not exists (select 1 from setting_templates st where st.user_configurable is false and st.category || '.' || st.key in (${list(ids)})))`;

  const columnChanges = changes.filter((c): c is Change & { field: ColumnField } => c.field.kind === 'column');
  const settingChanges = changes.filter((c): c is Change & { field: SettingField } => c.field.kind === 'setting');
  const upserts = settingChanges.filter((c) => c.value !== null);
  const removals = settingChanges.filter((c) => c.value === null);
  const newValues = Object.fromEntries(changes.map((c) => [c.field.id, c.value]));

  const insertColumns = [
    ...(theme === undefined ? [sql`theme`] : []),
    ...columnChanges.map((c) => sql.identifier(c.field.column)),
  ];
  const insertValues = [...(theme === undefined ? [defaultThemeName] : []), ...columnChanges.map((c) => cast(c.field, c.value))];
  const preferencesUpsert = columnChanges.length === 0 ? sql`select 1 where false` : sql`insert into user_preferences (user_id, ${sql.join(insertColumns, sql`, `)}, created_at, updated_at)
    select ${userId}::uuid, ${sql.join(insertValues, sql`, `)}, ${now(ctx)}, ${now(ctx)}
    where ${guard} and exists (select 1 from users where id = ${userId})
    on conflict (user_id) do update set ${sql.join(
      [...columnChanges.map((c) => sql`${sql.identifier(c.field.column)} = excluded.${sql.identifier(c.field.column)}`), sql`updated_at = excluded.updated_at`],
      sql`, `,
    )}`;
  const settingsUpsert = upserts.length
    ? sql`insert into user_settings (user_id, category, key, value, data_type, created_at, updated_at)
      select ${userId}::uuid, v.category, v.key, v.value, v.data_type, ${now(ctx)}, ${now(ctx)}
      from (values ${sql.join(
        upserts.map((c) => sql`(${c.field.category}, ${c.field.key}, ${String(c.value)}, ${c.field.type})`),
        sql`, `,
      )}) as v(category, key, value, data_type)
      where ${guard}
      on conflict (user_id, category, key) do update set value = excluded.value, data_type = excluded.data_type, updated_at = excluded.updated_at
      where user_settings.is_system is not true`
    : sql`select 1 where false`;
  const settingsDelete = removals.length
    ? sql`delete from user_settings where user_id = ${userId} and is_system is not true
      and category || '.' || key in (${list(removals.map((c) => c.field.id))}) and ${guard}`
    : sql`select 1 where false`;

  const [audit, , , , state] = await ctx.db.batch([
    auditSnapshotInsert(ctx, {
      entityType: 'user_preferences',
      entityId: userId,
      action: 'update',
      description: 'Changed preferences',
      oldValues: oldValues(userId, columnChanges.map((c) => c.field), settingChanges.map((c) => c.field)),
      newValues,
      when: guard,
    }),
    ctx.db.execute(preferencesUpsert),
    ctx.db.execute(settingsUpsert),
    ctx.db.execute(settingsDelete),
    stateQuery(ctx, userId, { ids, theme }),
  ]);
  const row = state.rows[0];
  if (!row) throw new ApiError('UNAUTHORIZED', 'The account no longer exists');
  if (audit.rowCount === 0) {
    if (row.locked?.length) {
      throw new ApiError('SETTING_NOT_CONFIGURABLE', 'Some of these settings cannot be changed by users', {
        details: row.locked.map((id) => ({ field: id, message: 'Not configurable by users', code: 'not_configurable' })),
      });
    }
    throw new ApiError('INVALID_THEME', `There is no active theme named "${theme}"`, {
      details: [{ field: 'body.theme', message: `Must be ${SEED_THEME_VALUES.join(', ')} or the name of an active theme (GET /api/themes)`, code: 'invalid_theme' }],
    });
  }
  return row;
}

/** Resets the named groups to their defaults (fields locked by a template keep their value). */
async function resetGroups(ctx: ServiceContext, userId: string, chosen: readonly Group[]): Promise<State> {
  const columns = columnFields.filter((f) => chosen.includes(f.group));
  const settings = settingFields.filter((f) => chosen.includes(f.group));
  const locked = (id: string) =>
    sql`exists (select 1 from setting_templates st where st.user_configurable is false and st.category || '.' || st.key = ${id})`;
  const [, , , state] = await ctx.db.batch([
    auditSnapshotInsert(ctx, {
      entityType: 'user_preferences',
      entityId: userId,
      action: 'update',
      description: `Reset settings: ${chosen.join(', ')}`,
      oldValues: oldValues(userId, columns, settings),
      newValues: { reset: chosen },
    }),
    ctx.db.execute(
      columns.length
        ? sql`update user_preferences set ${sql.join(
            columns.map((f) => {
              const col = sql.identifier(f.column);
              const def = f.id === 'theme.name' ? defaultThemeName : sql`${columnDefault(f)}`;
              return sql`${col} = case when ${locked(f.id)} then ${col} else ${def} end`;
            }),
            sql`, `,
          )}, updated_at = ${now(ctx)} where user_id = ${userId}`
        : sql`select 1 where false`,
    ),
    ctx.db.execute(
      settings.length
        ? sql`delete from user_settings s where s.user_id = ${userId} and s.is_system is not true
            and s.category || '.' || s.key in (${list(settings.map((f) => f.id))})
            and not exists (select 1 from setting_templates st where st.user_configurable is false and st.category = s.category and st.key = s.key)`
        : sql`select 1 where false`,
    ),
    stateQuery(ctx, userId),
  ]);
  const row = state.rows[0];
  if (!row) throw new ApiError('UNAUTHORIZED', 'The account no longer exists');
  return row;
}

/* ---------- the operations ---------- */

export async function getPreferences(ctx: ServiceContext) {
  return toPreferences(await readState(ctx, requireUser(ctx).userId));
}

export async function updatePreferences(ctx: ServiceContext, body: unknown) {
  const actor = requireUser(ctx);
  return toPreferences(await applyChanges(ctx, actor.userId, changesOf(body, 'preferences')));
}

export async function getSettings(ctx: ServiceContext) {
  return toSettings(await readState(ctx, requireUser(ctx).userId));
}

/** Changing the theme or notification groups also needs their own permissions. */
const groupPermissions: Partial<Record<Group, `${string}:${string}`>> = { theme: 'settings:theme', notifications: 'settings:notifications' };

function requireGroupPermissions(actor: Actor, touched: Iterable<Group>) {
  for (const group of touched) {
    const permission = groupPermissions[group];
    if (permission && !permits(actor.permissions, permission)) throw new ApiError('FORBIDDEN', `Requires the permission ${permission}`);
  }
}

export async function updateSettings(ctx: ServiceContext, body: unknown) {
  const actor = requireUser(ctx);
  const changes = changesOf(body, 'settings');
  requireGroupPermissions(actor, new Set(changes.map((c) => c.field.group)));
  return toSettings(await applyChanges(ctx, actor.userId, changes));
}

export async function getSettingsGroup<G extends 'theme' | 'layout' | 'notifications'>(ctx: ServiceContext, group: G): Promise<SettingsDto[G]> {
  return (await getSettings(ctx))[group];
}

export async function updateSettingsGroup<G extends 'theme' | 'layout' | 'notifications'>(ctx: ServiceContext, group: G, body: unknown): Promise<SettingsDto[G]> {
  const actor = requireUser(ctx);
  return toSettings(await applyChanges(ctx, actor.userId, changesOf(body, 'settings', group)))[group];
}

export async function resetSettings(ctx: ServiceContext, categories: readonly Group[] | undefined) {
  const actor = requireUser(ctx);
  const chosen = categories?.length ? groups.filter((g) => categories.includes(g)) : groups;
  requireGroupPermissions(actor, chosen);
  return toSettings(await resetGroups(ctx, actor.userId, chosen));
}

type PreferencesDto = UserPreferences;
type SettingsDto = UserSettings;
