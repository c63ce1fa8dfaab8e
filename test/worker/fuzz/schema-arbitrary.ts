/**
 * A small generator of valid values for the JSON Schema (OpenAPI 3.1) that zod writes into
 * /v1/openapi.json: objects, arrays, enums, string patterns and formats, numbers with bounds,
 * `type: [x, "null"]`, anyOf/oneOf/allOf and `$ref` to #/components/schemas.
 *
 * What the document cannot say (refinements in zod, rows that must exist) comes in through `named`:
 * an arbitrary for a property or parameter name, used instead of its schema.
 */
import fc from 'fast-check';

export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
}

export interface GenOptions {
  components: Record<string, JsonSchema>;
  /** An arbitrary for a property (`artist_id`) or array item (`artist_ids[]`) name, or undefined to follow the schema. */
  named: (name: string) => fc.Arbitrary<unknown> | undefined;
  /** Arrays get at most this many items (or minItems when that is more), to keep requests cheap. */
  maxItems: number;
}

/** Printable characters, a few outside ASCII, none of them white space (zod trims, and "  " is then empty). */
const TEXT_CHAR = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCXYZ0123456789-_.éßñüΩЖ漢字'.split(''));

/** Days the API accepts (worker/analytics/schemas.ts): 2000-01-01 to 2099-12-31. */
const MIN_DAY = Date.UTC(2000, 0, 1);
const MAX_DAY = Date.UTC(2099, 11, 31);

export const isoDate = fc
  .integer({ min: MIN_DAY / 86_400_000, max: MAX_DAY / 86_400_000 })
  .map((d) => new Date(d * 86_400_000).toISOString().slice(0, 10));

/** An RFC 3339 instant, sometimes with a numeric offset instead of Z. */
export const isoDateTime = fc
  .tuple(fc.integer({ min: MIN_DAY, max: MAX_DAY }), fc.constantFrom('Z', '+00:00', '+05:30', '-08:00'))
  .map(([ms, zone]) => new Date(ms).toISOString().replace('Z', zone));

function stringOf(s: JsonSchema): fc.Arbitrary<string> {
  // `.` and `..` fit the id pattern but are refused (a URL path resolves them away).
  if (s.pattern) return fc.stringMatching(new RegExp(s.pattern)).filter((v) => v !== '.' && v !== '..');
  if (s.format === 'date') return isoDate;
  if (s.format === 'date-time') return isoDateTime;
  const minLength = s.minLength ?? 0;
  return fc.string({ unit: TEXT_CHAR, minLength, maxLength: Math.min(s.maxLength ?? 40, Math.max(minLength, 40)) });
}

function numberOf(s: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + (integer ? 1 : 1e-9) : -1e6);
  const max = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - (integer ? 1 : 1e-9) : 1e6);
  if (integer) return fc.integer({ min: Math.ceil(min), max: Math.floor(max) });
  return fc.double({ min, max, noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n));
}

function objectOf(s: JsonSchema, opts: GenOptions): fc.Arbitrary<Record<string, unknown>> {
  const props = Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, arbitraryOf(v, opts, k)]));
  return fc.record(props, { requiredKeys: s.required ?? [] });
}

function ofType(type: string, s: JsonSchema, opts: GenOptions, name: string | undefined): fc.Arbitrary<unknown> {
  switch (type) {
    case 'string':
      return stringOf(s);
    case 'integer':
      return numberOf(s, true);
    case 'number':
      return numberOf(s, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const minLength = s.minItems ?? 0;
      const maxLength = Math.min(s.maxItems ?? opts.maxItems, Math.max(minLength, opts.maxItems));
      return fc.array(arbitraryOf(s.items ?? {}, opts, name === undefined ? undefined : `${name}[]`), { minLength, maxLength });
    }
    case 'object':
      return objectOf(s, opts);
    default:
      throw new Error(`schema-arbitrary: unsupported type ${type}`);
  }
}

/** Valid values of `schema`; `name` is the property or parameter it describes, for `opts.named`. */
export function arbitraryOf(schema: JsonSchema, opts: GenOptions, name?: string): fc.Arbitrary<unknown> {
  const override = name === undefined ? undefined : opts.named(name);
  if (override) return override;
  if (schema.$ref) {
    const target = opts.components[schema.$ref.replace('#/components/schemas/', '')];
    if (!target) throw new Error(`schema-arbitrary: unresolved ${schema.$ref}`);
    return arbitraryOf(target, opts);
  }
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((a) => arbitraryOf(a, opts, name)));
  if (schema.allOf) {
    return fc.tuple(...schema.allOf.map((a) => arbitraryOf(a, opts))).map((parts) => Object.assign({}, ...parts) as unknown);
  }
  if (Array.isArray(schema.type)) return fc.oneof(...schema.type.map((t) => ofType(t, schema, opts, name)));
  if (schema.type) return ofType(schema.type, schema, opts, name);
  if (schema.properties) return objectOf(schema, opts);
  // `{}`: any JSON value.
  return fc.jsonValue({ maxDepth: 2 });
}
