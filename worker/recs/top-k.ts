/**
 * Indices of the k largest finite values, best first: a bounded min-heap, O(n log k), so ranking
 * a 100 000-item catalogue for a 200-item pool never sorts the whole array. The heap keeps each
 * entry's value beside its index and the scan compares against a local threshold (the heap's
 * smallest value), so the common case, a value that does not make the cut, costs one load and one
 * comparison.
 *
 * @example topK(Float32Array.from([0.1, 3, -Infinity, 2]), 2) // Int32Array [1, 3]
 */
export function topK(values: Float32Array, k: number): Int32Array {
  const cap = Math.max(0, Math.floor(k));
  if (cap === 0) return new Int32Array(0);
  const idx = new Int32Array(cap);
  const val = new Float64Array(cap);
  const n = values.length;
  let size = 0;
  let i = 0;
  // Fill: the first `cap` finite values, kept as a heap (sift up).
  for (; i < n && size < cap; i++) {
    const v = values[i] as number;
    // Also false for NaN.
    if (!(v > Number.NEGATIVE_INFINITY)) continue;
    let j = size++;
    while (j > 0) {
      const p = (j - 1) >> 1;
      const pv = val[p] as number;
      // Ties: the larger index is the weaker entry, so it sits nearer the root and leaves first.
      if (pv < v || (pv === v && (idx[p] as number) > i)) break;
      val[j] = pv;
      idx[j] = idx[p] as number;
      j = p;
    }
    val[j] = v;
    idx[j] = i;
  }
  // Scan: only a value above the current k-th best enters (ties keep the earlier index). The loop
  // body stays this small so V8 keeps it tight; entries are rare (about k·ln(n/k) of them).
  let threshold = size === cap ? (val[0] as number) : Number.POSITIVE_INFINITY;
  for (; i < n; i++) {
    if ((values[i] as number) > threshold) threshold = replaceRoot(idx, val, cap, i, values[i] as number);
  }
  return (size === cap ? idx : idx.slice(0, size)).sort((a, b) => (values[b] as number) - (values[a] as number) || a - b);
}

/** Puts entry (i, v) in place of the heap's root, sifts it down and returns the new smallest value. */
function replaceRoot(idx: Int32Array, val: Float64Array, cap: number, i: number, v: number): number {
  let j = 0;
  for (;;) {
    const l = 2 * j + 1;
    if (l >= cap) break;
    const r = l + 1;
    let m = l;
    let mv = val[l] as number;
    if (r < cap) {
      const rv = val[r] as number;
      if (rv < mv || (rv === mv && (idx[r] as number) > (idx[l] as number))) {
        m = r;
        mv = rv;
      }
    }
    if (mv > v || (mv === v && (idx[m] as number) < i)) break;
    val[j] = mv;
    idx[j] = idx[m] as number;
    j = m;
  }
  val[j] = v;
  idx[j] = i;
  return val[0] as number;
}
