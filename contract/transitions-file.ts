/**
 * `transitions.bin`, the bundle's optional next-track model (models/session/transitions.ts): which
 * items follow which within a listening session, as row-normalised compressed sparse rows. Pure (no
 * Node imports): the trainer writes it and the Worker reads it.
 *
 * Layout, little-endian:
 *
 * | bytes | what |
 * | --- | --- |
 * | 4 | magic `BBTR` |
 * | 4 | uint32 format version (1) |
 * | 4 | uint32 items N (equals the manifest's `items`) |
 * | 4 | uint32 nnz |
 * | 4 (N + 1) | int32 indptr: row a spans indptr[a] .. indptr[a + 1] |
 * | 4 nnz | int32 indices: the item b that follows a |
 * | 4 nnz | float32 values: P(b \| a); each non-empty row sums to 1 |
 */
import { BundleError } from './bundle-error.ts';

/** Row-normalised transitions as compressed sparse rows: row a spans indptr[a] .. indptr[a+1]. */
export interface Transitions {
  nItems: number;
  indptr: Int32Array;
  indices: Int32Array;
  /** P(b | a) over the kept neighbours of a; each non-empty row sums to 1 */
  values: Float32Array;
}

export const TRANSITIONS_FILE = 'transitions.bin';
const MAGIC = 0x52544242; // 'BBTR' read as a little-endian uint32
const VERSION = 1;
const HEADER = 16;

/**
 * @example const bytes = encodeTransitions(fitTransitions(sessions, nItems));
 */
export function encodeTransitions(t: Transitions): Uint8Array {
  const nnz = t.indices.length;
  const out = new Uint8Array(HEADER + 4 * (t.nItems + 1) + 8 * nnz);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, VERSION, true);
  view.setUint32(8, t.nItems, true);
  view.setUint32(12, nnz, true);
  let at = HEADER;
  for (const v of t.indptr) {
    view.setInt32(at, v, true);
    at += 4;
  }
  for (const v of t.indices) {
    view.setInt32(at, v, true);
    at += 4;
  }
  for (const v of t.values) {
    view.setFloat32(at, v, true);
    at += 4;
  }
  return out;
}

/**
 * Reads and checks a transitions file for a bundle of `items` items; throws a BundleError on
 * `files.transitions` naming what is wrong.
 *
 * @example const t = decodeTransitions(files['transitions.bin'], manifest.items);
 */
export function decodeTransitions(bytes: Uint8Array, items: number): Transitions {
  const bad = (why: string) => new BundleError('files.transitions', `${TRANSITIONS_FILE}: ${why}`);
  if (bytes.length < HEADER) throw bad(`${bytes.length} bytes is shorter than its 16-byte header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) throw bad('does not start with "BBTR"');
  const version = view.getUint32(4, true);
  if (version !== VERSION) throw bad(`format version ${version}, expected ${VERSION}`);
  const nItems = view.getUint32(8, true);
  if (nItems !== items) throw bad(`holds ${nItems} items, the manifest says ${items}`);
  const nnz = view.getUint32(12, true);
  const size = HEADER + 4 * (nItems + 1) + 8 * nnz;
  if (bytes.length !== size) throw bad(`${bytes.length} bytes, expected ${size} for ${nItems} items and ${nnz} transitions`);
  const indptr = new Int32Array(nItems + 1);
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  let at = HEADER;
  for (let a = 0; a <= nItems; a++, at += 4) indptr[a] = view.getInt32(at, true);
  for (let k = 0; k < nnz; k++, at += 4) indices[k] = view.getInt32(at, true);
  for (let k = 0; k < nnz; k++, at += 4) values[k] = view.getFloat32(at, true);
  if (indptr[0] !== 0 || indptr[nItems] !== nnz) throw bad(`indptr must run from 0 to ${nnz}`);
  for (let a = 0; a < nItems; a++) if ((indptr[a + 1] as number) < (indptr[a] as number)) throw bad(`indptr decreases at row ${a}`);
  for (let k = 0; k < nnz; k++) {
    const b = indices[k] as number;
    if (b < 0 || b >= nItems) throw bad(`index ${b} at ${k} is outside 0..${nItems - 1}`);
    const v = values[k] as number;
    if (!(v >= 0 && v <= 1)) throw bad(`value ${v} at ${k} is not a probability`);
  }
  return { nItems, indptr, indices, values };
}
