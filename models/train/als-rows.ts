/**
 * One half-step of implicit ALS for a range of rows: for each row u, with observed items i and
 * confidences c_ui, minimise  Σ_all (p_ui − xᵀy_i)² weighted by c (c = 1 when unobserved) + λ_u‖x‖²,
 * i.e. solve (YᵀY + Yᵀ(C_u − I)Y + λ_u I) x = Yᵀ C_u p_u.
 * Uses warm-started conjugate gradient (Takács et al. 2011): a few steps per row per sweep cost
 * O(n_u·D + D²) each instead of the O(n_u·D² + D³) of a direct solve, and converge across sweeps.
 * Pure function over typed arrays so worker threads can run it on shared memory.
 */
import { confidence, rowRegularization } from './confidence.ts';

export interface RowSolveParams {
  factors: number;
  alpha: number;
  epsilon: number;
  regularization: number;
  regExponent: number;
  cgSteps: number;
}

export interface RowRange {
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
  start: number;
  end: number;
}

/**
 * Weight of an unobserved (row, col) entry = rowMissing[row] · colMissing[col] (1 when absent):
 * item-dependent missing weights (He et al. 2016, eALS) keep every solve exact because the
 * unobserved part is still one D × D matrix, g = Σ_col w_col y yᵀ, scaled per row.
 */
export interface MissingWeights {
  row?: Float32Array;
  col?: Float32Array;
}

/** Per-item missing weights as one half-step sees them: columns when solving users, rows when solving items. */
export const missingFor = (side: 'user' | 'item', missing?: Float32Array): MissingWeights =>
  !missing ? {} : side === 'user' ? { col: missing } : { row: missing };

/**
 * Updates x rows [start, end) in place; returns this range's share of the training loss when
 * `withLoss` (it costs one more pass over the entries, so only the item half-step asks for it).
 */
export function solveRows(
  p: RowSolveParams,
  m: RowRange,
  x: Float32Array,
  y: Float32Array,
  g: Float64Array,
  missing: MissingWeights = {},
  withLoss = true,
): number {
  const d = p.factors;
  const xs = new Float64Array(d);
  const r = new Float64Array(d);
  const dir = new Float64Array(d);
  const ap = new Float64Array(d);
  const conf: number[] = [];
  /** c − missing weight: what an observed entry adds on top of the unobserved part */
  const corr: number[] = [];
  let loss = 0;
  for (let u = m.start; u < m.end; u++) {
    const s = m.indptr[u]!;
    const e = m.indptr[u + 1]!;
    const lambda = rowRegularization(e - s, p.regularization, p.regExponent);
    const xo = u * d;
    for (let k = 0; k < d; k++) xs[k] = x[xo + k]!;
    const rowW = missing.row ? missing.row[u]! : 1;
    conf.length = 0;
    corr.length = 0;
    for (let q = s; q < e; q++) {
      const c = confidence(m.values[q]!, p);
      conf.push(c);
      corr.push(c - rowW * (missing.col ? missing.col[m.indices[q]!]! : 1));
    }
    // r = b − A x
    applyA(g, rowW, y, m.indices, corr, s, e, lambda, xs, r, d);
    for (let k = 0; k < d; k++) r[k] = -r[k]!;
    for (let q = s; q < e; q++) {
      const yo = m.indices[q]! * d;
      const c = conf[q - s]!;
      for (let k = 0; k < d; k++) r[k]! += c * y[yo + k]!;
    }
    let rs = 0;
    for (let k = 0; k < d; k++) {
      dir[k] = r[k]!;
      rs += r[k]! * r[k]!;
    }
    for (let it = 0; it < p.cgSteps && rs > 1e-20; it++) {
      applyA(g, rowW, y, m.indices, corr, s, e, lambda, dir, ap, d);
      let pap = 0;
      for (let k = 0; k < d; k++) pap += dir[k]! * ap[k]!;
      const a = rs / pap;
      let rsNew = 0;
      for (let k = 0; k < d; k++) {
        xs[k]! += a * dir[k]!;
        r[k]! -= a * ap[k]!;
        rsNew += r[k]! * r[k]!;
      }
      const beta = rsNew / rs;
      for (let k = 0; k < d; k++) dir[k] = r[k]! + beta * dir[k]!;
      rs = rsNew;
    }
    for (let k = 0; k < d; k++) x[xo + k] = xs[k]!;
    if (withLoss) loss += rowLoss(g, rowW, y, m.indices, conf, corr, s, e, lambda, xs, d);
  }
  return loss;
}

/** out = (w·G + λI + Σ (c − missing) y yᵀ) v */
function applyA(
  g: Float64Array,
  rowW: number,
  y: Float32Array,
  idx: Int32Array,
  corr: number[],
  s: number,
  e: number,
  lambda: number,
  v: Float64Array,
  out: Float64Array,
  d: number,
): void {
  for (let a = 0; a < d; a++) {
    let t = 0;
    const ga = a * d;
    for (let b = 0; b < d; b++) t += g[ga + b]! * v[b]!;
    out[a] = rowW * t + lambda * v[a]!;
  }
  for (let q = s; q < e; q++) {
    const yo = idx[q]! * d;
    let dot = 0;
    for (let k = 0; k < d; k++) dot += y[yo + k]! * v[k]!;
    const w = corr[q - s]! * dot;
    for (let k = 0; k < d; k++) out[k]! += w * y[yo + k]!;
  }
}

/** Row's loss: Σ_i c_i (p_i − xᵀy_i)² over all items + λ‖x‖², using w·xᵀGx for the unobserved part. */
function rowLoss(
  g: Float64Array,
  rowW: number,
  y: Float32Array,
  idx: Int32Array,
  conf: number[],
  corr: number[],
  s: number,
  e: number,
  lambda: number,
  x: Float64Array,
  d: number,
): number {
  let l = 0;
  let xx = 0;
  for (let a = 0; a < d; a++) {
    let t = 0;
    const ga = a * d;
    for (let b = 0; b < d; b++) t += g[ga + b]! * x[b]!;
    l += rowW * x[a]! * t;
    xx += x[a]! * x[a]!;
  }
  for (let q = s; q < e; q++) {
    const yo = idx[q]! * d;
    let dot = 0;
    for (let k = 0; k < d; k++) dot += y[yo + k]! * x[k]!;
    const c = conf[q - s]!;
    // observed: c(1 − dot)² replaces the missing-weighted dot² already counted in w·xᵀGx
    l += c * (1 - dot) ** 2 - (c - corr[q - s]!) * dot * dot;
  }
  return l + lambda * xx;
}
