/** Window, mel filterbank and DCT used by the analyser (and by a log-mel front end for an embedding model). */

export function hann(size: number): Float32Array {
  const w = new Float32Array(size);
  for (let i = 0; i < size; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / size);
  return w;
}

const hzToMel = (f: number) => 2595 * Math.log10(1 + f / 700);
const melToHz = (m: number) => 700 * (10 ** (m / 2595) - 1);

/** A sparse triangular mel filterbank (HTK scale) over the `fftSize / 2 + 1` bins of a real FFT. */
export interface MelFilterbank {
  bands: number;
  /** First bin of each band, and its weights from that bin on. */
  start: Int32Array;
  weights: Float32Array[];
}

export function melFilterbank(bands: number, fftSize: number, sampleRate: number, fMin = 0, fMax = sampleRate / 2): MelFilterbank {
  const mMin = hzToMel(fMin);
  const mMax = hzToMel(fMax);
  const edges = Array.from({ length: bands + 2 }, (_, i) => melToHz(mMin + ((mMax - mMin) * i) / (bands + 1)));
  const binHz = sampleRate / fftSize;
  const bins = fftSize / 2 + 1;
  const start = new Int32Array(bands);
  const weights: Float32Array[] = [];
  for (let b = 0; b < bands; b++) {
    const lo = edges[b]!;
    const mid = edges[b + 1]!;
    const hi = edges[b + 2]!;
    const first = Math.max(0, Math.ceil(lo / binHz));
    const last = Math.min(bins - 1, Math.floor(hi / binHz));
    const w: number[] = [];
    for (let k = first; k <= last; k++) {
      const f = k * binHz;
      w.push(f <= mid ? (f - lo) / Math.max(mid - lo, 1e-9) : (hi - f) / Math.max(hi - mid, 1e-9));
    }
    // A band narrower than a bin still gets its nearest bin.
    if (w.length === 0 || w.every((v) => v <= 0)) {
      start[b] = Math.min(bins - 1, Math.round(mid / binHz));
      weights.push(Float32Array.of(1));
    } else {
      start[b] = first;
      weights.push(Float32Array.from(w, (v) => Math.max(0, v)));
    }
  }
  return { bands, start, weights };
}

export function applyMel(fb: MelFilterbank, power: Float32Array, out: Float32Array): void {
  for (let b = 0; b < fb.bands; b++) {
    const w = fb.weights[b]!;
    const s = fb.start[b]!;
    let acc = 0;
    for (let i = 0; i < w.length; i++) acc += w[i]! * power[s + i]!;
    out[b] = acc;
  }
}

/** Orthonormal DCT-II matrix, `count` × `size`, row-major. */
export function dctMatrix(count: number, size: number): Float32Array {
  const m = new Float32Array(count * size);
  for (let k = 0; k < count; k++) {
    const norm = k === 0 ? Math.sqrt(1 / size) : Math.sqrt(2 / size);
    for (let n = 0; n < size; n++) m[k * size + n] = norm * Math.cos((Math.PI * k * (n + 0.5)) / size);
  }
  return m;
}
