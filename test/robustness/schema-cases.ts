/**
 * Bad-input cases derived from an OpenAPI 3.1 document: for one operation, a valid baseline built
 * from its schemas, then requests that each break one rule (a missing required field, a wrong
 * type, a value past a declared limit, a malformed path parameter...) or send unusual but possibly
 * acceptable values (Unicode, injection strings, very long text).
 */

export type Schema = Record<string, any>;

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

export interface Operation {
  operationId: string;
  security?: unknown[];
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema?: Schema }> };
  'x-required-permission'?: string;
}

export interface Case {
  name: string;
  /** Designed to break a declared rule: must answer 4xx. Otherwise 2xx is acceptable too. */
  mustReject: boolean;
  /** The marker embedded in the case's string values, to look for in the database afterwards. */
  marker: string;
  path: string;
  method: string;
  headers: Record<string, string>;
  /** Raw request body, already encoded. */
  body?: string;
}

/**
 * Limits every API field has, whatever its schema declares: a string field refuses 100,000
 * characters and an array field 1,001 items. Written here, not read from the document, so a field
 * whose route forgot its limit fails instead of generating no case.
 */
export const HUGE_STRING = 100_000;
export const HUGE_ARRAY = 1_001;

export const UNICODE = '\u202Eevil\u202C \u200B\u200D\uFEFF e\u0301 👩‍👩‍👧 \u05E9\u05DC\u05D5\u05DD ';
export const NUL = '\u0000';
export const SQL_INJECTION = "' OR '1'='1'; DROP TABLE users; --";

export function deref(document: OpenApiDocument, schema: Schema | undefined): Schema {
  let s = schema ?? {};
  for (let i = 0; s.$ref && i < 20; i++) s = document.components?.schemas?.[String(s.$ref).split('/').pop()!] ?? {};
  return s;
}

/** The non-null alternatives of a schema (anyOf/oneOf), or the schema itself. */
function variants(document: OpenApiDocument, schema: Schema): Schema[] {
  const s = deref(document, schema);
  const alts = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
  if (!alts) return [s];
  return alts.map((a) => deref(document, a)).filter((a) => a.type !== 'null');
}

function typeOf(schema: Schema): string | undefined {
  const type = schema.type;
  if (Array.isArray(type)) return type.find((t) => t !== 'null');
  if (type) return type;
  if (schema.properties) return 'object';
  return undefined;
}

const fit = (value: string, schema: Schema) => {
  const min = Number(schema.minLength ?? 0);
  const max = schema.maxLength === undefined ? Infinity : Number(schema.maxLength);
  let v = value.length > max ? value.slice(0, max) : value;
  while (v.length < min) v += 'a';
  return v;
};

const PATTERN_CANDIDATES = ['a', 'abc', 'en', 'security', 'user', '#336699', '12:00', 'abc_def', 'a.b', '1', 'A1', '+66 2 123 4567'];

function validString(schema: Schema, marker: string): string {
  switch (schema.format) {
    case 'uuid':
      return crypto.randomUUID();
    case 'email':
      return `${marker}@example.test`;
    case 'date-time':
      return new Date(Date.now() + 86_400_000).toISOString();
    case 'date':
      return '2000-01-01';
    case 'uri':
    case 'url':
      return `https://example.test/${marker}`;
    default:
      break;
  }
  if (schema.pattern) {
    const pattern = new RegExp(schema.pattern);
    const found = [marker, schema.example, ...PATTERN_CANDIDATES].filter((c) => typeof c === 'string').map((c) => fit(c, schema)).find((c) => pattern.test(c));
    if (found) return found;
  }
  return fit(marker, schema);
}

/** Names whose values must be unique (the marker makes them so); other strings take the schema's example. */
const UNIQUE_NAME = /(name|email|key|slug|code)$/i;

