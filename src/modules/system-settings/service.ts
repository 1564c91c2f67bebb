import { systemSettings } from '../../../drizzle';
import { readThrough } from '../../lib/cache';
import type { ServiceContext } from '../../lib/service-context';

export const SYSTEM_SETTINGS_CACHE_KEY = 'system-settings:v1';
const CACHE_TTL_SECONDS = 300;

export interface SystemSettingValue {
  category: string;
  key: string;
  value: string;
  dataType: string;
  isPublic: boolean;
  requiresRestart: boolean;
}

/** Every system setting, from KV when cached (no database round trip), else one query. */
export async function loadSystemSettings(ctx: ServiceContext): Promise<SystemSettingValue[]> {
  const { value } = await readThrough(
    ctx.env.CACHE,
    SYSTEM_SETTINGS_CACHE_KEY,
    CACHE_TTL_SECONDS,
    () =>
      ctx.db
        .select({
          category: systemSettings.category,
          key: systemSettings.key,
          value: systemSettings.value,
          dataType: systemSettings.dataType,
          isPublic: systemSettings.isPublic,
          requiresRestart: systemSettings.requiresRestart,
        })
        .from(systemSettings)
        .then((rows) => rows.map((r) => ({ ...r, dataType: r.dataType ?? 'string', isPublic: r.isPublic ?? false, requiresRestart: r.requiresRestart ?? false }))),
    { waitUntil: ctx.waitUntil, logger: ctx.logger },
  );
  return value;
}

/** A setting's value converted by its data type. */
export function typedValue(setting: Pick<SystemSettingValue, 'value' | 'dataType'>): unknown {
  switch (setting.dataType) {
    case 'number':
      return Number(setting.value);
    case 'boolean':
      return setting.value === 'true';
    case 'json':
    case 'array':
      try {
        return JSON.parse(setting.value);
      } catch {
        return null;
      }
    default:
      return setting.value;
  }
}

/** One setting by `category.key`, typed, with a fallback when it is missing. */
export async function systemSetting<T>(ctx: ServiceContext, name: string, fallback: T): Promise<T> {
  const [category, key] = name.split('.', 2);
  const found = (await loadSystemSettings(ctx)).find((s) => s.category === category && s.key === key);
  return found ? (typedValue(found) as T) : fallback;
}
