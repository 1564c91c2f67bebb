import { asc, eq, sql, type SQL } from 'drizzle-orm';
import { settingTemplates } from '../../../drizzle';
import { auditSnapshotInsert } from '../../lib/audit-snapshot';
import { cacheNamespace, readThrough, writeCache } from '../../lib/cache';
import { ApiError, notFound, type ErrorDetail } from '../../lib/errors';
import type { ServiceContext } from '../../lib/service-context';
import { decodeValue, encodeValue, type DataType } from '../../lib/typed-value';
import { auditInsert } from '../audit/service';
import { unusableRules, valueErrors } from './validation';

/** Every template in KV, with its row version: what user setting writes validate against. */
export const TEMPLATES_CACHE_KEY = 'setting-templates:v1';
/** Safety net only: every admin change writes the new list through to KV at once. */
export const TEMPLATES_CACHE_TTL_SECONDS = 600;

const columns = {
  id: settingTemplates.id,
  category: settingTemplates.category,
  key: settingTemplates.key,
  defaultValue: settingTemplates.defaultValue,
  dataType: settingTemplates.dataType,
  description: settingTemplates.description,
  validationRules: settingTemplates.validationRules,
  userConfigurable: settingTemplates.userConfigurable,
  required: settingTemplates.required,
  createdAt: settingTemplates.createdAt,
  updatedAt: settingTemplates.updatedAt,
  version: sql<string>`md5(setting_templates::text)`,
};

type TemplateRow = {
  id: string;
  category: string;
  key: string;
  defaultValue: string;
  dataType: string | null;
  description: string | null;
  validationRules: Record<string, unknown> | null;
  userConfigurable: boolean | null;
  required: boolean | null;
  createdAt: Date;
  updatedAt: Date;
  version: string;
};

/** What KV holds per template (and what validation needs). */
export interface CachedTemplate {
  id: string;
  category: string;
  key: string;
  defaultValue: string;
  dataType: DataType;
  description: string | null;
  validationRules: Record<string, unknown> | null;
  userConfigurable: boolean;
  required: boolean;
  version: string;
}

const toCached = (row: TemplateRow): CachedTemplate => ({
  id: row.id,
  category: row.category,
  key: row.key,
  defaultValue: row.defaultValue,
  dataType: (row.dataType ?? 'string') as DataType,
  description: row.description,
  validationRules: row.validationRules,
  userConfigurable: row.userConfigurable ?? true,
  required: row.required ?? false,
  version: row.version,
});

