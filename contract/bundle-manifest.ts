/**
 * The model bundle contract (`backbeat-model/1`, see shared/spec/model-bundle.md), typed once.
 * The trainer writes it and the Worker reads it, so this file must stay free of Node imports.
 */

import { BundleError } from './bundle-error.ts';
import { DEFAULT_EVENT_WEIGHTS, type EventWeights } from './events.ts';
import { readOnnxShapes } from './onnx-proto.ts';
import { decodeTransitions, TRANSITIONS_FILE, type Transitions } from './transitions-file.ts';

export { BundleError };

export const BUNDLE_FORMAT = 'backbeat-model/1';

/** File names inside a bundle folder (and under `models/<version>/` in R2). */
export const MANIFEST_FILE = 'manifest.json';
export const SCORER_FILE = 'scorer.onnx';
export const ITEMS_FILE = 'items.json';
export const CONTENT_FILE = 'content.onnx';
export { TRANSITIONS_FILE };

/** Names of the scorer graph's inputs/outputs, fixed by the contract. */
export const SCORER_IO = {
  history: 'history',
  historyWeight: 'history_weight',
  candidates: 'candidates',
  scores: 'scores',
  userVector: 'user_vector',
} as const;

/** The scorer's item embedding initializer, shape [items, dims]; checked against the manifest. */
export const SCORER_ITEM_EMBEDDINGS = 'item_embeddings';

/** Names of the content graph's input/output, fixed by the contract. */
export const CONTENT_IO = { features: 'features', embedding: 'embedding' } as const;

/**
 * How one raw catalogue value becomes one feature:
 * - `identity`: the number as is (missing -> 0);
 * - `standardize`: (x - mean) / std (missing -> 0, i.e. the mean);
 * - `equals`: 1 when the `source` string equals `value` (one-hot genre), else 0;
 * - `contains`: 1 when the `source` list (tags) contains `value`, else 0.
 */
export type ContentTransform =
  | 'identity'
  | { kind: 'standardize'; mean: number; std: number }
  | { kind: 'equals'; value: string }
  | { kind: 'contains'; value: string };

/** One column of content.onnx's `features` input; `source` is the catalogue field it reads (defaults to `name`). */
export interface ContentFeature {
  name: string;
  source?: string;
  transform: ContentTransform;
}

export interface Manifest {
  format: typeof BUNDLE_FORMAT;
  version: string;
  createdAt: string;
  items: number;
  dims: number;
  /** `content` and `transitions` are optional (cold start; next-track transitions, transitions-file.ts). */
  files: { scorer: string; items: string; content?: string; transitions?: string };
  sha256: Record<string, string>;
  eventWeights: EventWeights;
  halfLifeDays: number;
  contentFeatures: ContentFeature[];
  training: { data: string; params: Record<string, unknown>; metrics: Record<string, unknown> };
}

/** Why an ONNX file did not parse: the reader's own words, without a BundleError's prefix. */
const unreadable = (e: unknown): string => (e instanceof BundleError ? e.reason : (e as Error).message);

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: unknown): string => {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
};

function obj(v: unknown, field: string): Obj {
  if (!isObj(v)) throw new BundleError(field, `expected an object, got ${show(v)}`);
  return v;
}
/**
 * Versions and file names become R2 keys (`models/<version>/<file>`): no `/`, no leading dot, so no
 * two uploads can ever share a key and a version can never reach into another's folder.
 */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
function name(v: unknown, field: string): string {
  const s = str(v, field);
  if (!NAME.test(s)) {
    throw new BundleError(field, `expected 1–128 of A–Z a–z 0–9 . _ - (no "/"), starting with a letter or digit, got ${show(s)}`);
  }
  return s;
}
function str(v: unknown, field: string): string {
  if (typeof v !== 'string' || v.length === 0) throw new BundleError(field, `expected a non-empty string, got ${show(v)}`);
  return v;
}
function num(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new BundleError(field, `expected a finite number, got ${show(v)}`);
  return v;
}
function posInt(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw new BundleError(field, `expected a positive integer, got ${show(v)}`);
  return v;
}

function parseTransform(v: unknown, field: string): ContentTransform {
  if (v === 'identity') return v;
  const t = obj(v, field);
  switch (t.kind) {
    case 'standardize': {
      const std = num(t.std, `${field}.std`);
      if (std <= 0) throw new BundleError(`${field}.std`, `expected > 0, got ${std}`);
      return { kind: 'standardize', mean: num(t.mean, `${field}.mean`), std };
    }
    case 'equals':
    case 'contains':
      return { kind: t.kind, value: str(t.value, `${field}.value`) };
    default:
      throw new BundleError(`${field}.kind`, `expected "identity", standardize, equals or contains, got ${show(t.kind)}`);
  }
}

