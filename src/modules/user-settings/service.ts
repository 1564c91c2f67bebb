import { sql } from 'drizzle-orm';
import type { Actor } from '../../context';
import { auditSnapshotInsert } from '../../lib/audit-snapshot';
import { abortedWith, abortUnless } from '../../lib/batch-guard';
import { ApiError, notFound, type ErrorDetail } from '../../lib/errors';
import type { ServiceContext } from '../../lib/service-context';
import { decodeValue, encodeValue, type DataType, type TypedValue } from '../../lib/typed-value';
import { permits } from '../auth/services/principal';
import { containmentMessages, userAdministrable } from '../rbac/services/containment';
import { builtInSchema, settingFields } from '../preferences/fields';
import { loadTemplates, repairCachedTemplate, templateJson, type CachedTemplate } from '../setting-templates/service';
import { valueErrors } from '../setting-templates/validation';

function requireUser(ctx: ServiceContext): Actor {
  if (!ctx.actor) throw new ApiError('UNAUTHORIZED', 'Missing or invalid access token');
  return ctx.actor;
}

/** Settings in the theme and notifications categories also need the permission of their group. */
const categoryPermissions: Record<string, `${string}:${string}`> = { theme: 'settings:theme', notifications: 'settings:notifications' };

function requireCategoryPermission(actor: Actor, category: string) {
  const permission = categoryPermissions[category];
  if (permission && !permits(actor.permissions, permission)) throw new ApiError('FORBIDDEN', `Requires the permission ${permission}`);
}

const notConfigurable = (category: string, key: string, why: string) =>
  new ApiError('SETTING_NOT_CONFIGURABLE', `The setting ${category}.${key} cannot be changed by users`, {
    details: [{ field: `${category}.${key}`, message: why, code: 'not_configurable' }],
  });

interface SettingRow {
  category: string;
  key: string;
  value: string | null;
  data_type: string | null;
  default_value: string | null;
  template_data_type: string | null;
  description: string | null;
  is_system: boolean | null;
  user_configurable: boolean | null;
  updated_at: string | null;
}

/** A user's setting, or the template default where the user has none. */
function toUserSetting(row: SettingRow) {
  const own = row.value !== null;
  return {
    category: row.category,
    key: row.key,
    value: own ? decodeValue(row.value!, row.data_type) : decodeValue(row.default_value ?? '', row.template_data_type),
    dataType: ((own ? row.data_type : row.template_data_type) ?? 'string') as DataType,
    description: row.description,
    source: own ? ('user' as const) : ('default' as const),
    userConfigurable: row.user_configurable !== false && row.is_system !== true,
    isSystem: row.is_system === true,
    updatedAt: row.updated_at ? new Date(row.updated_at).toISOString() : null,
  };
}

export type UserSettingDto = ReturnType<typeof toUserSetting>;

/** The user's settings merged with the templates' defaults (one query, a full join). */
function settingsQuery(ctx: ServiceContext, userId: string, filter: { category?: string | undefined; key?: string | undefined }) {
  const onUser = sql.join(
    [sql`user_id = ${userId}`, ...(filter.category ? [sql`category = ${filter.category}`] : []), ...(filter.key ? [sql`key = ${filter.key}`] : [])],
    sql` and `,
  );
  const onTemplate = sql.join([sql`true`, ...(filter.category ? [sql`category = ${filter.category}`] : []), ...(filter.key ? [sql`key = ${filter.key}`] : [])], sql` and `);
  return ctx.db.execute<SettingRow & Record<string, unknown>>(sql`select coalesce(s.category, t.category) as category, coalesce(s.key, t.key) as key,
      s.value, s.data_type, t.default_value, t.data_type as template_data_type, coalesce(s.description, t.description) as description,
      s.is_system, t.user_configurable, s.updated_at
    from (select * from user_settings where ${onUser}) s
    full join (select * from setting_templates where ${onTemplate}) t on t.category = s.category and t.key = s.key
    order by 1, 2`);
}

