import { Validator, type Schema } from '@cfworker/json-schema';
import type { ErrorDetail } from '../../lib/errors';
import { hasDataType, type DataType } from '../../lib/typed-value';

/** Keywords that only report that a subschema failed; the subschema's own errors say where and why. */
const AGGREGATES = new Set([
  'properties',
  'items',
  'prefixItems',
  'additionalItems',
  'additionalProperties',
  'unevaluatedProperties',
  'unevaluatedItems',
  'patternProperties',
  'dependentSchemas',
  'allOf',
  '$ref',
  '$recursiveRef',
  '$dynamicRef',
  'if',
  'then',
  'else',
  'contains',
]);

/** `#/a/0` -> `.a.0` */
const pointerToPath = (pointer: string) =>
  pointer
    .replace(/^#/, '')
    .split('/')
    .filter(Boolean)
    .map((part) => `.${decodeURIComponent(part).replaceAll('~1', '/').replaceAll('~0', '~')}`)
    .join('');

/**
 * Validates a value against a JSON Schema (draft 2020-12) with @cfworker/json-schema, which
 * interprets schemas (no code generation, so it runs in workerd). Every failing path is listed,
 * as `field` under `at` (e.g. `body.value.primary`). Throws when the schema itself is unusable
 * (an unresolvable `$ref`, an invalid `pattern`).
 */
export function schemaErrors(schema: Record<string, unknown>, value: unknown, at: string): ErrorDetail[] {
  const { valid, errors } = new Validator(schema as Schema, '2020-12', false).validate(value);
  if (valid) return [];
  const leaves = errors.filter((e) => !AGGREGATES.has(e.keyword));
  return (leaves.length ? leaves : errors).map((e) =>
    // A `false` subschema (e.g. additionalProperties: false) rejects whatever is at its path.
    e.keyword === 'false'
      ? { field: `${at}${pointerToPath(e.instanceLocation)}`, message: 'Not allowed here', code: 'not_allowed' }
      : { field: `${at}${pointerToPath(e.instanceLocation)}`, message: e.error, code: e.keyword },
  );
}

/** A value checked against a data type and optional rules: the failures, each with its path. */
export function valueErrors(value: unknown, dataType: DataType, rules: Record<string, unknown> | null | undefined, at: string): ErrorDetail[] {
  if (!hasDataType(value, dataType)) return [{ field: at, message: `Must be of the data type ${dataType}`, code: 'invalid_type' }];
  return rules ? schemaErrors(rules, value, at) : [];
}

/** Every regular expression and reference in a schema, checked: they fail lazily otherwise. */
function checkNode(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(checkNode);
  if (!node || typeof node !== 'object') return;
  const schema = node as Record<string, unknown>;
  if (typeof schema.pattern === 'string') new RegExp(schema.pattern, 'u');
  if (schema.patternProperties && typeof schema.patternProperties === 'object') {
    for (const pattern of Object.keys(schema.patternProperties)) new RegExp(pattern, 'u');
  }
  if (typeof schema.$ref === 'string' && !schema.$ref.startsWith('#')) throw new Error(`Only local references are allowed: ${schema.$ref}`);
  Object.values(schema).forEach(checkNode);
}

/** Null when the rules can be applied, else why not (checked when an admin saves a template). */
export function unusableRules(rules: Record<string, unknown>): string | null {
  try {
    checkNode(rules);
    const validator = new Validator(rules as Schema, '2020-12', false);
    for (const sample of [null, '', 0, false, {}, []]) validator.validate(sample);
    return null;
  } catch (error) {
    return error instanceof Error ? (error.message.split('\n')[0] ?? 'The rules cannot be applied') : 'The rules cannot be applied';
  }
}
