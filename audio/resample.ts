/**
 * Streaming band-limited resampler (windowed sinc, Blackman window, 16 zero crossings), for any
 * pair of rates. The low-pass cut-off sits at 92 % of the lower Nyquist frequency, so downsampling
 * does not fold the top octave back into the band the analyser reads. It keeps only the input
 * samples the kernel still needs (about 2 × 16 / cut-off of them), never the whole signal.
 */

const ZERO_CROSSINGS = 16;
const TABLE_PHASES = 512;

export class StreamingResampler {
  readonly inRate: number;
  readonly outRate: number;
  /** Half-width of the kernel in input samples. */
  private readonly half: number;
  private readonly scale: number;
  private readonly table: Float32Array;
  private buf: Float32Array;
  /** Absolute input index of buf[0], and how many samples buf holds. */
  private bufStart: number;
  private bufLen = 0;
  /** Index of the next output sample. */
  private produced = 0;
  private consumed = 0;
  private readonly passthrough: boolean;

  constructor(inRate: number, outRate: number) {
    if (!(inRate > 0 && outRate > 0)) throw new Error(`Bad sample rates ${inRate} → ${outRate}`);
    this.inRate = inRate;
    this.outRate = outRate;
    this.passthrough = inRate === outRate;
    // Cut-off in cycles per input sample.
    const fc = 0.5 * Math.min(1, outRate / inRate) * 0.92;
    this.half = ZERO_CROSSINGS / (2 * fc);
    this.scale = 2 * fc;
    const size = Math.ceil(this.half * TABLE_PHASES) + 2;
    this.table = new Float32Array(size);
    for (let i = 0; i < size; i++) {
      const x = i / TABLE_PHASES;
      if (x >= this.half) continue;
      const u = 2 * fc * x;
      const sinc = u === 0 ? 1 : Math.sin(Math.PI * u) / (Math.PI * u);
      const r = x / this.half; // 0 … 1 from the centre to the edge
      const w = 0.42 + 0.5 * Math.cos(Math.PI * r) + 0.08 * Math.cos(2 * Math.PI * r);
      this.table[i] = this.scale * sinc * w;
    }
    const history = Math.ceil(this.half) + 1;
    this.buf = new Float32Array(4096 + 2 * history);
    // Silence before the first sample.
    this.bufStart = -history;
    this.bufLen = history;
  }

  /** Input samples held between calls (bounded by the kernel width plus one call's input). */
  get pending(): number {
    return this.bufLen;
  }

  /** Resamples `input` and hands each produced block to `emit` (the block is reused: copy it to keep it). */
  process(input: Float32Array, emit: (out: Float32Array) => void): void {
    this.consumed += input.length;
    if (this.passthrough) {
      if (input.length > 0) emit(input);
      return;
    }
    // Feed in slices so the buffer stays small whatever the caller's chunk size.
    for (let off = 0; off < input.length; off += 4096) {
      const slice = input.subarray(off, Math.min(input.length, off + 4096));
      this.append(slice);
      this.drain(emit);
    }
  }

  /** Pads with silence to produce the output that corresponds to the last input samples. */
  flush(emit: (out: Float32Array) => void): void {
    if (this.passthrough) return;
    const target = Math.floor((this.consumed * this.outRate) / this.inRate);
    const pad = new Float32Array(Math.ceil(this.half) + 2);
    this.append(pad);
    this.drain(emit, target);
  }

  private append(x: Float32Array): void {
    if (this.bufLen + x.length > this.buf.length) {
      const bigger = new Float32Array(Math.max(this.buf.length * 2, this.bufLen + x.length));
      bigger.set(this.buf.subarray(0, this.bufLen));
      this.buf = bigger;
    }
    this.buf.set(x, this.bufLen);
    this.bufLen += x.length;
  }

  private out = new Float32Array(2048);

  private drain(emit: (out: Float32Array) => void, limit = Number.POSITIVE_INFINITY): void {
    const { buf, table, half } = this;
    const end = this.bufStart + this.bufLen; // first absolute index not yet available
    let n = 0;
    for (;;) {
      if (this.produced >= limit) break;
      const t = (this.produced * this.inRate) / this.outRate;
      const lo = Math.ceil(t - half);
      const hi = Math.floor(t + half);
      if (hi >= end) break;
      let acc = 0;
      for (let k = lo; k <= hi; k++) {
        const pos = Math.abs(t - k) * TABLE_PHASES;
        const i = pos | 0;
        const f = pos - i;
        const h = table[i]! + f * (table[i + 1]! - table[i]!);
        acc += buf[k - this.bufStart]! * h;
      }
      this.out[n++] = acc;
      this.produced++;
      if (n === this.out.length) {
        emit(this.out);
        n = 0;
      }
    }
    if (n > 0) emit(this.out.subarray(0, n));
    // Drop what no future output needs.
    const t = (this.produced * this.inRate) / this.outRate;
    const keepFrom = Math.max(this.bufStart, Math.ceil(t - half) - 1);
    const drop = keepFrom - this.bufStart;
    if (drop > 0) {
      this.buf.copyWithin(0, drop, this.bufLen);
      this.bufLen -= drop;
      this.bufStart = keepFrom;
    }
  }
}
