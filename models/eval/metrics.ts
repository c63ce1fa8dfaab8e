/**
 * Ranking metrics as small pure functions over one user's ranked list and relevant set.
 * Relevance is binary: an item is relevant when it is in the user's held-out set.
 */

/**
 * Recall@K = |top-K ∩ T| / min(K, |T|)
 * (the normalisation by min(K, |T|) of Liang et al. 2018, so a perfect list scores 1 even when
 * |T| > K). Returns 0 for an empty T.
 */
export function recallAtK(ranked: ArrayLike<number>, relevant: ReadonlySet<number>, k: number): number {
  if (relevant.size === 0) return 0;
  let hits = 0;
  for (let i = 0; i < Math.min(k, ranked.length); i++) if (relevant.has(ranked[i]!)) hits++;
  return hits / Math.min(k, relevant.size);
}

/**
 * NDCG@K = DCG@K / IDCG@K, with DCG@K = Σ_{i=1..K} rel_i / log2(i + 1)
 * and IDCG@K the DCG of min(K, |T|) relevant items at the top.
 */
export function ndcgAtK(ranked: ArrayLike<number>, relevant: ReadonlySet<number>, k: number): number {
  if (relevant.size === 0) return 0;
  let dcg = 0;
  for (let i = 0; i < Math.min(k, ranked.length); i++) if (relevant.has(ranked[i]!)) dcg += 1 / Math.log2(i + 2);
  let idcg = 0;
  for (let i = 0; i < Math.min(k, relevant.size); i++) idcg += 1 / Math.log2(i + 2);
  return dcg / idcg;
}

/** Catalogue coverage = |⋃_u top-K(u)| / N: the share of the catalogue that is ever recommended. */
export function coverage(lists: ReadonlyArray<ArrayLike<number>>, nItems: number): number {
  const seen = new Set<number>();
  for (const l of lists) for (let i = 0; i < l.length; i++) seen.add(l[i]!);
  return seen.size / nItems;
}

/**
 * Popularity percentile of each item: the share of items strictly less popular than it, in [0, 1)
 * (ties share the lower value). `popularity[i]` = number of training users of item i.
 */
export function popularityPercentiles(popularity: ArrayLike<number>): Float64Array {
  const n = popularity.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => popularity[a]! - popularity[b]!);
  const pct = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j < n && popularity[order[j]!] === popularity[order[i]!]) j++;
    for (let q = i; q < j; q++) pct[order[q]!] = i / n;
    i = j;
  }
  return pct;
}

/** Popularity bias = mean popularity percentile of all recommended items (0.5 ≈ unbiased, → 1 = only hits). */
export function popularityBias(lists: ReadonlyArray<ArrayLike<number>>, percentiles: ArrayLike<number>): number {
  let sum = 0;
  let n = 0;
  for (const l of lists) {
    for (let i = 0; i < l.length; i++) {
      sum += percentiles[l[i]!]!;
      n++;
    }
  }
  return n === 0 ? 0 : sum / n;
}

/** Indices of the k highest scores, best first; `exclude` items are never returned. */
export function topK(scores: ArrayLike<number>, k: number, exclude?: ReadonlySet<number>): Int32Array {
  // A bounded min-heap keeps this O(N log k): evaluation ranks all items for every user.
  const heapIdx = new Int32Array(k);
  const heapVal = new Float64Array(k);
  let size = 0;
  const siftDown = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < size && less(l, m)) m = l;
      if (r < size && less(r, m)) m = r;
      if (m === i) return;
      swap(i, m);
      i = m;
    }
  };
  // ties: lower item index ranks higher, so results are deterministic
  const less = (a: number, b: number) => heapVal[a]! < heapVal[b]! || (heapVal[a] === heapVal[b] && heapIdx[a]! > heapIdx[b]!);
  const swap = (a: number, b: number) => {
    const ti = heapIdx[a]!;
    heapIdx[a] = heapIdx[b]!;
    heapIdx[b] = ti;
    const tv = heapVal[a]!;
    heapVal[a] = heapVal[b]!;
    heapVal[b] = tv;
  };
  for (let i = 0; i < scores.length; i++) {
    if (exclude?.has(i)) continue;
    const v = scores[i]!;
    if (size < k) {
      heapIdx[size] = i;
      heapVal[size] = v;
      let c = size++;
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (!less(c, p)) break;
        swap(c, p);
        c = p;
      }
    } else if (v > heapVal[0]!) {
      heapIdx[0] = i;
      heapVal[0] = v;
      siftDown(0);
    }
  }
  const out = new Int32Array(size);
  for (let i = size - 1; i >= 0; i--) {
    out[i] = heapIdx[0]!;
    heapIdx[0] = heapIdx[size - 1]!;
    heapVal[0] = heapVal[size - 1]!;
    size--;
    siftDown(0);
  }
  return out;
}