export async function listUserSettings(ctx: ServiceContext, filter: { category?: string | undefined }) {
  const { rows } = await settingsQuery(ctx, requireUser(ctx).userId, filter);
  return rows.map(toUserSetting);
}

export async function getUserSetting(ctx: ServiceContext, category: string, key: string) {
  const { rows } = await settingsQuery(ctx, requireUser(ctx).userId, { category, key });
  if (!rows[0]) throw notFound('Setting');
  return toUserSetting(rows[0]);
}

export interface SetUserSettingInput {
  value: TypedValue;
  dataType?: DataType | undefined;
  description?: string | null | undefined;
}

interface Rule {
  dataType: DataType;
  rules: Record<string, unknown> | null;
  template: CachedTemplate | undefined;
  /** Neither a template nor a built-in preference defines the setting: it counts towards MAX_CUSTOM_SETTINGS. */
  custom: boolean;
}

/** Most settings a user may hold that neither a template nor a built-in preference defines (system rows aside). */
export const MAX_CUSTOM_SETTINGS = 200;

/** `s` (a user_settings row) is a custom setting: no template and no built-in preference defines it, and it is not a system row. */
const isCustomSetting = sql`s.is_system is not true
  and not exists (select 1 from setting_templates t where t.category = s.category and t.key = s.key)
  and (s.category, s.key) not in (${sql.join(
    settingFields.map((f) => sql`(${f.category}::varchar, ${f.key}::varchar)`),
    sql`, `,
  )})`;

/**
 * The two batch statements that keep a user within MAX_CUSTOM_SETTINGS when a write may add a
 * custom setting: `lock` goes first (a transaction-scoped advisory lock per user, so two such
 * batches of one user run one after the other and each count sees the other's committed row),
 * then `check` aborts the batch with SETTINGS_LIMIT_REACHED unless the row already exists (an
 * update), a template now defines the setting, or the user has room for one more.
 */
function customSettingsCap(ctx: ServiceContext, userId: string, category: string, key: string) {
  return {
    lock: ctx.db.execute(sql`select pg_advisory_xact_lock(hashtext(${`user_settings:${userId}`})) as locked`),
    check: abortUnless(
      ctx.db,
      sql`exists (select 1 from user_settings s where s.user_id = ${userId} and s.category = ${category} and s.key = ${key})
        or exists (select 1 from setting_templates t where t.category = ${category} and t.key = ${key})
        or (select count(*) from user_settings s where s.user_id = ${userId} and ${isCustomSetting}) < ${MAX_CUSTOM_SETTINGS}`,
      'SETTINGS_LIMIT_REACHED',
    ),
  };
}

/** A value that holds nothing: an empty or blank string, an empty array or an empty object. */
const isEmptyValue = (value: TypedValue) =>
  (typeof value === 'string' && value.trim() === '') || (Array.isArray(value) && value.length === 0) || (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0);

const settingRequired = (category: string, key: string) =>
  new ApiError('SETTING_REQUIRED', `The setting ${category}.${key} is required: set another value instead of deleting it`, {
    details: [{ field: `${category}.${key}`, message: 'Its template marks it required', code: 'required' }],
  });

const settingsLimitReached = () =>
  new ApiError('SETTINGS_LIMIT_REACHED', `At most ${MAX_CUSTOM_SETTINGS} settings without a template per user; delete one first`, {
    details: { limit: MAX_CUSTOM_SETTINGS },
  });

/** What a value is checked against: its template, else the built-in rule of a preference setting, else its declared type. */
function ruleFor(category: string, key: string, input: SetUserSettingInput, template: CachedTemplate | undefined, managed = false): Rule {
  const typeConflict = (expected: DataType) =>
    new ApiError('VALIDATION_ERROR', 'Invalid request data', {
      details: [{ field: 'body.dataType', message: `The setting's data type is ${expected}`, code: 'invalid_value' }],
    });
  if (template) {
    if (!template.userConfigurable && !managed) throw notConfigurable(category, key, 'An administrator made this setting non-configurable');
    if (input.dataType && input.dataType !== template.dataType) throw typeConflict(template.dataType);
    return { dataType: template.dataType, rules: template.validationRules, template, custom: false };
  }
  const builtIn = settingFields.find((f) => f.category === category && f.key === key);
  if (builtIn) {
    if (input.dataType && input.dataType !== builtIn.type) throw typeConflict(builtIn.type);
    return { dataType: builtIn.type, rules: builtInSchema(builtIn), template: undefined, custom: false };
  }
  if (!input.dataType) {
    throw new ApiError('VALIDATION_ERROR', 'Invalid request data', {
      details: [{ field: 'body.dataType', message: 'Required when no template defines the setting', code: 'invalid_type' }],
    });
  }
  return { dataType: input.dataType, rules: null, template: undefined, custom: true };
}

