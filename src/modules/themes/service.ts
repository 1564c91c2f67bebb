import { and, asc, eq, ne, sql, type SQL } from 'drizzle-orm';
import { themes, userPreferences, type ColorPalette } from '../../../drizzle';
import { auditSnapshotInsert } from '../../lib/audit-snapshot';
import { cacheNamespace, readThrough, writeCache } from '../../lib/cache';
import { ApiError, notFound } from '../../lib/errors';
import type { ServiceContext } from '../../lib/service-context';
import { auditInsert } from '../audit/service';

/** The active themes in KV, each with its row version (the item ETag). */
export const THEMES_CACHE_KEY = 'themes:v1';
/** Safety net only: every admin change writes the new list through to KV at once. */
export const THEMES_CACHE_TTL_SECONDS = 3600;

const columns = {
  id: themes.id,
  name: themes.name,
  displayName: themes.displayName,
  description: themes.description,
  previewImageUrl: themes.previewImageUrl,
  colorPalette: themes.colorPalette,
  cssVariables: themes.cssVariables,
  isActive: themes.isActive,
  isDefault: themes.isDefault,
  sortOrder: themes.sortOrder,
  createdAt: themes.createdAt,
  updatedAt: themes.updatedAt,
  version: sql<string>`md5(themes::text)`,
};

type ThemeRow = {
  id: string;
  name: string;
  displayName: string;
  description: string | null;
  previewImageUrl: string | null;
  colorPalette: ColorPalette | null;
  cssVariables: Record<string, string> | null;
  isActive: boolean | null;
  isDefault: boolean | null;
  sortOrder: number | null;
  createdAt: Date;
  updatedAt: Date;
  version: string;
};

