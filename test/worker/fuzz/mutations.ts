/**
 * Requests as the fuzz test sends them, and the ways it breaks a valid one: wrong types, missing and
 * extra fields, huge and deep values, odd unicode, bad ids, broken bodies.
 *
 * A mutation is a small description (`{ kind: 'huge', at: 3, size: 200000 }`), turned into the large
 * value only when the request is sent, so fast-check's counterexamples stay short enough to read.
 */
import fc from 'fast-check';

/** One request: path and query parameters by name, and a JSON body (`undefined`: none). */
export interface FuzzRequest {
  method: string;
  template: string;
  path: Record<string, string>;
  query: Record<string, string>;
  body?: unknown;
}

/** What goes over the wire. `contentType: null` sends no Content-Type. */
export interface Wire {
  method: string;
  url: string;
  body?: string;
  contentType: string | null;
  /** An Accept header (analytics answer CSV for text/csv). */
  accept?: string;
}

export type Mutation =
  | { kind: 'wrong-type'; at: number; value: unknown }
  | { kind: 'drop'; at: number }
  | { kind: 'extra'; at: number; key: string; value: unknown }
  | { kind: 'huge'; at: number; size: number; as: 'string' | 'array' | 'object' | 'repeat' }
  | { kind: 'number'; at: number; value: number }
  | { kind: 'deep'; at: number; depth: number; as: 'array' | 'object' }
  | { kind: 'unicode'; at: number; text: string }
  | { kind: 'bad-id'; at: number; id: string; raw: boolean }
  | { kind: 'query'; name: string; value: string; repeat: boolean }
  | { kind: 'raw-body'; text: string; contentType: string | null }
  | { kind: 'accept'; value: string }
  | { kind: 'too-large' };

type Key = string | number;
/** A value the mutation can target: a node of the body (by its path), a query or a path parameter. */
type Slot = { in: 'body'; path: Key[] } | { in: 'query' | 'path'; name: string };

const ODD_TEXT = [
  '',
  ' ',
  '\u0000',
  '\uD800',
  '\uDFFF\uD800',
  '\u202Egnp.exe',
  'e\u0301\u0301\u0301',
  '\uFEFFbom',
  '\u200B\u200D',
  '🎵'.repeat(100),
  'İıſK',
  'ｆｕｌｌｗｉｄｔｈ',
  '\r\n\t',
  '\\"\'`',
  "'; DROP TABLE tracks; --",
  '%00%2F..%2F',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '=HYPERLINK("x")',
  '__proto__',
];

const BAD_IDS = [
  '',
  ' ',
  '.',
  '..',
  '%',
  '%zz',
  '%2F',
  'a/b',
  'a b',
  'x'.repeat(129),
  'x'.repeat(5000),
  '\u0000',
  'é',
  '🎵',
  '<b>',
  '?x=1',
  '#frag',
  '-1',
  '1e400',
  'null',
];

const JUNK_QUERY = [
  '',
  'abc',
  '-1',
  '0',
  '1.5',
  '1e400',
  '-1e400',
  'NaN',
  'Infinity',
  '0x10',
  ' 7 ',
  'null',
  'true',
  '[]',
  '{}',
  '1,2',
  ',,,',
];

const RAW_BODIES = ['', 'null', '[]', '{}', '"text"', '42', 'true', '{', '{"a":1', '[1,2', 'not json', '\u0000', '{"__proto__":{"x":1}}'];

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  null,
];

const OTHER_TYPES: unknown[] = [0, -1, 1.5, 'text', true, false, null, [], {}, [1, 'a'], { a: 1 }];

const oddText = fc.oneof(fc.constantFrom(...ODD_TEXT), fc.string({ unit: 'binary', maxLength: 40 }));