function parseContentFeatures(v: unknown): ContentFeature[] {
  if (!Array.isArray(v)) throw new BundleError('contentFeatures', `expected an array, got ${show(v)}`);
  return v.map((f, i) => {
    const field = `contentFeatures[${i}]`;
    const o = obj(f, field);
    const feature: ContentFeature = { name: str(o.name, `${field}.name`), transform: parseTransform(o.transform, `${field}.transform`) };
    if (o.source !== undefined) feature.source = str(o.source, `${field}.source`);
    return feature;
  });
}

function parseEventWeights(v: unknown): EventWeights {
  const o = obj(v, 'eventWeights');
  const out: Record<string, number> = {};
  for (const [k, w] of Object.entries(o)) out[k] = num(w, `eventWeights.${k}`);
  for (const k of Object.keys(DEFAULT_EVENT_WEIGHTS)) num(o[k], `eventWeights.${k}`);
  return out as EventWeights;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Validates parsed manifest.json and returns it typed; throws a BundleError naming the field.
 *
 * @example
 * const manifest = parseManifest(JSON.parse(await obj.text()));
 * manifest.dims; // 64
 */
export function parseManifest(json: unknown): Manifest {
  const o = obj(json, 'manifest');
  if (o.format !== BUNDLE_FORMAT) throw new BundleError('format', `expected "${BUNDLE_FORMAT}", got ${show(o.format)}`);
  const files = obj(o.files, 'files');
  const parsedFiles: Manifest['files'] = { scorer: name(files.scorer, 'files.scorer'), items: name(files.items, 'files.items') };
  if (files.content !== undefined) parsedFiles.content = name(files.content, 'files.content');
  if (files.transitions !== undefined) parsedFiles.transitions = name(files.transitions, 'files.transitions');
  const seen = new Map<string, string>();
  for (const [role, file] of Object.entries(parsedFiles)) {
    if (file === MANIFEST_FILE) throw new BundleError(`files.${role}`, `${MANIFEST_FILE} is the manifest itself`);
    const other = seen.get(file);
    if (other) throw new BundleError(`files.${role}`, `${file} is already files.${other}`);
    seen.set(file, role);
  }
  const sha = obj(o.sha256, 'sha256');
  const sha256: Record<string, string> = {};
  for (const [name, h] of Object.entries(sha)) {
    if (typeof h !== 'string' || !SHA256_HEX.test(h))
      throw new BundleError(`sha256.${name}`, `expected 64 lower-case hex digits, got ${show(h)}`);
    sha256[name] = h;
  }
  for (const name of Object.values(parsedFiles)) {
    if (!(name in sha256)) throw new BundleError(`sha256.${name}`, 'missing: every file of the bundle needs a checksum');
  }
  const training = obj(o.training, 'training');
  const halfLifeDays = num(o.halfLifeDays, 'halfLifeDays');
  if (halfLifeDays <= 0) throw new BundleError('halfLifeDays', `expected > 0, got ${halfLifeDays}`);
  return {
    format: BUNDLE_FORMAT,
    version: name(o.version, 'version'),
    createdAt: str(o.createdAt, 'createdAt'),
    items: posInt(o.items, 'items'),
    dims: posInt(o.dims, 'dims'),
    files: parsedFiles,
    sha256,
    eventWeights: parseEventWeights(o.eventWeights),
    halfLifeDays,
    contentFeatures: parseContentFeatures(o.contentFeatures),
    training: {
      data: typeof training.data === 'string' ? training.data : String(training.data ?? ''),
      params: isObj(training.params) ? training.params : {},
      metrics: isObj(training.metrics) ? training.metrics : {},
    },
  };
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

function expectDims(field: string, actual: readonly (number | string)[] | undefined, expected: readonly (number | null)[]): void {
  const ok = actual !== undefined && actual.length === expected.length && expected.every((e, i) => e === null || actual[i] === e);
  if (!ok) {
    const want = expected.map((e) => (e === null ? 'any' : e)).join(', ');
    throw new BundleError(field, `ONNX shape [${actual?.join(', ') ?? 'missing'}] disagrees with the manifest (expected [${want}])`);
  }
}

/**
 * Checks the bundle's files against a parsed manifest: every listed file present with a matching
 * sha256, items.json an array of `items` string ids, and the ONNX shapes agreeing with
 * `items`/`dims`/`contentFeatures`, transitions.bin well formed for `items`. Throws a BundleError
 * naming the field; returns the item ids and the decoded transitions (null without the file).
 *
 * @example
 * const manifest = parseManifest(JSON.parse(manifestText));
 * const { itemIds } = await verifyBundleFiles(manifest, { 'scorer.onnx': scorerBytes, 'items.json': itemsBytes });
 */
export async function verifyBundleFiles(
  manifest: Manifest,
  files: Record<string, Uint8Array>,
): Promise<{ itemIds: string[]; transitions: Transitions | null }> {
  for (const [role, name] of Object.entries(manifest.files)) {
    const bytes = files[name];
    if (!bytes) throw new BundleError(`files.${role}`, `file ${name} is missing from the bundle`);
    if ((await sha256Hex(bytes)) !== manifest.sha256[name]) throw new BundleError(`sha256.${name}`, `checksum of ${name} does not match`);
  }
  let itemIds: unknown;
  try {
    itemIds = JSON.parse(new TextDecoder().decode(files[manifest.files.items]));
  } catch {
    throw new BundleError('files.items', `${manifest.files.items} is not valid JSON`);
  }
  if (!Array.isArray(itemIds) || !itemIds.every((id) => typeof id === 'string')) {
    throw new BundleError('files.items', `${manifest.files.items} must be a JSON array of string ids`);
  }
  if (itemIds.length !== manifest.items)
    throw new BundleError('items', `manifest says ${manifest.items} but ${manifest.files.items} holds ${itemIds.length} ids`);

  let scorer: ReturnType<typeof readOnnxShapes>;
  try {
    scorer = readOnnxShapes(files[manifest.files.scorer]!);
  } catch (e) {
    throw new BundleError('files.scorer', `${manifest.files.scorer} is not a readable ONNX model (${unreadable(e)})`);
  }
  const emb = scorer.initializers.get(SCORER_ITEM_EMBEDDINGS);
  if (!emb || emb[0] !== manifest.items) {
    throw new BundleError(
      'items',
      `scorer initializer ${SCORER_ITEM_EMBEDDINGS} has shape [${emb?.join(', ') ?? 'missing'}], manifest says ${manifest.items} items`,
    );
  }
  expectDims('dims', scorer.outputs.get(SCORER_IO.userVector), [manifest.dims]);

  if (manifest.files.content) {
    let content: ReturnType<typeof readOnnxShapes>;
    try {
      content = readOnnxShapes(files[manifest.files.content]!);
    } catch (e) {
      throw new BundleError('files.content', `${manifest.files.content} is not a readable ONNX model (${unreadable(e)})`);
    }
    expectDims('dims', content.outputs.get(CONTENT_IO.embedding), [null, manifest.dims]);
    expectDims('contentFeatures', content.inputs.get(CONTENT_IO.features), [null, manifest.contentFeatures.length]);
  }
  const transitions = manifest.files.transitions ? decodeTransitions(files[manifest.files.transitions]!, manifest.items) : null;
  return { itemIds: itemIds as string[], transitions };
}

/** A bundle whose files were read and verified against its manifest. */
export interface OpenedBundle {
  manifest: Manifest;
  files: Record<string, Uint8Array>;
  itemIds: string[];
  transitions: Transitions | null;
}

/**
 * Opens a bundle in one pass: parses manifest.json, reads every file it lists through `read` (null
 * for a missing file) and verifies them (verifyBundleFiles). The Worker reads from R2, the trainer
 * from disk; both get the same checks. Throws a BundleError naming the field at fault.
 *
 * @example
 * const bundle = await openBundle(JSON.parse(manifestText), (name) => readFile(join(dir, name)).catch(() => null));
 * bundle.itemIds.length === bundle.manifest.items; // true
 */
export async function openBundle(manifestJson: unknown, read: (file: string) => Promise<Uint8Array | null>): Promise<OpenedBundle> {
  const manifest = parseManifest(manifestJson);
  const names = Object.values(manifest.files).filter((f): f is string => typeof f === 'string');
  const bodies = await Promise.all(names.map(read));
  const files: Record<string, Uint8Array> = {};
  for (const [i, name] of names.entries()) {
    const body = bodies[i];
    if (body) files[name] = body;
  }
  const { itemIds, transitions } = await verifyBundleFiles(manifest, files);
  return { manifest, files, itemIds, transitions };
}