function toTheme(row: ThemeRow) {
  return {
    id: row.id,
    name: row.name,
    displayName: row.displayName,
    description: row.description,
    previewImageUrl: row.previewImageUrl,
    colorPalette: row.colorPalette,
    cssVariables: row.cssVariables,
    isActive: row.isActive ?? true,
    isDefault: row.isDefault ?? false,
    sortOrder: row.sortOrder ?? 0,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export type ThemeDto = ReturnType<typeof toTheme>;
export interface VersionedTheme {
  theme: ThemeDto;
  version: string;
}

const versioned = (row: ThemeRow): VersionedTheme => ({ theme: toTheme(row), version: row.version });

/** A literal true or false, to switch a statement of a fixed batch on or off. */
const flag = (on: boolean) => (on ? sql`true` : sql`false`);

const order = [asc(themes.sortOrder), asc(themes.name)];
const activeQuery = (ctx: ServiceContext) => ctx.db.select(columns).from(themes).where(eq(themes.isActive, true)).orderBy(...order);

/** The active themes: from KV when cached (no database round trip), else one query. */
async function loadActiveThemes(ctx: ServiceContext): Promise<VersionedTheme[]> {
  const { value } = await readThrough(cacheNamespace(ctx), THEMES_CACHE_KEY, THEMES_CACHE_TTL_SECONDS, () => activeQuery(ctx).then((rows) => rows.map(versioned)), {
    waitUntil: ctx.waitUntil,
    logger: ctx.logger,
  });
  return value;
}

async function writeThrough(ctx: ServiceContext, rows: ThemeRow[]) {
  await writeCache(cacheNamespace(ctx), THEMES_CACHE_KEY, rows.map(versioned), THEMES_CACHE_TTL_SECONDS, ctx.logger);
}

/** Public: the active themes in display order. */
export async function listActiveThemes(ctx: ServiceContext): Promise<ThemeDto[]> {
  return (await loadActiveThemes(ctx)).map((t) => t.theme);
}

/** Public: one active theme by id or name. */
export async function getActiveTheme(ctx: ServiceContext, idOrName: string): Promise<VersionedTheme> {
  const found = (await loadActiveThemes(ctx)).find((t) => t.theme.id === idOrName || t.theme.name === idOrName);
  if (!found) throw notFound('Theme');
  return found;
}

/* ---------- administration ---------- */

export async function listAllThemes(ctx: ServiceContext): Promise<ThemeDto[]> {
  return (await ctx.db.select(columns).from(themes).orderBy(...order)).map(toTheme);
}

export async function getThemeById(ctx: ServiceContext, id: string): Promise<VersionedTheme> {
  const [row] = await ctx.db.select(columns).from(themes).where(eq(themes.id, id));
  if (!row) throw notFound('Theme');
  return versioned(row);
}

export interface ThemeInput {
  name: string;
  displayName: string;
  description?: string | null | undefined;
  previewImageUrl?: string | null | undefined;
  colorPalette?: ColorPalette | null | undefined;
  cssVariables?: Record<string, string> | null | undefined;
  isActive?: boolean | undefined;
  isDefault?: boolean | undefined;
  sortOrder?: number | undefined;
}

/** Creates a theme; a new default replaces the old one in the same batch. */
export async function createTheme(ctx: ServiceContext, input: ThemeInput): Promise<VersionedTheme> {
  const id = crypto.randomUUID();
  const isDefault = input.isDefault ?? false;
  const values = {
    name: input.name,
    displayName: input.displayName,
    description: input.description ?? null,
    previewImageUrl: input.previewImageUrl ?? null,
    colorPalette: input.colorPalette ?? null,
    cssVariables: input.cssVariables ?? null,
    isActive: isDefault || (input.isActive ?? true),
    isDefault,
    sortOrder: input.sortOrder ?? 0,
  };
  const results = await ctx.db.batch([
    auditInsert(ctx, { entityType: 'theme', entityId: id, action: 'create', description: `Created the theme ${input.name}`, newValues: values }),
    // Clears the old default first (the partial unique index allows one); nothing when not a default.
    ctx.db
      .update(themes)
      .set({ isDefault: false, updatedAt: ctx.now })
      .where(and(eq(themes.isDefault, true), flag(isDefault))),
    ctx.db.insert(themes).values({ id, ...values, createdAt: ctx.now, updatedAt: ctx.now }).returning(columns),
    activeQuery(ctx),
  ]);
  const [, , [row], active] = results;
  await writeThrough(ctx, active);
  return versioned(row!);
}

export type ThemePatch = Partial<ThemeInput>;

/** The theme row `id` (alias `t`), at one of `versions` when given, and not the default when `notDefault`. */
function guard(alias: SQL, id: string, versions: string[] | undefined, notDefault: boolean) {
  return sql.join(
    [
      sql`${alias}.id = ${id}`,
      ...(versions ? [versions.length ? sql`md5(${alias}::text) in (${sql.join(versions.map((v) => sql`${v}`), sql`, `)})` : sql`false`] : []),
      ...(notDefault ? [sql`${alias}.is_default is not true`] : []),
    ],
    sql` and `,
  );
}

const themeSnapshot = (id: string) =>
  sql`select json_build_object('name', t.name, 'displayName', t.display_name, 'description', t.description,
      'previewImageUrl', t.preview_image_url, 'colorPalette', t.color_palette, 'cssVariables', t.css_variables,
      'isActive', t.is_active, 'isDefault', t.is_default, 'sortOrder', t.sort_order)
    from themes t where t.id = ${id}`;

/** The default theme other than `id`, for users whose theme goes away. */
const otherDefaultName = (id: string) =>
  sql`coalesce((select d.name from themes d where d.is_default and d.id <> ${id} limit 1), 'default')`;

const currentRow = (ctx: ServiceContext, id: string) =>
  ctx.db.execute<{ version: string; is_default: boolean | null }>(sql`select md5(t::text) as version, t.is_default from themes t where t.id = ${id}`);

function refusal(current: { version: string; is_default: boolean | null } | undefined, versions: string[] | undefined) {
  if (!current) return notFound('Theme');
  if (versions && !versions.includes(current.version)) {
    return new ApiError('PRECONDITION_FAILED', 'The theme has changed since the given ETag', { details: { currentEtag: `"${current.version}"` } });
  }
  return new ApiError('DEFAULT_THEME_REQUIRED', 'There must always be one active default theme: make another theme the default first');
}

/**
 * Updates a theme in one batch: the audit row, the switch of the default (the old default is
 * cleared in the same batch, so there is exactly one), users' preferences following a rename or
 * a deactivation (a preference names an active theme or a seed value), the update itself, and the active
 * list for the write-through. Every statement carries the same guard (If-Match version, default rules).
 */
export async function updateTheme(ctx: ServiceContext, id: string, patch: ThemePatch, versions: string[] | undefined): Promise<VersionedTheme> {
  const becomesDefault = patch.isDefault === true;
  const notDefault = patch.isDefault === false || patch.isActive === false;
  const changes = {
    ...patch,
    ...(becomesDefault ? { isActive: true } : {}),
  };
  const guarded = sql`exists (select 1 from themes t where ${guard(sql`t`, id, versions, notDefault)})`;
  // Users follow a deactivated theme to the default, and a renamed theme to its new name.
  const follow = patch.isActive === false ? otherDefaultName(id) : patch.name !== undefined ? sql`${patch.name}` : undefined;
  const [, , , updated, current, active] = await ctx.db.batch([
    auditSnapshotInsert(ctx, { entityType: 'theme', entityId: id, action: 'update', description: 'Updated a theme', oldValues: themeSnapshot(id), newValues: changes, when: guarded }),
    ctx.db
      .update(themes)
      .set({ isDefault: false, updatedAt: ctx.now })
      .where(and(eq(themes.isDefault, true), ne(themes.id, id), flag(becomesDefault), guarded)),
    ctx.db
      .update(userPreferences)
      .set({ theme: follow ?? sql`${userPreferences.theme}`, updatedAt: ctx.now })
      .where(and(sql`${userPreferences.theme} = (select t.name from themes t where t.id = ${id})`, flag(follow !== undefined), guarded)),
    ctx.db.update(themes).set({ ...changes, updatedAt: ctx.now }).where(guard(sql`themes`, id, versions, notDefault)).returning(columns),
    currentRow(ctx, id),
    activeQuery(ctx),
  ]);
  const [row] = updated;
  if (!row) throw refusal(current.rows[0], versions);
  await writeThrough(ctx, active);
  return versioned(row);
}

/** Deletes a theme that is not the default; its users move to the default theme in the same batch. */
export async function deleteTheme(ctx: ServiceContext, id: string, versions: string[] | undefined) {
  const guarded = sql`exists (select 1 from themes t where ${guard(sql`t`, id, versions, true)})`;
  const [, , deleted, current, active] = await ctx.db.batch([
    auditSnapshotInsert(ctx, { entityType: 'theme', entityId: id, action: 'delete', description: 'Deleted a theme', oldValues: themeSnapshot(id), when: guarded }),
    ctx.db
      .update(userPreferences)
      .set({ theme: otherDefaultName(id), updatedAt: ctx.now })
      .where(and(sql`${userPreferences.theme} = (select t.name from themes t where t.id = ${id})`, guarded)),
    ctx.db.delete(themes).where(guard(sql`themes`, id, versions, true)).returning({ id: themes.id }),
    currentRow(ctx, id),
    activeQuery(ctx),
  ]);
  if (deleted.length === 0) throw refusal(current.rows[0], versions);
  await writeThrough(ctx, active);
  return { id, deleted: true as const };
}
