/**
 * Strong-generalisation split (Marlin 2004; Liang et al. 2018): a share of users is held out
 * entirely; the model never sees them in training and must fold each in from part of their history
 * and rank the rest, as the Worker does for a user the model has never seen.
 */
import { type Csr, toCsr } from '../data/interactions.ts';
import { mulberry32, shuffle } from '../train/random.ts';

export interface HeldOutUser {
  history: Int32Array;
  weights: Float32Array;
  /** the held-out items to find */
  target: Set<number>;
}

export interface StrongSplit {
  /** training users × items (held-out users removed; item indices unchanged) */
  train: Csr;
  test: HeldOutUser[];
  /** original row of every held-out user (also those with too few items to evaluate) */
  heldOut: Set<number>;
}

/**
 * @example
 * const { train, test } = strongSplit(data.byUser, { testUsers: 0.2, historyShare: 0.8, seed: 1 });
 */
export function strongSplit(byUser: Csr, opts: { testUsers: number; historyShare: number; seed: number; minItems?: number }): StrongSplit {
  const rand = mulberry32(opts.seed);
  const nUsers = byUser.indptr.length - 1;
  const order = Int32Array.from({ length: nUsers }, (_, i) => i);
  shuffle(order, rand);
  const nTest = Math.round(nUsers * opts.testUsers);
  const isTest = new Uint8Array(nUsers);
  const heldOut = new Set<number>();
  for (let k = 0; k < nTest; k++) {
    isTest[order[k]!] = 1;
    heldOut.add(order[k]!);
  }
  const rows: number[] = [];
  const cols: number[] = [];
  const vals: number[] = [];
  const test: HeldOutUser[] = [];
  let next = 0;
  for (let u = 0; u < nUsers; u++) {
    const lo = byUser.indptr[u]!;
    const hi = byUser.indptr[u + 1]!;
    if (!isTest[u]) {
      for (let p = lo; p < hi; p++) {
        rows.push(next);
        cols.push(byUser.indices[p]!);
        vals.push(byUser.values[p]!);
      }
      next++;
      continue;
    }
    const n = hi - lo;
    if (n < (opts.minItems ?? 5)) continue; // too few items to split into history and target
    const pos = Int32Array.from({ length: n }, (_, i) => lo + i);
    shuffle(pos, rand);
    const nHist = Math.round(n * opts.historyShare);
    const hist = pos.subarray(0, nHist);
    test.push({
      history: Int32Array.from(hist, (p) => byUser.indices[p]!),
      weights: Float32Array.from(hist, (p) => byUser.values[p]!),
      target: new Set(Array.from(pos.subarray(nHist), (p) => byUser.indices[p]!)),
    });
  }
  return { train: toCsr(next, Int32Array.from(rows), Int32Array.from(cols), Float32Array.from(vals)), test, heldOut };
}
