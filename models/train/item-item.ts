/**
 * RP3beta item-item graph (Paudel et al. 2016) over the whole catalogue, blended into the ALS scores.
 * ALS compresses every item into 128 factors, which blurs the long tail; the sparse two-step random
 * walk item → user → item keeps exact co-listening for rare artists. The blend is a small gain
 * (+0.001…0.004 NDCG@20 on strong splits; figures and what was tried in models/README.md).
 */
import { type Csr, transpose } from '../data/interactions.ts';

export interface ItemItemParams {
  /** exponent of the transition probabilities (1 = plain random walk) */
  alpha: number;
  /** popularity penalty: similarities into item i are divided by popularity(i)^beta */
  beta: number;
  /** neighbours kept per item */
  k: number;
  /** weight of the max-normalised item-item score added to the ALS score */
  blend: number;
}

export interface ItemNeighbours {
  k: number;
  /** nItems × k neighbour indices (padding: index 0 with similarity 0) */
  index: Int32Array;
  /** nItems × k similarities */
  value: Float32Array;
  blend: number;
}

/** History strength as the walk sees it: saturating and never negative. */
export const walkWeight = (w: number): number => Math.log1p(Math.max(w, 0));

/**
 * Top-k RP3beta neighbours of every item, with edges weighted by log(1 + strength).
 *
 * @example
 * const nb = fitItemNeighbours(byUser, nItems, { alpha: 0.8, beta: 0.3, k: 50, blend: 0.15 });
 */
export function fitItemNeighbours(byUser: Csr, nItems: number, p: ItemItemParams): ItemNeighbours {
  const nUsers = byUser.indptr.length - 1;
  const byItem = transpose(byUser, nItems);
  const itemSum = new Float64Array(nItems);
  // P(u → i)^α per stored entry, computed once.
  const step2 = new Float64Array(byUser.indices.length);
  for (let u = 0; u < nUsers; u++) {
    const lo = byUser.indptr[u]!;
    const hi = byUser.indptr[u + 1]!;
    let userSum = 0;
    for (let q = lo; q < hi; q++) {
      step2[q] = walkWeight(byUser.values[q]!);
      userSum += step2[q]!;
      itemSum[byUser.indices[q]!]! += step2[q]!;
    }
    for (let q = lo; q < hi; q++) step2[q] = userSum > 0 ? (step2[q]! / userSum) ** p.alpha : 0;
  }
  const penalty = new Float64Array(nItems);
  for (let i = 0; i < nItems; i++) {
    const pop = byItem.indptr[i + 1]! - byItem.indptr[i]!;
    penalty[i] = pop > 0 ? pop ** -p.beta : 0;
  }
  const index = new Int32Array(nItems * p.k);
  const value = new Float32Array(nItems * p.k);
  const acc = new Float64Array(nItems);
  const touched: number[] = [];
  for (let j = 0; j < nItems; j++) {
    touched.length = 0;
    if (itemSum[j]! <= 0) continue;
    for (let q = byItem.indptr[j]!; q < byItem.indptr[j + 1]!; q++) {
      const u = byItem.indices[q]!;
      const step1 = (walkWeight(byItem.values[q]!) / itemSum[j]!) ** p.alpha;
      if (step1 === 0) continue;
      for (let r = byUser.indptr[u]!; r < byUser.indptr[u + 1]!; r++) {
        const i = byUser.indices[r]!;
        if (i === j || step2[r] === 0) continue;
        if (acc[i] === 0) touched.push(i);
        acc[i]! += step1 * step2[r]!;
      }
    }
    const ranked = touched.map((i) => [i, acc[i]! * penalty[i]!] as const).sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    for (const i of touched) acc[i] = 0;
    const n = Math.min(p.k, ranked.length);
    for (let t = 0; t < n; t++) {
      index[j * p.k + t] = ranked[t]![0];
      value[j * p.k + t] = ranked[t]![1];
    }
  }
  return { k: p.k, index, value, blend: p.blend };
}

/**
 * The blend term for every item: `blend · s / max(s)` with `s = Σ_h log(1 + w_h) · sim(h, ·)` over
 * the distinct history items (repeats summed first, as the fold-in does). Dividing by the user's
 * own maximum over the whole catalogue puts it on the ALS scale (~[0, 1]) whatever the history length,
 * and does not depend on which candidates are asked for.
 */
export function itemItemScores(nb: ItemNeighbours, nItems: number, summed: ReadonlyMap<number, number>): Float32Array {
  const s = new Float32Array(nItems);
  for (const [j, w] of summed) {
    const h = Math.fround(walkWeight(w));
    for (let t = j * nb.k; t < (j + 1) * nb.k; t++) s[nb.index[t]!]! += h * nb.value[t]!;
  }
  let max = 1e-30;
  for (let i = 0; i < nItems; i++) max = Math.max(max, s[i]!);
  for (let i = 0; i < nItems; i++) s[i] = (nb.blend * s[i]!) / max;
  return s;
}
