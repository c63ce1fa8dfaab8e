/**
 * Reference rankers for the evaluation table. Each takes a user's history and returns a score for
 * every item, like the trained scorer does.
 */
import type { Csr } from '../data/interactions.ts';
import { transpose } from '../data/interactions.ts';
import { invertSpd } from '../train/linalg.ts';

export type Ranker = (history: Int32Array, weights: Float32Array) => Float32Array | Promise<Float32Array>;

/** Number of training users of each item. */
export function itemPopularity(train: Csr, nItems: number): Float32Array {
  const pop = new Float32Array(nItems);
  for (const i of train.indices) pop[i]!++;
  return pop;
}

/** Most popular items first, the same list for everyone. */
export function popularityRanker(train: Csr, nItems: number): Ranker {
  const pop = itemPopularity(train, nItems);
  return () => pop;
}

/**
 * Item-kNN (Sarwar et al. 2001; Deshpande & Karypis 2004) on binary interactions with cosine
 * similarity, each item keeping its `k` nearest neighbours; score(i) = Σ_{j∈history} sim(j, i).
 */
export function itemKnnRanker(train: Csr, nItems: number, k = 100): Ranker {
  const byItem = transpose(train, nItems);
  const norm = new Float64Array(nItems);
  for (let i = 0; i < nItems; i++) norm[i] = Math.sqrt(byItem.indptr[i + 1]! - byItem.indptr[i]!);
  const neighbours: { idx: Int32Array; sim: Float32Array }[] = [];
  const acc = new Float64Array(nItems);
  const touched: number[] = [];
  for (let i = 0; i < nItems; i++) {
    touched.length = 0;
    for (let p = byItem.indptr[i]!; p < byItem.indptr[i + 1]!; p++) {
      const u = byItem.indices[p]!;
      for (let q = train.indptr[u]!; q < train.indptr[u + 1]!; q++) {
        const j = train.indices[q]!;
        if (j === i) continue;
        if (acc[j] === 0) touched.push(j);
        acc[j]! += 1;
      }
    }
    const cand = touched.map((j) => [j, acc[j]! / (norm[i]! * norm[j]!)] as const).sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    for (const j of touched) acc[j] = 0;
    const top = cand.slice(0, k);
    neighbours.push({ idx: Int32Array.from(top, (t) => t[0]), sim: Float32Array.from(top, (t) => t[1]) });
  }
  return (history) => {
    const s = new Float32Array(nItems);
    for (const j of history) {
      const nb = neighbours[j]!;
      for (let t = 0; t < nb.idx.length; t++) s[nb.idx[t]!]! += nb.sim[t]!;
    }
    return s;
  };
}

/**
 * EASE (Steck 2019): B = I − P·diag(1/diag(P)), P = (XᵀX + λI)⁻¹, score = x_u B, on binary X.
 * The dense M × M inverse is O(M³), so it is restricted to the `maxItems` most popular items
 * (all others score 0); the table says how many items that was.
 */
export function easeRanker(train: Csr, nItems: number, lambda = 200, maxItems = 2500): { ranker: Ranker; items: number } {
  const pop = itemPopularity(train, nItems);
  const kept = Array.from({ length: nItems }, (_, i) => i)
    .filter((i) => pop[i]! > 0)
    .sort((a, b) => pop[b]! - pop[a]! || a - b)
    .slice(0, maxItems);
  const m = kept.length;
  const pos = new Int32Array(nItems).fill(-1);
  kept.forEach((i, k) => {
    pos[i] = k;
  });
  const g = new Float64Array(m * m);
  const nUsers = train.indptr.length - 1;
  const cols: number[] = [];
  for (let u = 0; u < nUsers; u++) {
    cols.length = 0;
    for (let p = train.indptr[u]!; p < train.indptr[u + 1]!; p++) {
      const k = pos[train.indices[p]!]!;
      if (k >= 0) cols.push(k);
    }
    for (const a of cols) for (const b of cols) g[a * m + b]! += 1;
  }
  for (let a = 0; a < m; a++) g[a * m + a]! += lambda;
  const p = invertSpd(g, m);
  const b = new Float32Array(m * m);
  for (let r = 0; r < m; r++) {
    for (let c = 0; c < m; c++) b[r * m + c] = r === c ? 0 : -p[r * m + c]! / p[c * m + c]!;
  }
  const ranker: Ranker = (history) => {
    const s = new Float32Array(nItems);
    const acc = new Float64Array(m);
    for (const j of new Set(history)) {
      const r = pos[j]!;
      if (r < 0) continue;
      for (let c = 0; c < m; c++) acc[c]! += b[r * m + c]!;
    }
    for (let c = 0; c < m; c++) s[kept[c]!] = acc[c]!;
    return s;
  };
  return { ranker, items: m };
}