/** Mutations of a request; `hasBody` says whether the method may carry one (not GET or DELETE). */
export function mutationArb(hasBody: boolean): fc.Arbitrary<Mutation> {
  const at = fc.nat();
  const kinds: fc.Arbitrary<Mutation>[] = [
    fc.record({ kind: fc.constant('wrong-type' as const), at, value: fc.constantFrom(...OTHER_TYPES) }),
    fc.record({ kind: fc.constant('drop' as const), at }),
    fc.record({
      kind: fc.constant('extra' as const),
      at,
      key: fc.oneof(fc.constantFrom('extra', '__proto__', 'constructor', ''), fc.string({ maxLength: 10 })),
      value: fc.jsonValue({ maxDepth: 2 }),
    }),
    fc.record({
      kind: fc.constant('huge' as const),
      at,
      size: fc.constantFrom(501, 5_000, 200_000),
      as: fc.constantFrom('string' as const, 'array' as const, 'object' as const, 'repeat' as const),
    }),
    fc.record({
      kind: fc.constant('number' as const),
      at,
      value: fc.constantFrom(1e308, -1e308, 2 ** 53 + 2, -(2 ** 63), 5e-324, 0.1 + 0.2, 1e21, -0),
    }),
    fc.record({ kind: fc.constant('unicode' as const), at, text: oddText }),
    fc.record({ kind: fc.constant('bad-id' as const), at, id: fc.constantFrom(...BAD_IDS), raw: fc.boolean() }),
    fc.record({
      kind: fc.constant('query' as const),
      name: fc.constantFrom('limit', 'from', 'to', 'format', 'before', 'unknown', '__proto__', ''),
      value: fc.oneof(fc.constantFrom(...JUNK_QUERY), oddText),
      repeat: fc.boolean(),
    }),
    fc.record({
      kind: fc.constant('accept' as const),
      value: fc.constantFrom('text/csv', 'text/csv;q=0.1, application/json', '*/*', 'application/xml', ''),
    }),
  ];
  if (hasBody) {
    kinds.push(
      fc.record({
        kind: fc.constant('deep' as const),
        at,
        depth: fc.constantFrom(100, 5_000, 100_000),
        as: fc.constantFrom('array' as const, 'object' as const),
      }),
      fc.record({
        kind: fc.constant('raw-body' as const),
        text: fc.constantFrom(...RAW_BODIES),
        contentType: fc.constantFrom(...CONTENT_TYPES),
      }),
      fc.constant({ kind: 'too-large' as const }),
    );
  }
  return fc.oneof(...kinds);
}

function bodySlots(value: unknown, path: Key[] = [], out: Slot[] = []): Slot[] {
  out.push({ in: 'body', path });
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) bodySlots(v, [...path, Array.isArray(value) ? Number(k) : k], out);
  }
  return out;
}

function slotsOf(req: FuzzRequest): Slot[] {
  return [
    ...Object.keys(req.path).map((name) => ({ in: 'path' as const, name })),
    ...Object.keys(req.query).map((name) => ({ in: 'query' as const, name })),
    ...(req.body === undefined ? [] : bodySlots(req.body)),
  ];
}

function getAt(root: unknown, path: Key[]): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<Key, unknown>)[key], root);
}

/** Sets (or with `remove`, deletes) the value at a body path; the root is replaced by returning it. */
function setAt(root: unknown, path: Key[], value: unknown, remove = false): unknown {
  if (path.length === 0) return value;
  const parent = getAt(root, path.slice(0, -1)) as Record<Key, unknown> | unknown[];
  const key = path.at(-1) as Key;
  if (!remove) (parent as Record<Key, unknown>)[key] = value;
  else if (Array.isArray(parent)) parent.splice(key as number, 1);
  else delete (parent as Record<Key, unknown>)[key];
  return root;
}

/** Stands in the body for a value too deep for JSON.stringify to build; replaced in the text. */
const DEEP_MARK = '\u0001deep\u0001';

function hugeValue(size: number, as: 'string' | 'array' | 'object' | 'repeat', current: unknown): unknown {
  switch (as) {
    case 'string':
      return 'x'.repeat(size);
    case 'array':
      return Array.from({ length: size }, (_, i) => i);
    case 'object':
      return Object.fromEntries(Array.from({ length: Math.min(size, 20_000) }, (_, i) => [`k${i}`, i]));
    case 'repeat':
      // A batch (or any array) grown to `size` copies of its first item: over the 500-item limits.
      return Array.isArray(current) && current.length > 0 ? Array.from({ length: Math.min(size, 5_000) }, () => current[0]) : [current];
  }
}

/** The value of a mutation at a slot, in the slot's own terms (a string for path and query parameters). */
function valueFor(m: Mutation, current: unknown): unknown {
  switch (m.kind) {
    case 'wrong-type':
      return typeof current === typeof m.value && Array.isArray(current) === Array.isArray(m.value) ? [m.value] : m.value;
    case 'huge':
      return hugeValue(m.size, m.as, current);
    case 'number':
      return m.value;
    case 'unicode':
      return m.text;
    case 'bad-id':
      return m.id;
    case 'deep':
      return DEEP_MARK;
    default:
      return current;
  }
}

