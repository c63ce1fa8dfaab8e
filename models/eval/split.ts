/**
 * Strong-generalisation split (Marlin 2004; Liang et al. 2018): a share of users is held out
 * entirely; the model never sees them in training and must fold each in from part of their history
 * and rank the rest, as the Worker does for a user the model has never seen.
 *
 * The catalogue follows Liang et al. 2018 (and the EASE, RecVAE and iALS-revisited papers that use
 * their protocol) unless told otherwise: it is the items with at least one training interaction,
 * and held-out users' interactions with other items are dropped *before* their 80/20 split. That is
 * what anyone evaluating a bundle through its items.json gets: an item no training user touched is
 * not in the bundle, so it can be neither history nor target. `catalogue: 'all'` keeps every item
 * (those only held-out users played then stay as unreachable targets for a collaborative model).
 */
import { type Csr, type Interactions, toCsr } from '../data/interactions.ts';
import { mulberry32, shuffle } from '../train/random.ts';

export interface HeldOutUser {
  history: Int32Array;
  weights: Float32Array;
  /** the held-out items to find */
  target: Set<number>;
}

export interface StrongSplit {
  /** training users × catalogue items (held-out users removed) */
  train: Csr;
  /** held-out users with enough catalogue items to evaluate, in catalogue indices */
  test: HeldOutUser[];
  /** original row of every held-out user (also those with too few items to evaluate) */
  heldOut: Set<number>;
  /** original item index of each catalogue index (the identity for `catalogue: 'all'`) */
  items: Int32Array;
}

export interface SplitOptions {
  testUsers: number;
  historyShare: number;
  seed: number;
  /** held-out users with fewer catalogue items are not evaluated (default 5) */
  minItems?: number;
  /** 'training' (default): items with a training interaction; 'all': every column of `byUser` */
  catalogue?: 'training' | 'all';
}

/**
 * @example
 * const { train, test, items } = strongSplit(data.byUser, nItems, { testUsers: 0.2, historyShare: 0.8, seed: 1 });
 */
export function strongSplit(byUser: Csr, nItems: number, opts: SplitOptions): StrongSplit {
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

  // catalogue index of each original item, -1 when it is not in the catalogue
  const column = new Int32Array(nItems).fill(-1);
  if (opts.catalogue === 'all') {
    for (let i = 0; i < nItems; i++) column[i] = i;
  } else {
    for (let u = 0; u < nUsers; u++) {
      if (isTest[u]) continue;
      for (let p = byUser.indptr[u]!; p < byUser.indptr[u + 1]!; p++) column[byUser.indices[p]!] = 0;
    }
    let next = 0;
    for (let i = 0; i < nItems; i++) if (column[i] === 0) column[i] = next++;
  }
  const items = new Int32Array(nItems);
  let nCatalogue = 0;
  for (let i = 0; i < nItems; i++) if (column[i]! >= 0) items[nCatalogue++] = i;

  const rows: number[] = [];
  const cols: number[] = [];
  const vals: number[] = [];
  const test: HeldOutUser[] = [];
  let nextRow = 0;
  for (let u = 0; u < nUsers; u++) {
    const lo = byUser.indptr[u]!;
    const hi = byUser.indptr[u + 1]!;
    if (!isTest[u]) {
      for (let p = lo; p < hi; p++) {
        rows.push(nextRow);
        cols.push(column[byUser.indices[p]!]!);
        vals.push(byUser.values[p]!);
      }
      nextRow++;
      continue;
    }
    const kept: number[] = [];
    for (let p = lo; p < hi; p++) if (column[byUser.indices[p]!]! >= 0) kept.push(p);
    if (kept.length < (opts.minItems ?? 5)) continue; // too few items to split into history and target
    const pos = Int32Array.from(kept);
    shuffle(pos, rand);
    const nHist = Math.round(pos.length * opts.historyShare);
    const hist = pos.subarray(0, nHist);
    test.push({
      history: Int32Array.from(hist, (p) => column[byUser.indices[p]!]!),
      weights: Float32Array.from(hist, (p) => byUser.values[p]!),
      target: new Set(Array.from(pos.subarray(nHist), (p) => column[byUser.indices[p]!]!)),
    });
  }
  return {
    train: toCsr(nextRow, Int32Array.from(rows), Int32Array.from(cols), Float32Array.from(vals)),
    test,
    heldOut,
    items: items.slice(0, nCatalogue),
  };
}

/**
 * The split's training users as Interactions over its catalogue (what a trainer is given).
 *
 * @example
 * const trained = await trainModels({ interactions: trainingInteractions(data, split), ... }, params);
 */
export function trainingInteractions(data: Interactions, split: StrongSplit): Interactions {
  return { userIds: [], itemIds: Array.from(split.items, (i) => data.itemIds[i]!), byUser: split.train };
}