function toTemplate(row: TemplateRow) {
  return {
    id: row.id,
    category: row.category,
    key: row.key,
    defaultValue: decodeValue(row.defaultValue, row.dataType),
    dataType: (row.dataType ?? 'string') as DataType,
    description: row.description,
    validationRules: row.validationRules,
    userConfigurable: row.userConfigurable ?? true,
    required: row.required ?? false,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const order = [asc(settingTemplates.category), asc(settingTemplates.key)];
export const allTemplatesQuery = (ctx: ServiceContext) => ctx.db.select(columns).from(settingTemplates).orderBy(...order);

/** Every template: from KV when cached (no database round trip), else one query. */
export async function loadTemplates(ctx: ServiceContext): Promise<CachedTemplate[]> {
  const { value } = await readThrough(cacheNamespace(ctx), TEMPLATES_CACHE_KEY, TEMPLATES_CACHE_TTL_SECONDS, () => allTemplatesQuery(ctx).then((rows) => rows.map(toCached)), {
    waitUntil: ctx.waitUntil,
    logger: ctx.logger,
  });
  return value;
}

/** Writes a fresh list (read in the caller's batch) to KV, and returns it. */
export async function storeTemplates(ctx: ServiceContext, rows: TemplateRow[]): Promise<CachedTemplate[]> {
  const templates = rows.map(toCached);
  await writeCache(cacheNamespace(ctx), TEMPLATES_CACHE_KEY, templates, TEMPLATES_CACHE_TTL_SECONDS, ctx.logger);
  return templates;
}

/** SQL for one template as JSON in the cached shape (`alias` is a `setting_templates` row). */
export const templateJson = (alias: SQL) =>
  sql<CachedTemplate>`json_build_object('id', ${alias}.id, 'category', ${alias}.category, 'key', ${alias}.key,
    'defaultValue', ${alias}.default_value, 'dataType', coalesce(${alias}.data_type, 'string'), 'description', ${alias}.description,
    'validationRules', ${alias}.validation_rules, 'userConfigurable', coalesce(${alias}.user_configurable, true),
    'required', coalesce(${alias}.required, false), 'version', md5(${alias}::text))`;

/**
 * Repairs one entry of the cached list found stale (`fresh` read from the database, null when the
 * template is gone) and writes the list back: readers keep hitting KV, and the next write of that
 * setting validates against the current template.
 */
export async function repairCachedTemplate(ctx: ServiceContext, cached: CachedTemplate[], category: string, key: string, fresh: CachedTemplate | null) {
  const others = cached.filter((t) => t.category !== category || t.key !== key);
  const repaired = fresh ? [...others, fresh] : others;
  await writeCache(cacheNamespace(ctx), TEMPLATES_CACHE_KEY, repaired, TEMPLATES_CACHE_TTL_SECONDS, ctx.logger);
}

/* ---------- administration ---------- */

export async function listTemplates(ctx: ServiceContext, filter: { category?: string }) {
  const rows = await ctx.db
    .select(columns)
    .from(settingTemplates)
    .where(filter.category ? eq(settingTemplates.category, filter.category) : undefined)
    .orderBy(...order);
  return rows.map(toTemplate);
}

export async function getTemplate(ctx: ServiceContext, id: string) {
  const [row] = await ctx.db.select(columns).from(settingTemplates).where(eq(settingTemplates.id, id));
  if (!row) throw notFound('Setting template');
  return { template: toTemplate(row), version: row.version };
}

interface Definition {
  dataType: DataType;
  defaultValue: unknown;
  validationRules: Record<string, unknown> | null;
}

/** A template must be usable: its rules apply, and its default value has the data type and passes them. */
function checkDefinition(definition: Definition) {
  const details: ErrorDetail[] = [];
  const problem = definition.validationRules ? unusableRules(definition.validationRules) : null;
  if (problem) details.push({ field: 'body.validationRules', message: problem, code: 'invalid_schema' });
  else details.push(...valueErrors(definition.defaultValue, definition.dataType, definition.validationRules, 'body.defaultValue'));
  if (details.length) throw new ApiError('VALIDATION_ERROR', 'Invalid request data', { details });
}

export interface NewTemplateInput {
  category: string;
  key: string;
  dataType: DataType;
  defaultValue: unknown;
  description?: string | null | undefined;
  validationRules?: Record<string, unknown> | null | undefined;
  userConfigurable?: boolean | undefined;
  required?: boolean | undefined;
}

export async function createTemplate(ctx: ServiceContext, input: NewTemplateInput) {
  checkDefinition({ dataType: input.dataType, defaultValue: input.defaultValue, validationRules: input.validationRules ?? null });
  const id = crypto.randomUUID();
  const values = {
    category: input.category,
    key: input.key,
    defaultValue: encodeValue(input.defaultValue),
    dataType: input.dataType,
    description: input.description ?? null,
    validationRules: input.validationRules ?? null,
    userConfigurable: input.userConfigurable ?? true,
    required: input.required ?? false,
  };
  const [, [row], all] = await ctx.db.batch([
    auditInsert(ctx, { entityType: 'setting_template', entityId: id, action: 'create', description: `Created the setting template ${input.category}.${input.key}`, newValues: values }),
    ctx.db.insert(settingTemplates).values({ id, ...values, createdAt: ctx.now, updatedAt: ctx.now }).returning(columns),
    allTemplatesQuery(ctx),
  ]);
  await storeTemplates(ctx, all);
  return { template: toTemplate(row!), version: row!.version };
}

export interface TemplatePatch {
  dataType?: DataType | undefined;
  defaultValue?: unknown;
  description?: string | null | undefined;
  validationRules?: Record<string, unknown> | null | undefined;
  userConfigurable?: boolean | undefined;
  required?: boolean | undefined;
}

function guard(alias: SQL, id: string, versions: readonly string[] | undefined) {
  return sql.join(
    [
      sql`${alias}.id = ${id}`,
      ...(versions ? [versions.length ? sql`md5(${alias}::text) in (${sql.join(versions.map((v) => sql`${v}`), sql`, `)})` : sql`false`] : []),
    ],
    sql` and `,
  );
}

const snapshot = (id: string) =>
  sql`select json_build_object('category', t.category, 'key', t.key, 'defaultValue', t.default_value, 'dataType', t.data_type,
      'description', t.description, 'validationRules', t.validation_rules, 'userConfigurable', t.user_configurable, 'required', t.required)
    from setting_templates t where t.id = ${id}`;

const stale = (version: string) =>
  new ApiError('PRECONDITION_FAILED', 'The setting template has changed since the given ETag', { details: { currentEtag: `"${version}"` } });

/**
 * Updates a template in one batch with its audit row. A change of the data type, default or rules
 * is checked against the template as cached in KV, and the update is guarded by that version
 * (as well as the If-Match one): when KV was stale the batch changes nothing and returns the fresh
 * list, and the check runs once more against it.
 */
export async function updateTemplate(ctx: ServiceContext, id: string, patch: TemplatePatch, versions: string[] | undefined) {
  const definitional = patch.dataType !== undefined || patch.defaultValue !== undefined || patch.validationRules !== undefined;
  let known = definitional ? await loadTemplates(ctx) : [];
  for (let attempt = 0; attempt < 2; attempt++) {
    const basis = definitional ? known.find((t) => t.id === id) : undefined;
    if (definitional && !basis && attempt > 0) throw notFound('Setting template');
    if (basis) {
      checkDefinition({
        dataType: patch.dataType ?? basis.dataType,
        defaultValue: patch.defaultValue !== undefined ? patch.defaultValue : decodeValue(basis.defaultValue, basis.dataType),
        validationRules: patch.validationRules !== undefined ? patch.validationRules : basis.validationRules,
      });
    }
    const changes = {
      ...(patch.dataType !== undefined ? { dataType: patch.dataType } : {}),
      ...(patch.defaultValue !== undefined ? { defaultValue: encodeValue(patch.defaultValue) } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      ...(patch.validationRules !== undefined ? { validationRules: patch.validationRules } : {}),
      ...(patch.userConfigurable !== undefined ? { userConfigurable: patch.userConfigurable } : {}),
      ...(patch.required !== undefined ? { required: patch.required } : {}),
    };
    const where = (alias: SQL) =>
      sql`${guard(alias, id, versions)} and ${definitional ? (basis ? sql`md5(${alias}::text) = ${basis.version}` : sql`false`) : sql`true`}`;
    const [, updated, current, all] = await ctx.db.batch([
      auditSnapshotInsert(ctx, {
        entityType: 'setting_template',
        entityId: id,
        action: 'update',
        description: 'Updated a setting template',
        oldValues: snapshot(id),
        newValues: changes,
        when: sql`exists (select 1 from setting_templates t where ${where(sql`t`)})`,
      }),
      ctx.db
        .update(settingTemplates)
        .set({ ...changes, updatedAt: ctx.now })
        .where(where(sql`setting_templates`))
        .returning(columns),
      ctx.db.execute<{ version: string }>(sql`select md5(t::text) as version from setting_templates t where t.id = ${id}`),
      allTemplatesQuery(ctx),
    ]);
    known = await storeTemplates(ctx, all);
    const [row] = updated;
    if (row) return { template: toTemplate(row), version: row.version };
    const version = current.rows[0]?.version;
    if (!version) throw notFound('Setting template');
    if (versions && !versions.includes(version)) throw stale(version);
  }
  throw new ApiError('CONFLICT', 'The setting template changed during the update; try again');
}

export async function deleteTemplate(ctx: ServiceContext, id: string, versions: string[] | undefined) {
  const [, deleted, current, all] = await ctx.db.batch([
    auditSnapshotInsert(ctx, {
      entityType: 'setting_template',
      entityId: id,
      action: 'delete',
      description: 'Deleted a setting template',
      oldValues: snapshot(id),
      when: sql`exists (select 1 from setting_templates t where ${guard(sql`t`, id, versions)})`,
    }),
    ctx.db.delete(settingTemplates).where(guard(sql`setting_templates`, id, versions)).returning({ id: settingTemplates.id }),
    ctx.db.execute<{ version: string }>(sql`select md5(t::text) as version from setting_templates t where t.id = ${id}`),
    allTemplatesQuery(ctx),
  ]);
  if (deleted.length === 0) {
    const version = current.rows[0]?.version;
    throw version ? stale(version) : notFound('Setting template');
  }
  await storeTemplates(ctx, all);
  return { id, deleted: true as const };
}
