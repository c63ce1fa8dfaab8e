/**
 * The user side of the trained model as the Worker sees it: from a history of (item, strength)
 * pairs, the exact ALS user vector x = (YᵀWY + Yᵀ(C−W)Y + λ_u I)⁻¹ YᵀCp, then scores yᵢᵀx
 * (W = the unobserved-entry weights, the identity in plain iALS).
 * Repeated items are summed before the confidence transform, as in training. This is the reference
 * the exported scorer.onnx must match (see onnx/scorer.ts).
 */
import { confidence, rowRegularization } from './confidence.ts';
import { type ItemNeighbours, itemItemScores } from './item-item.ts';
import { choleskySolve, gram, plusDiagonal } from './linalg.ts';
import { type Saturation, saturate } from './saturation.ts';

export interface FoldInModel {
  nItems: number;
  dims: number;
  /** nItems × dims */
  itemFactors: Float32Array;
  /** Yᵀ diag(missing) Y over the trained item factors (float64, dims × dims) */
  gram: Float64Array;
  /** per-item weight of unobserved entries (absent = 1 for all) */
  missing?: Float32Array;
  /** strength saturation applied to summed history strengths (absent = raw strengths) */
  saturation?: Saturation;
  /** RP3beta neighbours whose normalised score is added to the ALS score (absent = ALS only) */
  itemItem?: ItemNeighbours;
  alpha: number;
  epsilon: number;
  regularization: number;
  regExponent: number;
}

/** Builds the fold-in view of trained item factors. */
export function foldInModel(
  itemFactors: Float32Array,
  nItems: number,
  dims: number,
  p: { alpha: number; epsilon: number; regularization: number; regExponent: number },
  missing?: Float32Array,
  saturation?: Saturation,
): FoldInModel {
  return {
    ...(saturation ? { saturation } : {}),
    nItems,
    dims,
    itemFactors,
    gram: gram(itemFactors, nItems, dims, 0, missing),
    ...(missing ? { missing } : {}),
    alpha: p.alpha,
    epsilon: p.epsilon,
    regularization: p.regularization,
    regExponent: p.regExponent,
  };
}

/** Sums the strengths of repeated items. */
function aggregateHistory(history: ArrayLike<number>, weights: ArrayLike<number>): Map<number, number> {
  const agg = new Map<number, number>();
  for (let k = 0; k < history.length; k++) agg.set(history[k]!, (agg.get(history[k]!) ?? 0) + weights[k]!);
  return agg;
}

/**
 * The user vector for a history.
 *
 * @example
 * const x = foldIn(model, [3, 17], [12, 1]);
 */
export function foldIn(m: FoldInModel, history: ArrayLike<number>, weights: ArrayLike<number>): Float32Array {
  return solveUser(m, aggregateHistory(history, weights));
}

function solveUser(m: FoldInModel, agg: ReadonlyMap<number, number>): Float32Array {
  const d = m.dims;
  const a = plusDiagonal(m.gram, d, rowRegularization(agg.size, m.regularization, m.regExponent));
  const b = new Float64Array(d);
  for (const [item, w] of agg) {
    const c = confidence(m.saturation ? saturate(w, item, m.saturation) : w, m);
    const o = item * d;
    for (let i = 0; i < d; i++) {
      const yi = m.itemFactors[o + i]!;
      b[i]! += c * yi;
      const s = (c - (m.missing ? m.missing[item]! : 1)) * yi;
      for (let j = 0; j < d; j++) a[i * d + j]! += s * m.itemFactors[o + j]!;
    }
  }
  choleskySolve(a, b, d);
  return Float32Array.from(b);
}

/** Scores of the given items (all items when omitted) for a user vector: yᵢ · user for each row i of `itemFactors`. */
export function scoreItems(
  m: Pick<FoldInModel, 'nItems' | 'dims' | 'itemFactors'>,
  user: Float32Array,
  candidates?: ArrayLike<number>,
): Float32Array {
  const d = m.dims;
  const n = candidates ? candidates.length : m.nItems;
  const out = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    const o = (candidates ? candidates[k]! : k) * d;
    let s = 0;
    for (let i = 0; i < d; i++) s += m.itemFactors[o + i]! * user[i]!;
    out[k] = s;
  }
  return out;
}

/**
 * What scorer.onnx outputs as `scores`: the ALS score of each candidate plus, when the model has
 * item-item neighbours, their blend term (train/item-item.ts).
 *
 * @example
 * const scores = scoreHistory(model, [3, 17], [12, 1], [5, 8, 9]);
 */
export function scoreHistory(
  m: FoldInModel,
  history: ArrayLike<number>,
  weights: ArrayLike<number>,
  candidates?: ArrayLike<number>,
): Float32Array {
  const agg = aggregateHistory(history, weights);
  const out = scoreItems(m, solveUser(m, agg), candidates);
  if (!m.itemItem) return out;
  const extra = itemItemScores(m.itemItem, m.nItems, agg);
  for (let k = 0; k < out.length; k++) out[k]! += extra[candidates ? candidates[k]! : k]!;
  return out;
}
