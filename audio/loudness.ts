/**
 * Integrated loudness after ITU-R BS.1770-4 / EBU R128, streaming and in constant memory.
 *
 * - K-weighting: the two biquads of BS.1770 (high-shelf "pre-filter" and RLB high-pass), with
 *   coefficients computed for the actual sample rate from their analogue prototypes (the same
 *   derivation as libebur128 and ffmpeg's ebur128 filter), run per channel in direct form II transposed.
 * - 400 ms gating blocks with 75 % overlap: energies are summed in 100 ms steps, and each block is
 *   the last four steps.
 * - Gating: absolute gate −70 LUFS, relative gate −10 LU below the ungated mean of the blocks that
 *   pass the absolute gate. Blocks go into a histogram of 0.01 LU bins that keeps each bin's count and
 *   energy sum, so memory does not grow with the duration and the result is exact up to blocks lying
 *   within 0.01 LU of the relative threshold.
 */

export interface Biquad {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

/** BS.1770 K-weighting biquads for sample rate `fs` (Hz). At 48 kHz they equal the table of the standard. */
export function kWeighting(fs: number): { shelf: Biquad; highPass: Biquad } {
  // Stage 1: high shelf, +4 dB above ~1.7 kHz.
  let f0 = 1681.974450955533;
  const gain = 3.999843853973347;
  let q = 0.7071752369554196;
  let k = Math.tan((Math.PI * f0) / fs);
  const vh = 10 ** (gain / 20);
  const vb = vh ** 0.4996667741545416;
  let a0 = 1 + k / q + k * k;
  const shelf: Biquad = {
    b0: (vh + (vb * k) / q + k * k) / a0,
    b1: (2 * (k * k - vh)) / a0,
    b2: (vh - (vb * k) / q + k * k) / a0,
    a1: (2 * (k * k - 1)) / a0,
    a2: (1 - k / q + k * k) / a0,
  };
  // Stage 2: RLB high-pass at ~38 Hz.
  f0 = 38.13547087602444;
  q = 0.5003270373238773;
  k = Math.tan((Math.PI * f0) / fs);
  a0 = 1 + k / q + k * k;
  const highPass: Biquad = { b0: 1, b1: -2, b2: 1, a1: (2 * (k * k - 1)) / a0, a2: (1 - k / q + k * k) / a0 };
  return { shelf, highPass };
}

/** BS.1770 channel weights: 1 for L, R, C; 1.41 for surrounds; the LFE of a 5.1 layout is left out. */
export function channelWeights(channels: number): number[] {
  if (channels === 6) return [1, 1, 1, 0, 1.41, 1.41];
  if (channels === 5) return [1, 1, 1, 1.41, 1.41];
  return Array.from({ length: channels }, () => 1);
}

const ABSOLUTE_GATE = -70;
const RELATIVE_GATE = -10;
const HIST_MIN = -70;
const HIST_MAX = 10;
const HIST_STEP = 0.01;
const HIST_BINS = Math.round((HIST_MAX - HIST_MIN) / HIST_STEP);

const energyToLufs = (e: number) => -0.691 + 10 * Math.log10(e);

export interface LoudnessResult {
  /** Integrated loudness, LUFS; -Infinity when every block is below the absolute gate (silence). */
  integrated: number;
  /** Standard deviation of the loudness of the blocks that pass both gates, LU (a simple dynamics measure). */
  blockStdLu: number;
  /** Blocks measured (one per 100 ms after the first 400 ms) and blocks that passed both gates. */
  blocks: number;
  gatedBlocks: number;
}

export class LoudnessMeter {
  readonly sampleRate: number;
  readonly channels: number;
  private readonly weights: number[];
  private readonly shelf: Biquad;
  private readonly highPass: Biquad;
  /** Filter state per channel: [shelf z1, shelf z2, high-pass z1, high-pass z2]. */
  private readonly state: Float64Array;
  private readonly stepLength: number;
  private stepFill = 0;
  private stepEnergy = 0;
  /** The last four 100 ms step energies (sums of weighted squares), a ring. */
  private readonly steps = new Float64Array(4);
  private stepCount = 0;
  private readonly histCount = new Float64Array(HIST_BINS);
  private readonly histEnergy = new Float64Array(HIST_BINS);
  private blocks = 0;

