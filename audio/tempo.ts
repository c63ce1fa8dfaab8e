/**
 * Tempo from the onset-strength envelope, in constant memory.
 *
 * The envelope (half-wave rectified spectral flux of ln(1 + 1000 · mel power) over 40 mel bands, 86 frames/s) is detrended (minus a 1.5 s
 * exponential moving average), scaled by a slow running level (so a quiet intro counts as much as a loud chorus),
 * and its autocorrelation is accumulated online for lags 0 … MAX_LAG from a ring of the last MAX_LAG
 * values: the state is a few kilobytes whatever the duration.
 *
 * At the end, a comb tempogram scores every candidate period τ (40–240 BPM, 0.1 % steps) as
 * Σₘ₌₁..₄ [A(mτ) − ½ A((m − ½)τ)] on the normalised autocorrelation A (cubic interpolation between
 * lags): multiples of the true period add up, and the half-period penalty stops slower multiples
 * from winning. The score is multiplied by a log-normal prior centred on 120 BPM (σ = 1 octave),
 * which settles octave ambiguity the way listeners tend to. Beat strength is A(τ) at the chosen
 * period, 0 … 1: near 1 for a metronome, near 0 for noise.
 */
import { TEMPO_MAX_BPM, TEMPO_MIN_BPM, TEMPO_PRIOR_BPM, TEMPO_PRIOR_OCTAVES } from './constants.ts';

export interface TempoEstimate {
  bpm: number;
  beatStrength: number;
  /** Onset frames that went into the estimate. */
  frames: number;
}

export class TempoTracker {
  readonly fps: number;
  readonly maxLag: number;
  private readonly ring: Float64Array;
  private readonly ac: Float64Array;
  private frames = 0;
  private trend = 0;
  private level = 0;
  private readonly trendAlpha: number;
  private readonly levelAlpha: number;
  fluxSum = 0;

  constructor(fps: number) {
    this.fps = fps;
    // The comb reads up to 4 periods of the slowest tempo.
    this.maxLag = Math.ceil((4 * 60 * fps) / TEMPO_MIN_BPM) + 3;
    this.ring = new Float64Array(this.maxLag + 1);
    this.ac = new Float64Array(this.maxLag + 1);
    this.trendAlpha = 1 / (1.5 * fps);
    this.levelAlpha = 1 / (8 * fps);
  }

  get retainedValues(): number {
    return this.ring.length + this.ac.length;
  }

  get frameCount(): number {
    return this.frames;
  }

  push(flux: number): void {
    this.fluxSum += flux;
    // Cumulative means until the averaging windows have filled, then exponential ones.
    const n = this.frames + 1;
    this.trend += Math.max(1 / n, this.trendAlpha) * (flux - this.trend);
    const d = flux - this.trend;
    this.level += Math.max(1 / n, this.levelAlpha) * (Math.abs(d) - this.level);
    const v = d / (this.level + 1e-3);
    const size = this.ring.length;
    const at = this.frames % size;
    this.ring[at] = v;
    const lags = Math.min(this.maxLag, this.frames);
    const ac = this.ac;
    const ring = this.ring;
    for (let lag = 0; lag <= lags; lag++) {
      let j = at - lag;
      if (j < 0) j += size;
      ac[lag]! += v * ring[j]!;
    }
    this.frames++;
  }

  /** Normalised autocorrelation at a fractional lag (Catmull-Rom between integer lags). */
  private acAt(lag: number): number {
    const i = Math.floor(lag);
    const f = lag - i;
    const a = this.ac;
    const at = (k: number) => a[Math.min(this.maxLag, Math.max(0, k))]!;
    const p0 = at(i - 1);
    const p1 = at(i);
    const p2 = at(i + 1);
    const p3 = at(i + 2);
    const v = p1 + 0.5 * f * (p2 - p0 + f * (2 * p0 - 5 * p1 + 4 * p2 - p3 + f * (3 * (p1 - p2) + p3 - p0)));
    return v / a[0]!;
  }

  estimate(): TempoEstimate {
    if (this.frames < 4 * this.fps || !(this.ac[0]! > 0)) return { bpm: 0, beatStrength: 0, frames: this.frames };
    let best = -Infinity;
    let bestBpm = 0;
    const ratio = 1.001;
    for (let bpm = TEMPO_MIN_BPM; bpm <= TEMPO_MAX_BPM; bpm *= ratio) {
      const tau = (60 * this.fps) / bpm;
      let s = 0;
      for (let m = 1; m <= 4; m++) s += this.acAt(m * tau) - 0.5 * this.acAt((m - 0.5) * tau);
      const octaves = Math.log2(bpm / TEMPO_PRIOR_BPM) / TEMPO_PRIOR_OCTAVES;
      const score = (s / 4) * Math.exp(-0.5 * octaves * octaves);
      if (score > best) {
        best = score;
        bestBpm = bpm;
      }
    }
    const strength = Math.min(1, Math.max(0, this.acAt((60 * this.fps) / bestBpm)));
    return { bpm: bestBpm, beatStrength: strength, frames: this.frames };
  }
}
