import { z } from '@hono/zod-openapi';

/**
 * Typed values stored as text (`system_settings`, `setting_templates`, `user_settings`): the API
 * speaks JSON values, the database keeps their text form and the `data_type` that reads it back.
 */
export const dataTypes = ['string', 'number', 'boolean', 'json', 'array'] as const;
export type DataType = (typeof dataTypes)[number];

export const DataTypeSchema = z.enum(dataTypes).openapi({ description: 'How the stored text is read: string, number, boolean, json (an object) or array' });

/** Postgres text cannot hold NUL characters: input carrying one is refused (400), never sent to the database. */
export const noNul = (text: string) => !text.includes('\u0000');
export const NO_NUL_MESSAGE = 'Must not contain NUL characters';

/** True when a JSON value holds a NUL character in any string or key. */
export const hasNul = (value: unknown) => JSON.stringify(value).includes('\\u0000');

/** Longest stored text of a value. */
export const MAX_VALUE_LENGTH = 10_000;

/** A setting value in a response: any JSON value except null. */
export const TypedValueSchema = z
  .union([z.string(), z.number(), z.boolean(), z.array(z.unknown()), z.record(z.string(), z.unknown())])
  .openapi({ description: 'A JSON value of the setting’s data type', example: true });

export type TypedValue = z.infer<typeof TypedValueSchema>;

/** A setting value in a request: a JSON value whose stored text is at most MAX_VALUE_LENGTH characters. */
export const TypedValueInputSchema = TypedValueSchema.refine((value) => encodeValue(value).length <= MAX_VALUE_LENGTH, {
  message: `At most ${MAX_VALUE_LENGTH} characters once stored`,
}).refine((value) => !hasNul(value), { message: NO_NUL_MESSAGE });

/** True when a JSON value has the data type. */
export function hasDataType(value: unknown, dataType: DataType): boolean {
  switch (dataType) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'json':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
  }
}

/** The data types a JSON value could be stored as. */
export function dataTypesOf(value: unknown): DataType[] {
  return dataTypes.filter((type) => hasDataType(value, type));
}

/** The text stored for a value (checked against its data type by the caller). */
export function encodeValue(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}

/** A stored text read back by its data type; unreadable text gives null. */
export function decodeValue(text: string, dataType: string | null): TypedValue | null {
  switch (dataType) {
    case 'number': {
      const n = Number(text);
      return text.trim() !== '' && Number.isFinite(n) ? n : null;
    }
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : null;
    case 'json':
    case 'array':
      try {
        return JSON.parse(text) as TypedValue;
      } catch {
        return null;
      }
    default:
      return text;
  }
}
