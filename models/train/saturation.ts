/**
 * BM25-style saturation of raw strengths (Robertson & Zaragoza 2009, as used for implicit ALS on
 * Last.fm): s = w (K1 + 1) / (K1 · n_i + w), with n_i = (1 − B) + B · L_i / mean(L) and L_i the
 * item's total strength in training. Very heavy listening saturates, and the same count means more
 * for a niche artist than for one everybody plays. Applied before the confidence transform, in
 * training, in the TypeScript fold-in and inside scorer.onnx alike.
 */
import type { Csr } from '../data/interactions.ts';

export interface Saturation {
  k1: number;
  /** n_i per item */
  itemNorm: Float32Array;
}

/** Per-item length norms from training strengths. */
export function fitSaturation(byUser: Csr, nItems: number, k1: number, b: number): Saturation {
  const total = new Float64Array(nItems);
  for (let p = 0; p < byUser.indices.length; p++) total[byUser.indices[p]!]! += byUser.values[p]!;
  let sum = 0;
  let n = 0;
  for (const t of total) {
    if (t > 0) {
      sum += t;
      n++;
    }
  }
  const mean = n > 0 ? sum / n : 1;
  return { k1, itemNorm: Float32Array.from(total, (t) => 1 - b + (b * t) / mean) };
}

export const saturate = (w: number, item: number, s: Saturation): number => (w * (s.k1 + 1)) / (s.k1 * s.itemNorm[item]! + w);

/** A copy of the CSR with saturated values. */
export function saturateCsr(m: Csr, s: Saturation): Csr {
  return { ...m, values: Float32Array.from(m.values, (w, p) => saturate(w, m.indices[p]!, s)) };
}