/** A value the schema accepts (as far as its declared rules go). */
export function validValue(document: OpenApiDocument, schema: Schema | undefined, marker: string, depth = 0, name = ''): unknown {
  const s = deref(document, schema);
  if ('const' in s) return s.const;
  const unique = typeOf(s) === 'string' && (UNIQUE_NAME.test(name) || s.format === 'uuid' || s.format === 'email');
  if (s.example !== undefined && typeOf(s) !== 'object' && !unique) return s.example;
  if (s.default !== undefined) return s.default;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  if (s.anyOf || s.oneOf) return validValue(document, variants(document, s)[0], marker, depth + 1, name);
  if (s.allOf) return Object.assign({}, ...s.allOf.map((part: Schema) => validValue(document, part, marker, depth + 1)));
  switch (typeOf(s)) {
    case 'string':
      return validString(s, marker);
    case 'integer':
    case 'number': {
      const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? Number(s.exclusiveMinimum) + 1 : undefined);
      return Math.min(Math.max(1, min ?? 1), s.maximum ?? Infinity);
    }
    case 'boolean':
      return true;
    case 'array':
      return depth > 4 ? [] : Array.from({ length: Number(s.minItems ?? 0) }, () => validValue(document, s.items, marker, depth + 1));
    case 'object': {
      if (depth > 4) return {};
      const required = new Set<string>(s.required ?? []);
      return Object.fromEntries(
        Object.entries<Schema>(s.properties ?? {})
          .filter(([name]) => required.has(name))
          .map(([prop, propSchema]) => [prop, validValue(document, propSchema, marker, depth + 1, prop)]),
      );
    }
    default:
      return marker;
  }
}

/** Values that break the schema's declared rules, each with a name. */
export function invalidValues(document: OpenApiDocument, schema: Schema | undefined, marker: string): [string, unknown][] {
  const s = variants(document, schema ?? {})[0] ?? {};
  const type = typeOf(s);
  const out: [string, unknown][] = [];
  const wrongType: Record<string, unknown> = {
    string: { $ne: null },
    integer: `${marker}-not-a-number`,
    number: `${marker}-not-a-number`,
    boolean: `${marker}-yes`,
    array: { [marker]: 1 },
    object: [marker],
  };
  if (type && type in wrongType) out.push([`wrong type (${Array.isArray(wrongType[type]) ? 'array' : typeof wrongType[type]})`, wrongType[type]]);
  if (s.maxLength !== undefined) out.push([`longer than maxLength ${s.maxLength}`, `${marker}${'x'.repeat(Number(s.maxLength) + 1)}`]);
  if (Number(s.minLength ?? 0) > 1) out.push([`shorter than minLength ${s.minLength}`, 'x']);
  if (s.maximum !== undefined) out.push([`above maximum ${s.maximum}`, Number(s.maximum) + 1]);
  if (s.minimum !== undefined) out.push([`below minimum ${s.minimum}`, Number(s.minimum) - 1]);
  if (type === 'integer') out.push(['not an integer', 1.5]);
  if (Array.isArray(s.enum)) out.push(['not in enum', `${marker}-not-in-enum`]);
  if (s.format === 'uuid') out.push(['malformed uuid', `${marker}-not-a-uuid`]);
  if (s.format === 'email') out.push(['malformed email', `${marker}-not-an-email`]);
  if (s.format === 'date-time' || s.format === 'date') out.push(['malformed date', '2024-13-45T99:99:99Z']);
  if (s.pattern) out.push(['not matching the pattern', `${marker} !!`]);
  if (s.maxItems !== undefined) out.push([`more than maxItems ${s.maxItems}`, Array.from({ length: Number(s.maxItems) + 1 }, () => validValue(document, s.items, marker))]);
  return out;
}

/** Free-text values that may be acceptable, but must never crash anything. */
export function unusualStrings(schema: Schema, marker: string): [string, string][] {
  const max = schema.maxLength === undefined ? Infinity : Number(schema.maxLength);
  const within = (value: string) => (value.length <= max ? value : value.slice(0, max));
  return [
    ['unusual Unicode (RTL, zero-width, emoji, combining)', within(`${marker} ${UNICODE}`)],
    ['NUL character', within(`${marker}${NUL}x`)],
    ['SQL and JSON injection', within(`${marker}${SQL_INJECTION}","isAdmin":true,"x":"`)],
  ];
}

const isPlainString = (s: Schema) => typeOf(s) === 'string' && !s.enum && !s.format && !s.pattern;

function fillPath(path: string, values: Record<string, string>): string {
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => values[name] ?? crypto.randomUUID());
}