/**
 * Stores a setting after validating it (data type, then the template's JSON Schema) against the
 * template as cached in KV. The write is guarded by that template version (and by the row not being
 * a system row), so a template changed meanwhile is never bypassed: the batch then writes nothing
 * and returns the fresh template, and validation runs once more against it. A new custom setting
 * (no template, no built-in preference) past MAX_CUSTOM_SETTINGS is refused inside the same batch.
 */
export async function setUserSetting(ctx: ServiceContext, category: string, key: string, input: SetUserSettingInput) {
  const actor = requireUser(ctx);
  requireCategoryPermission(actor, category);
  const cached = await loadTemplates(ctx);
  let template = cached.find((t) => t.category === category && t.key === key);
  for (let attempt = 0; attempt < 2; attempt++) {
    const rule = ruleFor(category, key, input, template);
    const errors: ErrorDetail[] = valueErrors(input.value, rule.dataType, rule.rules, 'body.value');
    if (rule.template?.required && isEmptyValue(input.value)) {
      errors.unshift({ field: 'body.value', message: `The setting ${category}.${key} is required: it cannot be empty`, code: 'required' });
    }
    if (errors.length) throw new ApiError('VALIDATION_ERROR', 'The value does not satisfy the setting’s rules', { details: errors });

    const same = sql`s.user_id = ${actor.userId} and s.category = ${category} and s.key = ${key}`;
    const guard = sql`${
      rule.template
        ? sql`exists (select 1 from setting_templates t where t.id = ${rule.template.id} and md5(t::text) = ${rule.template.version} and t.user_configurable is not false)`
        : sql`not exists (select 1 from setting_templates t where t.category = ${category} and t.key = ${key})`
    } and not exists (select 1 from user_settings s where ${same} and s.is_system)`;
    const value = encodeValue(input.value);
    const description = input.description === undefined ? sql`null` : sql`${input.description}`;
    const audit = auditSnapshotInsert(ctx, {
      entityType: 'user_setting',
      entityId: `${actor.userId}:${category}.${key}`,
      action: 'update',
      description: `Set ${category}.${key}`,
      oldValues: sql`select json_build_object('value', s.value, 'dataType', s.data_type) from user_settings s where ${same}`,
      newValues: { value, dataType: rule.dataType },
      when: guard,
    });
    const upsert = ctx.db.execute<SettingRow & Record<string, unknown>>(sql`insert into user_settings (user_id, category, key, value, data_type, description, created_at, updated_at)
      select ${actor.userId}::uuid, ${category}, ${key}, ${value}, ${rule.dataType}, ${description}, ${ctx.now.toISOString()}::timestamptz, ${ctx.now.toISOString()}::timestamptz
      where ${guard}
      on conflict (user_id, category, key) do update set value = excluded.value, data_type = excluded.data_type,
        description = ${input.description === undefined ? sql`user_settings.description` : sql`excluded.description`}, updated_at = excluded.updated_at
      returning category, key, value, data_type, null as default_value, null as template_data_type, description, is_system,
        ${rule.template ? sql`${rule.template.userConfigurable}::boolean` : sql`null::boolean`} as user_configurable, updated_at`);
    const current = ctx.db.execute<{ is_system: boolean | null; template: CachedTemplate | null }>(
      sql`select (select s.is_system from user_settings s where ${same}) as is_system,
        (select ${templateJson(sql`t`)} from setting_templates t where t.category = ${category} and t.key = ${key}) as template`,
    );
    const run = async () => {
      if (!rule.custom) {
        const [, w, c] = await ctx.db.batch([audit, upsert, current]);
        return [w, c] as const;
      }
      const cap = customSettingsCap(ctx, actor.userId, category, key);
      try {
        const [, , , w, c] = await ctx.db.batch([cap.lock, cap.check, audit, upsert, current]);
        return [w, c] as const;
      } catch (error) {
        if (abortedWith(error) === 'SETTINGS_LIMIT_REACHED') throw settingsLimitReached();
        throw error;
      }
    };
    const [written, state] = await run();
    const [row] = written.rows;
    if (row) return toUserSetting(row);
    const [found] = state.rows;
    if (found?.is_system) throw notConfigurable(category, key, 'A system setting');
    // The cached template was stale: repair the cache and check again against the current one.
    template = found?.template ?? undefined;
    await repairCachedTemplate(ctx, cached, category, key, template ?? null);
  }
  throw new ApiError('CONFLICT', 'The setting’s template changed during the update; try again');
}