const asParam = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/** Applies a mutation to a copy of `req`, and returns the wire form with its extras (raw path, raw body). */
export function mutate(req: FuzzRequest, m: Mutation): Wire {
  const out: FuzzRequest = structuredClone(req);
  const rawPath = new Set<string>();
  let rawBody: { text: string; contentType: string | null } | undefined;
  let deep: { depth: number; as: 'array' | 'object' } | undefined;
  const extraQuery: [string, string][] = [];
  const slots = slotsOf(out);
  const slot = 'at' in m && slots.length > 0 ? slots[m.at % slots.length] : undefined;

  if (m.kind === 'query') {
    extraQuery.push([m.name, m.value]);
    if (m.repeat && Object.hasOwn(out.query, m.name)) extraQuery.push([m.name, out.query[m.name] as string]);
  } else if (m.kind === 'raw-body') {
    rawBody = { text: m.text, contentType: m.contentType };
  } else if (m.kind === 'too-large') {
    rawBody = { text: JSON.stringify({ pad: 'x'.repeat(1_100_000) }), contentType: 'application/json' };
  } else if (m.kind === 'extra') {
    // An unknown field on an object of the body (the first one at or after `at`), else an unknown query parameter.
    const objects = slots.filter((s) => s.in === 'body' && isObject(getAt(out.body, s.path)));
    const target = objects[m.at % Math.max(objects.length, 1)];
    // defineProperty, so `__proto__` becomes a key of the JSON rather than the object's prototype.
    const field = { value: m.value, enumerable: true, writable: true, configurable: true };
    if (target?.in === 'body') Object.defineProperty(getAt(out.body, target.path), m.key || 'extra', field);
    else extraQuery.push([m.key || 'extra', asParam(m.value)]);
  } else if (slot?.in === 'body') {
    if (m.kind === 'drop') out.body = slot.path.length === 0 ? undefined : setAt(out.body, slot.path, undefined, true);
    else out.body = setAt(out.body, slot.path, valueFor(m, getAt(out.body, slot.path)));
    if (m.kind === 'deep') deep = { depth: m.depth, as: m.as };
  } else if (slot?.in === 'query') {
    if (m.kind === 'drop') delete out.query[slot.name];
    else out.query[slot.name] = asParam(valueFor(m, out.query[slot.name]));
  } else if (slot?.in === 'path') {
    out.path[slot.name] = m.kind === 'drop' ? '' : asParam(valueFor(m, out.path[slot.name]));
    if (m.kind === 'bad-id' && m.raw) rawPath.add(slot.name);
  } else if (m.kind === 'bad-id' || m.kind === 'unicode') {
    // Nothing to target (no parameters, no body): a junk query parameter instead.
    extraQuery.push(['id', m.kind === 'bad-id' ? m.id : m.text]);
  }

  const wire = toWire(out, rawPath, extraQuery);
  if (m.kind === 'accept') wire.accept = m.value;
  if (rawBody) return { ...wire, body: rawBody.text, contentType: rawBody.contentType };
  if (deep && wire.body !== undefined) {
    const { depth, as } = deep;
    const nested = as === 'array' ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    wire.body = wire.body.replace(JSON.stringify(DEEP_MARK), nested);
  }
  return wire;
}

const isObject = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** encodeURIComponent throws on lone surrogates; a client would have sent U+FFFD. */
function encode(s: string): string {
  return encodeURIComponent(s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'));
}

export function toWire(req: FuzzRequest, rawPath: ReadonlySet<string> = new Set(), extraQuery: [string, string][] = []): Wire {
  const path = req.template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = req.path[name] ?? '';
    return rawPath.has(name) ? value : encode(value);
  });
  const params = [...Object.entries(req.query), ...extraQuery].map(([k, v]) => `${encode(k)}=${encode(v)}`);
  const url = params.length > 0 ? `${path}?${params.join('&')}` : path;
  if (req.body === undefined) return { method: req.method, url, contentType: null };
  return { method: req.method, url, body: JSON.stringify(req.body), contentType: 'application/json' };
}

/** A short account of a request for failure messages (bodies cut to 600 characters). */
export function describeWire(w: Wire): string {
  const url = w.url.length > 300 ? `${w.url.slice(0, 300)}… (${w.url.length} chars)` : w.url;
  const body = w.body === undefined ? '' : ` ${w.body.length > 600 ? `${w.body.slice(0, 600)}… (${w.body.length} chars)` : w.body}`;
  const accept = w.accept === undefined ? '' : ` [accept: ${w.accept}]`;
  return `${w.method.toUpperCase()} ${url} [content-type: ${w.contentType ?? 'none'}]${accept}${body}`;
}