function queryString(params: Record<string, unknown>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) search.append(name, typeof value === 'string' ? value : JSON.stringify(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

/**
 * A path parameter that addresses nothing that exists: a random UUID, or the marker (never the
 * schema's example, which may name a real object, such as a seeded navigation item, that an
 * accepted case would change or delete).
 */
function pathValue(document: OpenApiDocument, p: Parameter, marker: string): string {
  const schema = deref(document, p.schema);
  if (schema.format === 'uuid') return crypto.randomUUID();
  return String(validValue(document, { ...schema, example: undefined, default: undefined }, marker));
}

/** Every bad-input case for one operation. `markerFor(i)` gives the i-th case its marker. */
export function casesFor(document: OpenApiDocument, path: string, method: string, op: Operation, markerFor: (i: number) => string): Case[] {
  const params = op.parameters ?? [];
  const pathParams = params.filter((p) => p.in === 'path');
  const queryParams = params.filter((p) => p.in === 'query');
  const jsonBody = op.requestBody?.content['application/json'];
  const otherBody = !jsonBody && op.requestBody ? Object.keys(op.requestBody.content)[0] : undefined;
  const bodySchema = jsonBody ? deref(document, jsonBody.schema) : undefined;
  const cases: Case[] = [];

  const add = (name: string, mustReject: boolean, build: (marker: string) => { path?: Record<string, string>; query?: Record<string, unknown>; rawQuery?: string; body?: string | null; contentType?: string | null }) => {
    const marker = markerFor(cases.length);
    const built = build(marker);
    const pathValues = Object.fromEntries(pathParams.map((p) => [p.name, pathValue(document, p, marker)]));
    const baseQuery = Object.fromEntries(queryParams.filter((p) => p.required).map((p) => [p.name, validValue(document, p.schema, marker)]));
    let url = fillPath(path, { ...pathValues, ...built.path });
    url += built.rawQuery ?? queryString(built.query ?? baseQuery);
    let body: string | undefined;
    let contentType: string | null | undefined;
    if (built.body !== undefined) {
      body = built.body ?? undefined;
      contentType = built.contentType;
    } else if (jsonBody) {
      body = JSON.stringify(validValue(document, bodySchema, marker));
      contentType = 'application/json';
    }
    const headers: Record<string, string> = contentType ? { 'content-type': contentType } : {};
    cases.push({ name, mustReject, marker, path: url, method, headers, ...(body === undefined ? {} : { body }) });
  };
  const baseBody = (marker: string) => validValue(document, bodySchema, marker) as Record<string, unknown>;
  const json = (value: unknown) => ({ body: JSON.stringify(value), contentType: 'application/json' });

  for (const p of pathParams) {
    const isUuid = p.schema?.format === 'uuid';
    add(`path ${p.name}: malformed (not a UUID)`, isUuid, (m) => ({ path: { [p.name]: `${m}-not-a-uuid` } }));
    add(`path ${p.name}: SQL injection, unusual Unicode and NUL`, isUuid, (m) => ({ path: { [p.name]: encodeURIComponent(`${m}${SQL_INJECTION}${UNICODE}${NUL}`) } }));
    add(`path ${p.name}: malformed percent-encoding`, isUuid, (m) => ({ path: { [p.name]: `${m}%E0%A4%A` } }));
    add(`path ${p.name}: very long (3,000 characters)`, isUuid || p.schema?.maxLength !== undefined, (m) => ({ path: { [p.name]: `${m}${'x'.repeat(3000)}` } }));
  }

  for (const p of queryParams) {
    const schema = deref(document, p.schema);
    const base = Object.fromEntries(queryParams.filter((q) => q.required).map((q) => [q.name, validValue(document, q.schema, 'q')]));
    invalidValues(document, schema, '').forEach(([name, value], i) => {
      if (typeof value === 'object' && value !== null) return;
      add(`query ${p.name}: ${name}`, true, (m) => ({ query: { ...base, [p.name]: invalidValues(document, schema, m)[i]![1] } }));
    });
    if (['integer', 'number'].includes(typeOf(schema) ?? '')) {
      add(`query ${p.name}: negative`, schema.minimum !== undefined && schema.minimum >= 0, () => ({ query: { ...base, [p.name]: '-5' } }));
      add(`query ${p.name}: huge`, schema.maximum !== undefined, () => ({ query: { ...base, [p.name]: '99999999999999999999999' } }));
    }
    if (p.required) add(`query ${p.name}: missing`, true, () => ({ query: Object.fromEntries(Object.entries(base).filter(([k]) => k !== p.name)) }));
    if (typeOf(schema) === 'string') {
      unusualStrings(schema, '').forEach(([name], i) => {
        add(`query ${p.name}: ${name}`, Boolean(schema.enum || schema.format || schema.pattern), (m) => ({ query: { ...base, [p.name]: unusualStrings(schema, m)[i]![1] } }));
      });
    }
  }
  // Every operation gets at least this one.
  add('query: unknown parameter', false, (m) => ({ query: { [`${m}_unknown`]: '1' } }));
  if (queryParams.length > 0) {
    const first = queryParams[0]!;
    add(`query ${first.name}: repeated`, false, (m) => ({ rawQuery: `?${first.name}=${encodeURIComponent(String(validValue(document, first.schema, m)))}&${first.name}=${encodeURIComponent(m)}` }));
  }

  if (jsonBody && bodySchema) {
    const required = op.requestBody?.required === true;
    add('body: malformed JSON', true, () => ({ body: '{"a": ', contentType: 'application/json' }));
    add('body: empty with a JSON content type', required, () => ({ body: '', contentType: 'application/json' }));
    add('body: none at all', required, () => ({ body: null, contentType: null }));
    add('body: wrong content type (text/plain)', required, (m) => ({ body: JSON.stringify(baseBody(m)), contentType: 'text/plain' }));
    add('body: wrong content type (form)', required, (m) => ({ body: `${m}=1`, contentType: 'application/x-www-form-urlencoded' }));
    add('body: a JSON array', true, (m) => json([baseBody(m)]));
    add('body: a JSON string', true, (m) => json(m));
    add('body: deeply nested', true, (m) => ({ body: `{"${m}":${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}}`, contentType: 'application/json' }));
    add('body: __proto__ pollution', bodySchema.additionalProperties === false, (m) => ({
      body: JSON.stringify(baseBody(m)).replace(/^\{/, `{"__proto__":{"isAdmin":true,"${m}":1},"constructor":{"prototype":{"polluted":true}},`).replace(',}', '}'),
      contentType: 'application/json',
    }));
    if (typeOf(bodySchema) === 'object') {
      add('body: unknown field', bodySchema.additionalProperties === false, (m) => json({ ...baseBody(m), [`${m}_unknown`]: 1 }));
      // Every field of the body, each with its own cases.
      const properties = Object.entries<Schema>(bodySchema.properties ?? {});
      // Every field at once, each valid: such a request gets past validation, to the operation's own refusals.
      // Except `isDefault: true`, which would make the created theme the installation's default while the
      // parallel test files read it (global state; the serial project's themes tests cover promotion).
      add('body: every field, each valid', false, (m) =>
        json({ ...baseBody(m), ...Object.fromEntries(properties.map(([name, prop]) => [name, name === 'isDefault' ? false : validValue(document, prop, m, 1, name)])) }),
      );
      for (const name of (bodySchema.required ?? []) as string[]) {
        add(`body ${name}: missing (required)`, true, (m) => {
          const body = baseBody(m);
          delete body[name];
          return json(body);
        });
      }
      for (const [name, prop] of properties) {
        invalidValues(document, prop, '').forEach(([what], i) => {
          add(`body ${name}: ${what}`, true, (m) => json({ ...baseBody(m), [name]: invalidValues(document, prop, m)[i]![1] }));
        });
        const schema = variants(document, prop)[0] ?? {};
        if (typeOf(schema) === 'string') add(`body ${name}: very long string (${HUGE_STRING} characters)`, true, (m) => json({ ...baseBody(m), [name]: `${m}${'x'.repeat(HUGE_STRING)}` }));
        if (typeOf(schema) === 'object' && !schema.properties) {
          add(`body ${name}: free-form object of ${HUGE_STRING} characters`, true, (m) => json({ ...baseBody(m), [name]: { [m]: 'x'.repeat(HUGE_STRING) } }));
        }
        if (typeOf(schema) === 'array') {
          add(`body ${name}: ${HUGE_ARRAY} items`, true, (m) => json({ ...baseBody(m), [name]: Array.from({ length: HUGE_ARRAY }, () => validValue(document, schema.items, m)) }));
        }
        if (isPlainString(schema)) {
          unusualStrings(schema, '').forEach(([what], i) => {
            add(`body ${name}: ${what}`, false, (m) => json({ ...baseBody(m), [name]: unusualStrings(schema, m)[i]![1] }));
          });
        }
      }
    }
  } else if (otherBody) {
    add(`body: empty (${otherBody} expected)`, op.requestBody?.required === true, () => ({ body: '', contentType: otherBody }));
    add('body: none at all', op.requestBody?.required === true, () => ({ body: null, contentType: null }));
    add('body: JSON instead', true, (m) => json({ [m]: 1 }));
    add('body: plain text', true, (m) => ({ body: `${m} not a file`, contentType: 'text/plain' }));
    if (otherBody.startsWith('multipart/')) {
      add('body: malformed multipart', true, (m) => ({ body: `--x\r\nContent-Disposition: form-data; name="${m}"\r\n\r\nunterminated`, contentType: 'multipart/form-data; boundary=x' }));
      add('body: multipart without a boundary', true, (m) => ({ body: m, contentType: 'multipart/form-data' }));
    }
  }
  return cases;
}
