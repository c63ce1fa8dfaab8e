/**
 * Indices of the k largest finite values, best first: a bounded min-heap, O(n log k), so ranking
 * a 50 000-item catalogue for a 200-item pool never sorts the whole array.
 *
 * @example topK(Float32Array.from([0.1, 3, -Infinity, 2]), 2) // Int32Array [1, 3]
 */
export function topK(values: Float32Array, k: number): Int32Array {
  const heap = new Int32Array(Math.max(0, k));
  let size = 0;
  const less = (a: number, b: number) => (values[a] as number) < (values[b] as number);
  const siftDown = (from: number) => {
    let i = from;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < size && less(heap[l] as number, heap[m] as number)) m = l;
      if (r < size && less(heap[r] as number, heap[m] as number)) m = r;
      if (m === i) return;
      const t = heap[i] as number;
      heap[i] = heap[m] as number;
      heap[m] = t;
      i = m;
    }
  };
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v === Number.NEGATIVE_INFINITY || Number.isNaN(v)) continue;
    if (size < k) {
      let j = size++;
      heap[j] = i;
      while (j > 0) {
        const p = (j - 1) >> 1;
        if (!less(heap[j] as number, heap[p] as number)) break;
        const t = heap[j] as number;
        heap[j] = heap[p] as number;
        heap[p] = t;
        j = p;
      }
    } else if (k > 0 && v > (values[heap[0] as number] as number)) {
      heap[0] = i;
      siftDown(0);
    }
  }
  return Int32Array.from(heap.subarray(0, size)).sort((a, b) => (values[b] as number) - (values[a] as number) || a - b);
}