/**
 * Deletes the user's value (the template default applies again); system rows, locked settings
 * (403 SETTING_NOT_CONFIGURABLE) and settings whose template is `required` (409 SETTING_REQUIRED)
 * stay. The template is checked inside the batch, as it is now.
 */
export async function deleteUserSetting(ctx: ServiceContext, category: string, key: string) {
  const actor = requireUser(ctx);
  requireCategoryPermission(actor, category);
  const same = sql`s.user_id = ${actor.userId} and s.category = ${category} and s.key = ${key}`;
  const allowed = sql`not exists (select 1 from setting_templates t where t.category = ${category} and t.key = ${key}
    and (t.user_configurable is false or t.required is true))`;
  const [, deleted, state] = await ctx.db.batch([
    auditSnapshotInsert(ctx, {
      entityType: 'user_setting',
      entityId: `${actor.userId}:${category}.${key}`,
      action: 'delete',
      description: `Removed ${category}.${key}`,
      oldValues: sql`select json_build_object('value', s.value, 'dataType', s.data_type) from user_settings s where ${same}`,
      when: sql`exists (select 1 from user_settings s where ${same} and s.is_system is not true) and ${allowed}`,
    }),
    ctx.db.execute(sql`delete from user_settings s where ${same} and s.is_system is not true and ${allowed} returning s.id`),
    ctx.db.execute<{ is_system: boolean | null; locked: boolean | null; required: boolean | null }>(sql`select s.is_system,
        (select t.user_configurable is false from setting_templates t where t.category = ${category} and t.key = ${key}) as locked,
        (select t.required is true from setting_templates t where t.category = ${category} and t.key = ${key}) as required
      from user_settings s where ${same}`),
  ]);
  if (deleted.rows.length === 0) {
    const [row] = state.rows;
    if (!row) throw notFound('Setting');
    if (row.is_system) throw notConfigurable(category, key, 'A system setting');
    if (row.locked) throw notConfigurable(category, key, 'An administrator made this setting non-configurable');
    if (row.required) throw settingRequired(category, key);
    throw new ApiError('CONFLICT', 'The setting changed during the request; try again');
  }
  return { category, key, deleted: true as const };
}

/**
 * An administrator sets one of a user's settings as system-managed (`is_system`): the value is
 * checked like the user's own (data type, the template's rules, `required`), written over any value
 * the user had, and from then on the user sees it (`isSystem: true`, `userConfigurable: false`)
 * but cannot change or delete it (403 SETTING_NOT_CONFIGURABLE). The target must be administrable
 * by the caller (403 PROTECTED_TARGET); one batch with the audit row. Managed rows do not count
 * towards the user's custom-settings cap.
 */