  constructor(sampleRate: number, channels: number) {
    this.sampleRate = sampleRate;
    this.channels = channels;
    this.weights = channelWeights(channels);
    const { shelf, highPass } = kWeighting(sampleRate);
    this.shelf = shelf;
    this.highPass = highPass;
    this.state = new Float64Array(4 * channels);
    this.stepLength = Math.round(sampleRate / 10);
  }

  /** Feeds samples `start … end-1` of every channel (all channels must be this meter's channel count). */
  push(data: readonly Float32Array[], start = 0, end = data[0]?.length ?? 0): void {
    const { shelf: s, highPass: h, state, weights } = this;
    const n = end - start;
    let i = 0;
    while (i < n) {
      const take = Math.min(n - i, this.stepLength - this.stepFill);
      let energy = 0;
      for (let c = 0; c < this.channels; c++) {
        const w = weights[c]!;
        if (w === 0) continue;
        const x = data[c]!;
        const o = 4 * c;
        let z1 = state[o]!;
        let z2 = state[o + 1]!;
        let y1 = state[o + 2]!;
        let y2 = state[o + 3]!;
        let sum = 0;
        for (let j = start + i, stop = start + i + take; j < stop; j++) {
          const v = x[j]!;
          const u = s.b0 * v + z1;
          z1 = s.b1 * v - s.a1 * u + z2;
          z2 = s.b2 * v - s.a2 * u;
          const y = h.b0 * u + y1;
          y1 = h.b1 * u - h.a1 * y + y2;
          y2 = h.b2 * u - h.a2 * y;
          sum += y * y;
        }
        state[o] = z1;
        state[o + 1] = z2;
        state[o + 2] = y1;
        state[o + 3] = y2;
        energy += w * sum;
      }
      this.stepEnergy += energy;
      this.stepFill += take;
      i += take;
      if (this.stepFill === this.stepLength) this.closeStep();
    }
  }

  private closeStep(): void {
    this.steps[this.stepCount % 4] = this.stepEnergy;
    this.stepCount++;
    this.stepEnergy = 0;
    this.stepFill = 0;
    if (this.stepCount < 4) return;
    this.blocks++;
    const z = (this.steps[0]! + this.steps[1]! + this.steps[2]! + this.steps[3]!) / (4 * this.stepLength);
    if (z <= 0) return;
    const l = energyToLufs(z);
    if (l <= ABSOLUTE_GATE) return;
    const bin = Math.min(HIST_BINS - 1, Math.max(0, Math.floor((l - HIST_MIN) / HIST_STEP)));
    this.histCount[bin]!++;
    this.histEnergy[bin]! += z;
  }

  /** Values retained whatever the duration (for the memory-boundedness test). */
  get retainedValues(): number {
    return this.state.length + this.steps.length + this.histCount.length + this.histEnergy.length;
  }

  result(): LoudnessResult {
    let count = 0;
    let energy = 0;
    for (let b = 0; b < HIST_BINS; b++) {
      count += this.histCount[b]!;
      energy += this.histEnergy[b]!;
    }
    if (count === 0) return { integrated: Number.NEGATIVE_INFINITY, blockStdLu: 0, blocks: this.blocks, gatedBlocks: 0 };
    const threshold = energyToLufs(energy / count) + RELATIVE_GATE;
    let gCount = 0;
    let gEnergy = 0;
    let sumL = 0;
    let sumL2 = 0;
    for (let b = 0; b < HIST_BINS; b++) {
      const c = this.histCount[b]!;
      if (c === 0) continue;
      const centre = HIST_MIN + (b + 0.5) * HIST_STEP;
      if (centre <= threshold) continue;
      gCount += c;
      gEnergy += this.histEnergy[b]!;
      sumL += c * centre;
      sumL2 += c * centre * centre;
    }
    if (gCount === 0) return { integrated: Number.NEGATIVE_INFINITY, blockStdLu: 0, blocks: this.blocks, gatedBlocks: 0 };
    const mean = sumL / gCount;
    return {
      integrated: energyToLufs(gEnergy / gCount),
      blockStdLu: Math.sqrt(Math.max(0, sumL2 / gCount - mean * mean)),
      blocks: this.blocks,
      gatedBlocks: gCount,
    };
  }
}
