import { asc, eq, sql, type SQL } from 'drizzle-orm';
import { systemSettings } from '../../../drizzle';
import { auditSnapshotInsert } from '../../lib/audit-snapshot';
import { cacheNamespace, readThrough, writeCache } from '../../lib/cache';
import { ApiError, notFound } from '../../lib/errors';
import type { ServiceContext } from '../../lib/service-context';
import { dataTypesOf, decodeValue, encodeValue, hasDataType, type DataType } from '../../lib/typed-value';
import { auditInsert } from '../audit/service';

/** Every system setting (public and private) in KV; the public endpoint filters `isPublic`. */
export const SYSTEM_SETTINGS_CACHE_KEY = 'system-settings:v1';
/** Safety net only: every admin change writes the new list through to KV at once. */
export const SYSTEM_SETTINGS_CACHE_TTL_SECONDS = 300;

export interface SystemSettingValue {
  category: string;
  key: string;
  value: string;
  dataType: string;
  isPublic: boolean;
  requiresRestart: boolean;
}

const cachedColumns = {
  category: systemSettings.category,
  key: systemSettings.key,
  value: systemSettings.value,
  dataType: systemSettings.dataType,
  isPublic: systemSettings.isPublic,
  requiresRestart: systemSettings.requiresRestart,
};

type CachedRow = { category: string; key: string; value: string; dataType: string | null; isPublic: boolean | null; requiresRestart: boolean | null };

const toCached = (rows: CachedRow[]): SystemSettingValue[] =>
  rows.map((r) => ({ ...r, dataType: r.dataType ?? 'string', isPublic: r.isPublic ?? false, requiresRestart: r.requiresRestart ?? false }));

const allCachedQuery = (ctx: ServiceContext) =>
  ctx.db.select(cachedColumns).from(systemSettings).orderBy(asc(systemSettings.category), asc(systemSettings.key));

/** Every system setting, from KV when cached (no database round trip), else one query. */
export async function loadSystemSettings(ctx: ServiceContext): Promise<SystemSettingValue[]> {
  const { value } = await readThrough(
    cacheNamespace(ctx),
    SYSTEM_SETTINGS_CACHE_KEY,
    SYSTEM_SETTINGS_CACHE_TTL_SECONDS,
    () => allCachedQuery(ctx).then(toCached),
    { waitUntil: ctx.waitUntil, logger: ctx.logger },
  );
  return value;
}

/** A setting's value converted by its data type (null when the stored text does not read as that type). */
export function typedValue(setting: Pick<SystemSettingValue, 'value' | 'dataType'>): unknown {
  return decodeValue(setting.value, setting.dataType);
}

/** One setting by `category.key`, typed, with a fallback when it is missing or unreadable. */
export async function systemSetting<T>(ctx: ServiceContext, name: string, fallback: T): Promise<T> {
  const [category, key] = name.split('.', 2);
  const found = (await loadSystemSettings(ctx)).find((s) => s.category === category && s.key === key);
  return found ? ((typedValue(found) ?? fallback) as T) : fallback;
}

/** The public settings as `{ category: { key: value } }`, from KV (no database round trip on a hit). */
export async function publicSystemSettings(ctx: ServiceContext): Promise<Record<string, Record<string, unknown>>> {
  const grouped: Record<string, Record<string, unknown>> = {};
  const settings = (await loadSystemSettings(ctx))
    .filter((s) => s.isPublic)
    .sort((a, b) => a.category.localeCompare(b.category) || a.key.localeCompare(b.key));
  for (const s of settings) (grouped[s.category] ??= {})[s.key] = typedValue(s);
  return grouped;
}

/* ---------- administration ---------- */

const adminColumns = {
  id: systemSettings.id,
  category: systemSettings.category,
  key: systemSettings.key,
  value: systemSettings.value,
  dataType: systemSettings.dataType,
  description: systemSettings.description,
  isPublic: systemSettings.isPublic,
  requiresRestart: systemSettings.requiresRestart,
  createdAt: systemSettings.createdAt,
  updatedAt: systemSettings.updatedAt,
  version: sql<string>`md5(system_settings::text)`,
};

type AdminRow = {
  id: string;
  category: string;
  key: string;
  value: string;
  dataType: string | null;
  description: string | null;
  isPublic: boolean | null;
  requiresRestart: boolean | null;
  createdAt: Date;
  updatedAt: Date;
  version: string;
};

