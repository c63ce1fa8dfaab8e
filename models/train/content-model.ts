/**
 * The cold-start content model: ridge regression from item content features to the collaborative
 * item factors, so a new item lands where items with similar tags/genre/audio already live.
 * Binary columns are scaled by inverse document frequency and each row L2-normalised first (a
 * rare tag says more than "rock"; an item with 40 tags should not outweigh one with 3); both steps
 * are inside content.onnx, so callers pass raw 0/1 and standardised values.
 */
import { choleskyFactor, choleskySolveFactored } from './linalg.ts';

export interface ContentModel {
  features: number;
  dims: number;
  /** per-column scale applied before row normalisation */
  scale: Float32Array;
  /** F × D */
  weights: Float32Array;
  /** D */
  bias: Float32Array;
}

/** Per-column idf-style scale: ln(N / (1 + df)) + 1 for 0/1 columns, 1 for continuous ones. */
export function columnScales(x: Float32Array, rows: number, f: number): Float32Array {
  const scale = new Float32Array(f);
  for (let j = 0; j < f; j++) {
    let df = 0;
    let binary = true;
    for (let i = 0; i < rows; i++) {
      const v = x[i * f + j]!;
      if (v !== 0) df++;
      if (v !== 0 && v !== 1) binary = false;
    }
    scale[j] = binary ? Math.log(rows / (1 + df)) + 1 : 1;
  }
  return scale;
}

/** The preprocessing content.onnx applies: column scale, then row L2 normalisation. */
export function preprocess(x: Float32Array, rows: number, scale: Float32Array): Float32Array {
  const f = scale.length;
  const out = new Float32Array(x.length);
  for (let i = 0; i < rows; i++) {
    let norm = 0;
    for (let j = 0; j < f; j++) {
      const v = x[i * f + j]! * scale[j]!;
      out[i * f + j] = v;
      norm += v * v;
    }
    const inv = 1 / (Math.sqrt(norm) + 1e-6);
    for (let j = 0; j < f; j++) out[i * f + j]! *= inv;
  }
  return out;
}

/**
 * Fits W, b minimising Σ_i ‖φ_i W + b − y_i‖² + β‖W‖² over the rows in `train`.
 *
 * @example
 * const cm = fitContentModel(features, nItems, nFeatures, itemFactors, dims, trainedItems, 1);
 */
export function fitContentModel(
  x: Float32Array,
  rows: number,
  f: number,
  y: Float32Array,
  d: number,
  train: ArrayLike<number>,
  ridge: number,
): ContentModel {
  const scale = columnScales(x, rows, f);
  const phi = preprocess(x, rows, scale);
  const n = train.length;
  const meanPhi = new Float64Array(f);
  const meanY = new Float64Array(d);
  for (let t = 0; t < n; t++) {
    const i = train[t]!;
    for (let j = 0; j < f; j++) meanPhi[j]! += phi[i * f + j]! / n;
    for (let k = 0; k < d; k++) meanY[k]! += y[i * d + k]! / n;
  }
  // Centred normal equations from sparse rows: Σ(φ−m)(φ−m)ᵀ = Σφφᵀ − n·m mᵀ, likewise for Σ(φ−m)(y−ȳ)ᵀ.
  const a = new Float64Array(f * f);
  const b = new Float64Array(f * d);
  const nz: number[] = [];
  for (let t = 0; t < n; t++) {
    const i = train[t]!;
    nz.length = 0;
    for (let j = 0; j < f; j++) if (phi[i * f + j] !== 0) nz.push(j);
    for (const p of nz) {
      const vp = phi[i * f + p]!;
      for (const q of nz) if (q >= p) a[p * f + q]! += vp * phi[i * f + q]!;
      for (let k = 0; k < d; k++) b[p * d + k]! += vp * y[i * d + k]!;
    }
  }
  for (let p = 0; p < f; p++) {
    for (let q = p; q < f; q++) a[p * f + q]! -= n * meanPhi[p]! * meanPhi[q]!;
    for (let k = 0; k < d; k++) b[p * d + k]! -= n * meanPhi[p]! * meanY[k]!;
  }
  for (let p = 0; p < f; p++) {
    a[p * f + p]! += ridge;
    for (let q = 0; q < p; q++) a[p * f + q] = a[q * f + p]!;
  }
  const weights = new Float32Array(f * d);
  const col = new Float64Array(f);
  choleskyFactor(a, f);
  for (let k = 0; k < d; k++) {
    for (let p = 0; p < f; p++) col[p] = b[p * d + k]!;
    choleskySolveFactored(a, col, f);
    for (let p = 0; p < f; p++) weights[p * d + k] = col[p]!;
  }
  const bias = new Float32Array(d);
  for (let k = 0; k < d; k++) {
    let s = meanY[k]!;
    for (let p = 0; p < f; p++) s -= meanPhi[p]! * weights[p * d + k]!;
    bias[k] = s;
  }
  return { features: f, dims: d, scale, weights, bias };
}

/** Embeds rows of raw features (the TypeScript twin of content.onnx). */
export function embedContent(m: ContentModel, x: Float32Array, rows: number): Float32Array {
  const phi = preprocess(x, rows, m.scale);
  const f = m.features;
  const d = m.dims;
  const out = new Float32Array(rows * d);
  for (let i = 0; i < rows; i++) {
    for (let k = 0; k < d; k++) {
      let s = m.bias[k]!;
      for (let j = 0; j < f; j++) {
        const v = phi[i * f + j]!;
        if (v !== 0) s += v * m.weights[j * d + k]!;
      }
      out[i * d + k] = s;
    }
  }
  return out;
}
