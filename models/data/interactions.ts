/**
 * The trainer's one data shape: users × items engagement strengths, summed per pair, as compressed
 * sparse rows by user (and by item on demand). External ids stay strings; rows/columns are indices.
 */

export interface Csr {
  /** row r spans indices[indptr[r] .. indptr[r+1]) */
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
}

export interface Interactions {
  userIds: string[];
  itemIds: string[];
  /** users × items, rows sorted by column, one entry per pair, values > 0 */
  byUser: Csr;
}

/** Maps string ids to dense indices in first-seen order. */
export class IdIndex {
  readonly ids: string[] = [];
  readonly #index = new Map<string, number>();
  constructor(ids: Iterable<string> = []) {
    for (const id of ids) this.get(id);
  }
  get(id: string): number {
    let i = this.#index.get(id);
    if (i === undefined) {
      i = this.ids.length;
      this.#index.set(id, i);
      this.ids.push(id);
    }
    return i;
  }
  find(id: string): number | undefined {
    return this.#index.get(id);
  }
  get size(): number {
    return this.ids.length;
  }
}

/** Growable (row, col, value) triples; duplicates are summed when compressed. */
export class TripletBuffer {
  rows = new Int32Array(1024);
  cols = new Int32Array(1024);
  vals = new Float32Array(1024);
  length = 0;
  push(row: number, col: number, value: number): void {
    if (this.length === this.rows.length) {
      const grow = <T extends Int32Array | Float32Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
      this.rows = grow(this.rows);
      this.cols = grow(this.cols);
      this.vals = grow(this.vals);
    }
    this.rows[this.length] = row;
    this.cols[this.length] = col;
    this.vals[this.length] = value;
    this.length++;
  }
}

/**
 * Compresses triples into CSR with `nRows` rows: duplicates summed, columns sorted, and entries
 * whose sum is not > 0 dropped (a skip-only pair is no evidence of liking).
 *
 * @example
 * const csr = toCsr(3, rows, cols, vals, n);
 */
export function toCsr(nRows: number, rows: Int32Array, cols: Int32Array, vals: Float32Array, n = rows.length): Csr {
  const counts = new Int32Array(nRows + 1);
  for (let k = 0; k < n; k++) counts[rows[k]! + 1]!++;
  for (let r = 0; r < nRows; r++) counts[r + 1]! += counts[r]!;
  const fill = counts.slice(0, nRows);
  const idx = new Int32Array(n);
  const val = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    const p = fill[rows[k]!]!++;
    idx[p] = cols[k]!;
    val[p] = vals[k]!;
  }
  const indptr = new Int32Array(nRows + 1);
  const outIdx = new Int32Array(n);
  const outVal = new Float32Array(n);
  let out = 0;
  const order: number[] = [];
  for (let r = 0; r < nRows; r++) {
    const start = counts[r]!;
    const end = counts[r + 1]!;
    order.length = 0;
    for (let p = start; p < end; p++) order.push(p);
    order.sort((a, b) => idx[a]! - idx[b]!);
    let k = 0;
    while (k < order.length) {
      const col = idx[order[k]!]!;
      let sum = 0;
      while (k < order.length && idx[order[k]!] === col) sum += val[order[k++]!]!;
      if (sum > 0) {
        outIdx[out] = col;
        outVal[out] = sum;
        out++;
      }
    }
    indptr[r + 1] = out;
  }
  return { indptr, indices: outIdx.slice(0, out), values: outVal.slice(0, out) };
}

/** The transpose of a CSR matrix with `nCols` columns (items × users from users × items). */
export function transpose(m: Csr, nCols: number): Csr {
  const nnz = m.indices.length;
  const indptr = new Int32Array(nCols + 1);
  for (let k = 0; k < nnz; k++) indptr[m.indices[k]! + 1]!++;
  for (let c = 0; c < nCols; c++) indptr[c + 1]! += indptr[c]!;
  const fill = indptr.slice(0, nCols);
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  const nRows = m.indptr.length - 1;
  for (let r = 0; r < nRows; r++) {
    for (let p = m.indptr[r]!; p < m.indptr[r + 1]!; p++) {
      const q = fill[m.indices[p]!]!++;
      indices[q] = r;
      values[q] = m.values[p]!;
    }
  }
  return { indptr, indices, values };
}

/** Builds Interactions from triples over the given id lists. */
export function interactionsFrom(users: IdIndex, items: IdIndex, t: TripletBuffer): Interactions {
  return { userIds: users.ids, itemIds: items.ids, byUser: toCsr(users.size, t.rows, t.cols, t.vals, t.length) };
}

/** Number of stored (user, item) pairs. */
export const nnz = (m: Csr): number => m.indices.length;
