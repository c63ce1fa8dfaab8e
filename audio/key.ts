/**
 * Key and mode from a pitch-class profile (chroma).
 *
 * Chroma: every 93 ms, an 8192-point FFT (2.7 Hz per bin) of the last 372 ms; each local maximum of the
 * magnitude spectrum between 80 Hz and 2 kHz that stands within 60 dB of the frame's strongest peak
 * is located to a fraction of a bin (parabolic interpolation of the log magnitude), turned into a
 * MIDI pitch (A4 = 440 Hz), and adds its magnitude to that pitch's class, split linearly between
 * the two nearest semitones (a constant-Q-like folding of FFT peaks). Each frame's chroma is
 * normalised to sum 1 before it is added to the running total, so loud passages do not outvote
 * quiet ones. Only 12 running sums are kept.
 *
 * Key: Pearson correlation of the summed chroma with the 24 rotations of the Krumhansl–Kessler
 * major and minor profiles; the best one gives `key` (pitch class of the tonic, C = 0) and `mode`
 * (1 major, 0 minor); `confidence` is its correlation (−1 … 1).
 */

export const KRUMHANSL_MAJOR = [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88] as const;
export const KRUMHANSL_MINOR = [6.33, 2.68, 3.52, 5.38, 2.6, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17] as const;

export interface KeyEstimate {
  /** Pitch class of the tonic, C = 0 … B = 11; −1 when there is no pitched content. */
  key: number;
  /** 1 major, 0 minor. */
  mode: 0 | 1;
  confidence: number;
}

function pearson(a: ArrayLike<number>, b: ArrayLike<number>, shift: number): number {
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < 12; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= 12;
  mb /= 12;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < 12; i++) {
    const x = a[(i + shift) % 12]! - ma;
    const y = b[i]! - mb;
    num += x * y;
    da += x * x;
    db += y * y;
  }
  return da > 0 && db > 0 ? num / Math.sqrt(da * db) : 0;
}

/** Best of the 24 keys for a 12-bin chroma (index 0 = C). */
export function estimateKey(chroma: ArrayLike<number>, frames: number): KeyEstimate {
  let total = 0;
  for (let i = 0; i < 12; i++) total += chroma[i]!;
  if (frames === 0 || !(total > 0)) return { key: -1, mode: 1, confidence: 0 };
  let best = { key: -1, mode: 1 as 0 | 1, confidence: -2 };
  for (let tonic = 0; tonic < 12; tonic++) {
    const major = pearson(chroma, KRUMHANSL_MAJOR, tonic);
    const minor = pearson(chroma, KRUMHANSL_MINOR, tonic);
    if (major > best.confidence) best = { key: tonic, mode: 1, confidence: major };
    if (minor > best.confidence) best = { key: tonic, mode: 0, confidence: minor };
  }
  return best;
}

/** Adds the chroma of one magnitude spectrum (`mag[k]` for bin k of an FFT of `fftSize` at `sampleRate`) to `chroma`. */
export function addChroma(
  mag: Float32Array,
  fftSize: number,
  sampleRate: number,
  minHz: number,
  maxHz: number,
  chroma: Float64Array,
  scratch: Float64Array,
): boolean {
  const binHz = sampleRate / fftSize;
  const lo = Math.max(2, Math.floor(minHz / binHz));
  const hi = Math.min(mag.length - 2, Math.ceil(maxHz / binHz));
  let peak = 0;
  for (let k = lo; k <= hi; k++) if (mag[k]! > peak) peak = mag[k]!;
  if (!(peak > 1e-7)) return false;
  const floor = peak * 1e-3;
  scratch.fill(0);
  let sum = 0;
  for (let k = lo; k <= hi; k++) {
    const m = mag[k]!;
    if (m < floor || m < mag[k - 1]! || m < mag[k + 1]!) continue;
    const a = Math.log(mag[k - 1]! + 1e-12);
    const b = Math.log(m + 1e-12);
    const c = Math.log(mag[k + 1]! + 1e-12);
    const den = a - 2 * b + c;
    const delta = den < 0 ? Math.max(-0.5, Math.min(0.5, (0.5 * (a - c)) / den)) : 0;
    const f = (k + delta) * binHz;
    const midi = 69 + 12 * Math.log2(f / 440);
    const low = Math.floor(midi);
    const frac = midi - low;
    const pc = ((low % 12) + 12) % 12;
    scratch[pc]! += m * (1 - frac);
    scratch[(pc + 1) % 12]! += m * frac;
    sum += m;
  }
  if (!(sum > 0)) return false;
  for (let i = 0; i < 12; i++) chroma[i]! += scratch[i]! / sum;
  return true;
}