function toSystemSetting(row: AdminRow) {
  return {
    id: row.id,
    category: row.category,
    key: row.key,
    value: decodeValue(row.value, row.dataType),
    dataType: (row.dataType ?? 'string') as DataType,
    description: row.description,
    isPublic: row.isPublic ?? false,
    requiresRestart: row.requiresRestart ?? false,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export type SystemSettingDto = ReturnType<typeof toSystemSetting>;

/** Keys whose values are secrets: their values never reach an audit row. */
const SECRET_KEY = /pass(word)?|secret|token|hash|backup_?codes|api_?key|private|credential/i;
const SECRET_KEY_SQL = 'pass(word)?|secret|token|hash|backup_?codes|api_?key|private|credential';

const typeMismatch = (dataType: string) =>
  new ApiError('VALIDATION_ERROR', 'Invalid request data', {
    details: [{ field: 'body.value', message: `The value is not of the data type ${dataType}`, code: 'invalid_type' }],
  });

/** After a change: the new list goes to KV before the answer, so the next read sees it. */
async function writeThrough(ctx: ServiceContext, rows: CachedRow[]) {
  await writeCache(cacheNamespace(ctx), SYSTEM_SETTINGS_CACHE_KEY, toCached(rows), SYSTEM_SETTINGS_CACHE_TTL_SECONDS, ctx.logger);
}

export async function listSystemSettings(ctx: ServiceContext, filter: { category?: string }) {
  const rows = await ctx.db
    .select(adminColumns)
    .from(systemSettings)
    .where(filter.category ? eq(systemSettings.category, filter.category) : undefined)
    .orderBy(asc(systemSettings.category), asc(systemSettings.key));
  return rows.map(toSystemSetting);
}

export async function getSystemSetting(ctx: ServiceContext, id: string) {
  const [row] = await ctx.db.select(adminColumns).from(systemSettings).where(eq(systemSettings.id, id));
  if (!row) throw notFound('System setting');
  return { setting: toSystemSetting(row), version: row.version };
}

export interface NewSystemSettingInput {
  category: string;
  key: string;
  value: unknown;
  dataType: DataType;
  description?: string | null | undefined;
  isPublic?: boolean | undefined;
  requiresRestart?: boolean | undefined;
}

export async function createSystemSetting(ctx: ServiceContext, input: NewSystemSettingInput) {
  if (!hasDataType(input.value, input.dataType)) throw typeMismatch(input.dataType);
  const id = crypto.randomUUID();
  const values = {
    category: input.category,
    key: input.key,
    value: encodeValue(input.value),
    dataType: input.dataType,
    description: input.description ?? null,
    isPublic: input.isPublic ?? false,
    requiresRestart: input.requiresRestart ?? false,
  };
  const [, [row], all] = await ctx.db.batch([
    auditInsert(ctx, {
      entityType: 'system_setting',
      entityId: id,
      action: 'create',
      description: `Created the system setting ${input.category}.${input.key}`,
      newValues: SECRET_KEY.test(input.key) ? { ...values, value: '[REDACTED]' } : values,
    }),
    ctx.db.insert(systemSettings).values({ id, ...values, createdAt: ctx.now, updatedAt: ctx.now }).returning(adminColumns),
    allCachedQuery(ctx),
  ]);
  await writeThrough(ctx, all);
  return { setting: toSystemSetting(row!), version: row!.version };
}

export interface SystemSettingPatch {
  value?: unknown;
  dataType?: DataType | undefined;
  description?: string | null | undefined;
  isPublic?: boolean | undefined;
  requiresRestart?: boolean | undefined;
}

/** The row `id`, at one of `versions` when given (If-Match), of one of `types` when given. */
function guard(id: string, versions: string[] | undefined, types: DataType[] | undefined, alias: SQL) {
  return sql.join(
    [
      sql`${alias}.id = ${id}`,
      ...(versions ? [versions.length ? sql`md5(${alias}::text) in (${sql.join(versions.map((v) => sql`${v}`), sql`, `)})` : sql`false`] : []),
      ...(types ? [sql`coalesce(${alias}.data_type, 'string') in (${sql.join(types.map((t) => sql`${t}`), sql`, `)})`] : []),
    ],
    sql` and `,
  );
}

/** Why a guarded change of one row wrote nothing: gone (404), stale ETag (412) or a type mismatch. */
function refusal(current: { version: string; data_type: string | null } | null, versions: string[] | undefined, what: string) {
  if (!current) return notFound(what);
  if (versions && !versions.includes(current.version)) {
    return new ApiError('PRECONDITION_FAILED', `The ${what.toLowerCase()} has changed since the given ETag`, { details: { currentEtag: `"${current.version}"` } });
  }
  return typeMismatch(current.data_type ?? 'string');
}

const currentRow = (ctx: ServiceContext, id: string) =>
  ctx.db.execute<{ version: string; data_type: string | null }>(
    sql`select md5(s::text) as version, s.data_type from system_settings s where s.id = ${id}`,
  );

/**
 * Updates a setting in one batch with its audit row, guarded by the If-Match version and, when
 * only the value changes, by the stored data type. The full list is written through to KV.
 */
export async function updateSystemSetting(ctx: ServiceContext, id: string, patch: SystemSettingPatch, versions: string[] | undefined) {
  let types: DataType[] | undefined;
  if (patch.value !== undefined) {
    if (patch.dataType) {
      if (!hasDataType(patch.value, patch.dataType)) throw typeMismatch(patch.dataType);
    } else {
      types = dataTypesOf(patch.value);
    }
  }
  const changes = {
    ...(patch.value !== undefined ? { value: encodeValue(patch.value) } : {}),
    ...(patch.dataType !== undefined ? { dataType: patch.dataType } : {}),
    ...(patch.description !== undefined ? { description: patch.description } : {}),
    ...(patch.isPublic !== undefined ? { isPublic: patch.isPublic } : {}),
    ...(patch.requiresRestart !== undefined ? { requiresRestart: patch.requiresRestart } : {}),
  };
  // A secret-looking key keeps its value out of the audit row (the key is only known to the database).
  const newValues =
    changes.value === undefined
      ? changes
      : sql`select case when s.key ~* ${SECRET_KEY_SQL} then jsonb_set(${JSON.stringify(changes)}::jsonb, '{value}', '"[REDACTED]"')
          else ${JSON.stringify(changes)}::jsonb end from system_settings s where s.id = ${id}`;
  const [, updated, current, all] = await ctx.db.batch([
    auditSnapshotInsert(ctx, {
      entityType: 'system_setting',
      entityId: id,
      action: 'update',
      description: 'Updated a system setting',
      oldValues: sql`select json_build_object('category', s.category, 'key', s.key,
          'value', case when s.key ~* ${SECRET_KEY_SQL} then '[REDACTED]' else s.value end, 'dataType', s.data_type,
          'description', s.description, 'isPublic', s.is_public, 'requiresRestart', s.requires_restart)
        from system_settings s where s.id = ${id}`,
      newValues,
      when: sql`exists (select 1 from system_settings s where ${guard(id, versions, types, sql`s`)})`,
    }),
    ctx.db
      .update(systemSettings)
      .set({ ...changes, updatedAt: ctx.now })
      .where(guard(id, versions, types, sql`system_settings`))
      .returning(adminColumns),
    currentRow(ctx, id),
    allCachedQuery(ctx),
  ]);
  const [row] = updated;
  if (!row) throw refusal(current.rows[0] ?? null, versions, 'System setting');
  await writeThrough(ctx, all);
  return { setting: toSystemSetting(row), version: row.version };
}

/** Deletes a setting (If-Match honoured) with its audit row; the list is written through to KV. */
export async function deleteSystemSetting(ctx: ServiceContext, id: string, versions: string[] | undefined) {
  const [, deleted, current, all] = await ctx.db.batch([
    auditSnapshotInsert(ctx, {
      entityType: 'system_setting',
      entityId: id,
      action: 'delete',
      description: 'Deleted a system setting',
      oldValues: sql`select json_build_object('category', s.category, 'key', s.key,
          'value', case when s.key ~* ${SECRET_KEY_SQL} then '[REDACTED]' else s.value end, 'dataType', s.data_type,
          'isPublic', s.is_public, 'requiresRestart', s.requires_restart)
        from system_settings s where s.id = ${id}`,
      when: sql`exists (select 1 from system_settings s where ${guard(id, versions, undefined, sql`s`)})`,
    }),
    ctx.db.delete(systemSettings).where(guard(id, versions, undefined, sql`system_settings`)).returning({ id: systemSettings.id }),
    currentRow(ctx, id),
    allCachedQuery(ctx),
  ]);
  if (deleted.length === 0) throw refusal(current.rows[0] ?? null, versions, 'System setting');
  await writeThrough(ctx, all);
  return { id, deleted: true as const };
}