export async function setManagedUserSetting(ctx: ServiceContext, userId: string, category: string, key: string, input: SetUserSettingInput) {
  requireUser(ctx);
  const template = (await loadTemplates(ctx)).find((t) => t.category === category && t.key === key);
  const rule = ruleFor(category, key, input, template, true);
  const errors: ErrorDetail[] = valueErrors(input.value, rule.dataType, rule.rules, 'body.value');
  if (rule.template?.required && isEmptyValue(input.value)) {
    errors.unshift({ field: 'body.value', message: `The setting ${category}.${key} is required: it cannot be empty`, code: 'required' });
  }
  if (errors.length) throw new ApiError('VALIDATION_ERROR', 'The value does not satisfy the setting’s rules', { details: errors });
  const same = sql`s.user_id = ${userId} and s.category = ${category} and s.key = ${key}`;
  const value = encodeValue(input.value);
  const now = sql`${ctx.now.toISOString()}::timestamptz`;
  const description = input.description === undefined ? sql`null` : sql`${input.description}`;
  try {
    const [, , , written] = await ctx.db.batch([
      abortUnless(ctx.db, sql`exists (select 1 from users u where u.id = ${userId} and u.deleted_at is null)`, 'NOT_FOUND'),
      userAdministrable(ctx, userId),
      auditSnapshotInsert(ctx, {
        entityType: 'user_setting',
        entityId: `${userId}:${category}.${key}`,
        action: 'update',
        description: `Set ${category}.${key} as a system-managed setting`,
        oldValues: sql`select json_build_object('value', s.value, 'dataType', s.data_type, 'isSystem', s.is_system) from user_settings s where ${same}`,
        newValues: { value, dataType: rule.dataType, isSystem: true },
      }),
      ctx.db.execute<SettingRow & Record<string, unknown>>(sql`insert into user_settings (user_id, category, key, value, data_type, description, is_system, created_at, updated_at)
        values (${userId}::uuid, ${category}, ${key}, ${value}, ${rule.dataType}, ${description}, true, ${now}, ${now})
        on conflict (user_id, category, key) do update set value = excluded.value, data_type = excluded.data_type, is_system = true,
          description = ${input.description === undefined ? sql`user_settings.description` : sql`excluded.description`}, updated_at = excluded.updated_at
        returning category, key, value, data_type, null as default_value, null as template_data_type, description, is_system,
          ${rule.template ? sql`${rule.template.userConfigurable}::boolean` : sql`null::boolean`} as user_configurable, updated_at`),
    ]);
    return toUserSetting(written.rows[0]!);
  } catch (error) {
    const code = abortedWith(error);
    if (code === 'NOT_FOUND') throw notFound('User');
    if (code === 'PROTECTED_TARGET') throw new ApiError('PROTECTED_TARGET', containmentMessages.PROTECTED_TARGET!);
    throw error;
  }
}

/**
 * Hands a system-managed setting back to the user: the row is deleted (the template default, or
 * nothing, applies again, and the user may set it). 404 when the user has no such managed row.
 */
export async function releaseManagedUserSetting(ctx: ServiceContext, userId: string, category: string, key: string) {
  requireUser(ctx);
  const same = sql`s.user_id = ${userId} and s.category = ${category} and s.key = ${key} and s.is_system`;
  try {
    const [, , , deleted] = await ctx.db.batch([
      abortUnless(ctx.db, sql`exists (select 1 from user_settings s where ${same})`, 'NOT_FOUND'),
      userAdministrable(ctx, userId),
      auditSnapshotInsert(ctx, {
        entityType: 'user_setting',
        entityId: `${userId}:${category}.${key}`,
        action: 'delete',
        description: `Released the system-managed setting ${category}.${key}`,
        oldValues: sql`select json_build_object('value', s.value, 'dataType', s.data_type, 'isSystem', true) from user_settings s where ${same}`,
      }),
      ctx.db.execute(sql`delete from user_settings s where ${same} returning s.id`),
    ]);
    if (deleted.rows.length === 0) throw notFound('System-managed setting');
    return { category, key, deleted: true as const };
  } catch (error) {
    const code = abortedWith(error);
    if (code === 'NOT_FOUND') throw notFound('System-managed setting');
    if (code === 'PROTECTED_TARGET') throw new ApiError('PROTECTED_TARGET', containmentMessages.PROTECTED_TARGET!);
    throw error;
  }
}
