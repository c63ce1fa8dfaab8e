/**
 * An item-to-item transition model for next-track scoring: which items follow which within a
 * listening session. Simple neighbour/transition methods match neural session models on music
 * (Ludewig et al. 2021), and this one is a sparse matrix the Worker could ship beside the factors.
 * Pure functions over dense item indices; typed arrays throughout.
 */

import type { Transitions } from '../../contract/transitions-file.ts';

export interface TransitionParams {
  /** b counts as following a when it is played within the next `window` plays of the same session */
  window: number;
  /** neighbours kept per item (the strongest) */
  topK: number;
}

export const DEFAULT_TRANSITION_PARAMS: Readonly<TransitionParams> = Object.freeze({ window: 3, topK: 100 });

/**
 * Counts c(a, b) = Σ over sessions and positions i < j ≤ i + window with s_i = a, s_j = b of
 * 1 / (j − i) (the next play counts 1, the one after ½ …), keeps the `topK` largest per a and
 * normalises P(b | a) = c(a, b) / Σ_b' c(a, b'). Repeats (a = b) are transitions like any other.
 *
 * @example
 * const t = fitTransitions([Int32Array.of(0, 1, 2), Int32Array.of(0, 1)], 3); // P(1 | 0) > P(2 | 0)
 */
export function fitTransitions(
  sessions: readonly ArrayLike<number>[],
  nItems: number,
  params: TransitionParams = DEFAULT_TRANSITION_PARAMS,
): Transitions {
  const rows: Map<number, number>[] = Array.from({ length: nItems }, () => new Map());
  for (const s of sessions) {
    for (let i = 0; i < s.length; i++) {
      const row = rows[s[i]!]!;
      for (let j = i + 1; j <= Math.min(s.length - 1, i + params.window); j++) {
        row.set(s[j]!, (row.get(s[j]!) ?? 0) + 1 / (j - i));
      }
    }
  }
  const indptr = new Int32Array(nItems + 1);
  const idx: number[] = [];
  const val: number[] = [];
  for (let a = 0; a < nItems; a++) {
    const kept = [...rows[a]!].sort((x, y) => y[1] - x[1] || x[0] - y[0]).slice(0, params.topK);
    const total = kept.reduce((sum, [, c]) => sum + c, 0);
    for (const [b, c] of kept) {
      idx.push(b);
      val.push(c / total);
    }
    indptr[a + 1] = idx.length;
  }
  return { nItems, indptr, indices: Int32Array.from(idx), values: Float32Array.from(val) };
}

/**
 * Next-item scores from the session's recent items, newest first:
 *
 *   s(b) = Σ_p decay^p · P(b | recent[p])
 *
 * Items that follow none of them score 0.
 *
 * @example
 * const scores = transitionScores(t, [1, 0], 0.5); // Float32Array of nItems
 */
export function transitionScores(t: Transitions, recent: ArrayLike<number>, decay = 0.5): Float32Array {
  const out = new Float32Array(t.nItems);
  let w = 1;
  for (let p = 0; p < recent.length; p++, w *= decay) {
    const a = recent[p]!;
    for (let k = t.indptr[a]!; k < t.indptr[a + 1]!; k++) out[t.indices[k]!]! += w * t.values[k]!;
  }
  return out;
}
