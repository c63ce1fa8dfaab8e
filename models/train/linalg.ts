/** Small dense linear algebra on flat row-major arrays (D × D systems of the ALS solves). */

/** G = Yᵀ diag(w) Y (+ ridge on the diagonal) for Y with `rows` rows of `d` floats, in float64. */
export function gram(y: Float32Array, rows: number, d: number, ridge = 0, w?: Float32Array): Float64Array {
  const g = new Float64Array(d * d);
  for (let r = 0; r < rows; r++) {
    const o = r * d;
    const wr = w ? w[r]! : 1;
    for (let a = 0; a < d; a++) {
      const ya = y[o + a]! * wr;
      if (ya === 0) continue;
      const ga = a * d;
      for (let b = a; b < d; b++) g[ga + b]! += ya * y[o + b]!;
    }
  }
  for (let a = 0; a < d; a++) {
    g[a * d + a]! += ridge;
    for (let b = 0; b < a; b++) g[a * d + b] = g[b * d + a]!;
  }
  return g;
}

/** A copy of the d × d matrix `a` with `value` added to its diagonal (A + λI). */
export function plusDiagonal(a: Float64Array, d: number, value: number): Float64Array {
  const out = a.slice();
  for (let k = 0; k < d; k++) out[k * d + k]! += value;
  return out;
}

/** Factors SPD A in place into its lower Cholesky factor L (A = L Lᵀ); throws if A is not positive definite. */
export function choleskyFactor(a: Float64Array, d: number): void {
  for (let j = 0; j < d; j++) {
    let s = a[j * d + j]!;
    for (let k = 0; k < j; k++) s -= a[j * d + k]! * a[j * d + k]!;
    if (!(s > 0)) throw new Error('matrix is not positive definite');
    const ljj = Math.sqrt(s);
    a[j * d + j] = ljj;
    for (let i = j + 1; i < d; i++) {
      let t = a[i * d + j]!;
      for (let k = 0; k < j; k++) t -= a[i * d + k]! * a[j * d + k]!;
      a[i * d + j] = t / ljj;
    }
  }
}

/** Solves L Lᵀ x = b in place (b becomes x) for a factor from choleskyFactor. */
export function choleskySolveFactored(l: Float64Array, b: Float64Array, d: number): void {
  for (let i = 0; i < d; i++) {
    let t = b[i]!;
    for (let k = 0; k < i; k++) t -= l[i * d + k]! * b[k]!;
    b[i] = t / l[i * d + i]!;
  }
  for (let i = d - 1; i >= 0; i--) {
    let t = b[i]!;
    for (let k = i + 1; k < d; k++) t -= l[k * d + i]! * b[k]!;
    b[i] = t / l[i * d + i]!;
  }
}

/** Solves A x = b in place (b becomes x) for SPD A (destroyed: holds the factor afterwards). */
export function choleskySolve(a: Float64Array, b: Float64Array, d: number): void {
  choleskyFactor(a, d);
  choleskySolveFactored(a, b, d);
}

/** Inverse of an SPD matrix (float64), via d Cholesky solves; `a` is left as it was. */
export function invertSpd(a: Float64Array, d: number): Float64Array {
  const inv = new Float64Array(d * d);
  const l = a.slice();
  choleskyFactor(l, d);
  const e = new Float64Array(d);
  for (let c = 0; c < d; c++) {
    e.fill(0);
    e[c] = 1;
    choleskySolveFactored(l, e, d);
    for (let r = 0; r < d; r++) inv[r * d + c] = e[r]!;
  }
  return inv;
}
