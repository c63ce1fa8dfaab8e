/**
 * The streaming audio analyser. Pure TypeScript (no Node APIs, no WebAssembly), so the Worker can
 * run it too.
 *
 * Feed it PCM as it is decoded, `push(channels, sampleRate)` with one Float32Array per channel and
 * any sample rate, then `finish()`. On the way in it
 * - measures BS.1770 loudness on the original channels at the original rate (loudness.ts),
 * - downmixes to mono and resamples to 22 050 Hz (resample.ts),
 * - cuts 2048-point frames every 256 samples (onset envelope → tempo; every second one also MFCCs
 *   and spectral statistics) and 8192-point frames every 2048 samples (chroma → key).
 *
 * Memory: nothing proportional to the number of samples is kept. The retained state is fixed-size
 * (an 8192-sample mono window, the resampler's kernel history, a 520-lag onset autocorrelation,
 * 12 chroma sums, a loudness histogram of 8000 bins, running sums and Welford moments), so peak
 * memory is O(1) in the duration — in particular O(frames) at worst and never O(samples) — plus
 * whatever the caller's chunk holds. `stats()` reports the frame counts and retained sizes.
 */
import FFT from 'fft.js';
import {
  ANALYSIS_SAMPLE_RATE,
  CHROMA_FRAME_SIZE,
  CHROMA_HOP,
  CHROMA_MAX_HZ,
  CHROMA_MIN_HZ,
  FRAME_SIZE,
  MEL_BANDS,
  MFCC_COUNT,
  ONSET_HOP,
  TIMBRE_EVERY,
} from './constants.ts';
import { type AudioFeatureEstimates, heuristics } from './heuristics.ts';
import { addChroma, estimateKey } from './key.ts';
import { LoudnessMeter } from './loudness.ts';
import { StreamingResampler } from './resample.ts';
import { applyMel, dctMatrix, hann, type MelFilterbank, melFilterbank } from './spectral.ts';
import { TempoTracker } from './tempo.ts';

/** Everything the analyser extracts from one recording. */
export interface AudioAnalysis extends AudioFeatureEstimates {
  /** Beats per minute (0 when the signal is too short or has no pulse). */
  tempo: number;
  /** Normalised onset autocorrelation at the beat period, 0 … 1. */
  beat_strength: number;
  /** Tonic pitch class, C = 0 … B = 11; −1 when nothing is pitched. */
  key: number;
  /** 1 major, 0 minor. */
  mode: 0 | 1;
  /** Correlation of the chroma with the chosen key profile, −1 … 1. */
  key_confidence: number;
  /** Integrated loudness, LUFS (BS.1770-4 gating); −70 for silence (the catalogue's floor). */
  loudness: number;
  duration_ms: number;
  /** 13 MFCC means then 13 MFCC standard deviations, over the frames that are not silent. */
  timbre: number[];
  sample_rate: number;
  channels: number;
}

export interface AnalyserStats {
  /** Input samples per channel read so far. */
  inputSamples: number;
  /** Mono samples at 22 050 Hz produced so far. */
  analysisSamples: number;
  onsetFrames: number;
  timbreFrames: number;
  chromaFrames: number;
  loudnessBlocks: number;
  /** Numbers held in buffers and accumulators (independent of the duration). */
  retainedValues: number;
}

const MONO_CAPACITY = CHROMA_FRAME_SIZE + 4096;
const SILENT_POWER = 1e-8; // mean bin power of a frame below about −80 dBFS
const LOG_FLOOR = 1e-9;
/** Onset flux runs on ln(1 + γ · mel power): logarithmic for loud sounds, near-linear (so faint ones count little) below about −30 dBFS. */
const FLUX_COMPRESSION = 1e3;

export class AudioAnalyser {
  private inRate = 0;
  private channelCount = 0;
  private inputSamples = 0;
  private loudness: LoudnessMeter | null = null;
  private resampler: StreamingResampler | null = null;
  private downmix = new Float32Array(0);
  private finished = false;

  private readonly mono = new Float32Array(MONO_CAPACITY);
  private monoLen = CHROMA_FRAME_SIZE; // starts with a window of silence
  private sinceHop = 0;
  private hops = 0;
  private analysisSamples = 0;

  private readonly fft = new FFT(FRAME_SIZE);
  private readonly fftChroma = new FFT(CHROMA_FRAME_SIZE);
  private readonly window = hann(FRAME_SIZE);
  private readonly windowChroma = hann(CHROMA_FRAME_SIZE);
  private readonly frame = new Float32Array(FRAME_SIZE);
  private readonly frameChroma = new Float32Array(CHROMA_FRAME_SIZE);
  private readonly spectrum: number[];
  private readonly spectrumChroma: number[];
  private readonly power = new Float32Array(FRAME_SIZE / 2 + 1);
  private readonly magChroma = new Float32Array(CHROMA_FRAME_SIZE / 2 + 1);
  private readonly mel: MelFilterbank = melFilterbank(MEL_BANDS, FRAME_SIZE, ANALYSIS_SAMPLE_RATE);
  private readonly melPower = new Float32Array(MEL_BANDS);
  private readonly melDb = new Float32Array(MEL_BANDS);
  private readonly prevMel = new Float32Array(MEL_BANDS);
  private readonly dct = dctMatrix(MFCC_COUNT, MEL_BANDS);
  private readonly tempo = new TempoTracker(ANALYSIS_SAMPLE_RATE / ONSET_HOP);

  private readonly chroma = new Float64Array(12);
  private readonly chromaScratch = new Float64Array(12);
  private chromaFrames = 0;
  private chromaVoiced = 0;

  // Welford moments of the MFCCs and running sums of the spectral statistics (non-silent frames).
  private timbreFrames = 0;
  private activeFrames = 0;
  private readonly mfccMean = new Float64Array(MFCC_COUNT);
  private readonly mfccM2 = new Float64Array(MFCC_COUNT);
  private readonly mfcc = new Float64Array(MFCC_COUNT);
  private centroidSum = 0;
  private flatnessSum = 0;
  private highSum = 0;
  private totalSum = 0;
  // Speech-band modulation: band-passed (difference of a fast and a slow average) log energies.
  private speechFast = 0;
  private speechSlow = 0;
  private otherFast = 0;
  private otherSlow = 0;
  private speechModSum = 0;
  private otherModSum = 0;
  private bins: { flatLo: number; flatHi: number; high: number; speechLo: number; speechHi: number };

  constructor() {
    this.spectrum = this.fft.createComplexArray() as number[];
    this.spectrumChroma = this.fftChroma.createComplexArray() as number[];
    const binHz = ANALYSIS_SAMPLE_RATE / FRAME_SIZE;
    this.bins = {
      flatLo: Math.round(100 / binHz),
      flatHi: Math.round(10_000 / binHz),
      high: Math.round(5_000 / binHz),
      speechLo: Math.round(300 / binHz),
      speechHi: Math.round(3_400 / binHz),
    };
  }

  /**
   * Feeds one block of PCM: one Float32Array per channel (all the same length), samples in −1 … 1.
   * The sample rate and channel count must stay the same for the whole recording.
   */
  push(channels: readonly Float32Array[], sampleRate: number): void {
    if (this.finished) throw new Error('AudioAnalyser: push() after finish()');
    if (channels.length === 0) return;
    if (this.inRate === 0) {
      if (!(sampleRate >= 1000 && sampleRate <= 768_000)) throw new Error(`Unsupported sample rate ${sampleRate} Hz`);
      this.inRate = sampleRate;
      this.channelCount = channels.length;
      this.loudness = new LoudnessMeter(sampleRate, channels.length);
      this.resampler = new StreamingResampler(sampleRate, ANALYSIS_SAMPLE_RATE);
    } else if (sampleRate !== this.inRate || channels.length !== this.channelCount) {
      throw new Error(
        `The stream changed from ${this.channelCount} channel(s) at ${this.inRate} Hz to ${channels.length} at ${sampleRate} Hz mid-file`,
      );
    }
    const length = channels[0]!.length;
    for (const c of channels) if (c.length !== length) throw new Error('AudioAnalyser: channels of one block differ in length');
    this.inputSamples += length;
    this.loudness!.push(channels, 0, length);
    // Downmix in slices so the scratch buffer stays small.
    const slice = 8192;
    if (this.downmix.length < Math.min(slice, length)) this.downmix = new Float32Array(slice);
    const scale = 1 / channels.length;
    for (let off = 0; off < length; off += slice) {
      const n = Math.min(slice, length - off);
      const out = this.downmix.subarray(0, n);
      out.set(channels[0]!.subarray(off, off + n));
      for (let c = 1; c < channels.length; c++) {
        const x = channels[c]!;
        for (let i = 0; i < n; i++) out[i]! += x[off + i]!;
      }
      if (scale !== 1) for (let i = 0; i < n; i++) out[i]! *= scale;
      this.resampler!.process(out, this.feedMono);
    }
  }

  private readonly feedMono = (x: Float32Array): void => {
    let i = 0;
    while (i < x.length) {
      if (this.monoLen === MONO_CAPACITY) {
        this.mono.copyWithin(0, MONO_CAPACITY - CHROMA_FRAME_SIZE, MONO_CAPACITY);
        this.monoLen = CHROMA_FRAME_SIZE;
      }
      const take = Math.min(x.length - i, ONSET_HOP - this.sinceHop, MONO_CAPACITY - this.monoLen);
      this.mono.set(x.subarray(i, i + take), this.monoLen);
      this.monoLen += take;
      this.sinceHop += take;
      this.analysisSamples += take;
      i += take;
      if (this.sinceHop === ONSET_HOP) {
        this.sinceHop = 0;
        this.onsetFrame();
        this.hops++;
        if (this.hops % (CHROMA_HOP / ONSET_HOP) === 0) this.chromaFrame();
      }
    }
  };

  private onsetFrame(): void {
    const { frame, window, mono, power, spectrum } = this;
    const start = this.monoLen - FRAME_SIZE;
    for (let i = 0; i < FRAME_SIZE; i++) frame[i] = mono[start + i]! * window[i]!;
    this.fft.realTransform(spectrum, frame);
    // Normalised so a full-scale sine has a peak bin power of about 1/4.
    const norm = 1 / (FRAME_SIZE / 2) ** 2;
    let total = 0;
    for (let k = 0; k <= FRAME_SIZE / 2; k++) {
      const re = spectrum[2 * k]!;
      const im = spectrum[2 * k + 1]!;
      const p = (re * re + im * im) * norm;
      power[k] = p;
      total += p;
    }
    applyMel(this.mel, power, this.melPower);
    let flux = 0;
    for (let b = 0; b < MEL_BANDS; b++) {
      const p = this.melPower[b]!;
      this.melDb[b] = 10 * Math.log10(Math.max(p, LOG_FLOOR));
      const c = Math.log1p(FLUX_COMPRESSION * p);
      const d = c - this.prevMel[b]!;
      if (d > 0) flux += d;
      this.prevMel[b] = c;
    }
    this.tempo.push(flux / MEL_BANDS);
    if (this.hops % TIMBRE_EVERY === 0) this.timbreFrame(total);
  }

  private timbreFrame(total: number): void {
    this.timbreFrames++;
    const { power, bins } = this;
    const fps = ANALYSIS_SAMPLE_RATE / (ONSET_HOP * TIMBRE_EVERY);
    // Speech-band modulation runs on every frame, silent ones included, to keep its time base.
    let speech = 0;
    for (let k = bins.speechLo; k < bins.speechHi; k++) speech += power[k]!;
    const other = total - speech;
    const sDb = 10 * Math.log10(speech + LOG_FLOOR);
    const oDb = 10 * Math.log10(Math.max(other, 0) + LOG_FLOOR);
    const fast = 1 / (0.05 * fps);
    const slow = 1 / (0.5 * fps);
    if (this.timbreFrames === 1) {
      this.speechFast = this.speechSlow = sDb;
      this.otherFast = this.otherSlow = oDb;
    }
    this.speechFast += fast * (sDb - this.speechFast);
    this.speechSlow += slow * (sDb - this.speechSlow);
    this.otherFast += fast * (oDb - this.otherFast);
    this.otherSlow += slow * (oDb - this.otherSlow);
    if (total / power.length < SILENT_POWER) return;
    this.activeFrames++;
    const ms = this.speechFast - this.speechSlow;
    const mo = this.otherFast - this.otherSlow;
    this.speechModSum += ms * ms;
    this.otherModSum += mo * mo;
    // MFCCs: DCT-II of the log-mel bands (dB).
    const n = this.activeFrames;
    for (let c = 0; c < MFCC_COUNT; c++) {
      let acc = 0;
      for (let b = 0; b < MEL_BANDS; b++) acc += this.dct[c * MEL_BANDS + b]! * this.melDb[b]!;
      this.mfcc[c] = acc;
      const delta = acc - this.mfccMean[c]!;
      this.mfccMean[c]! += delta / n;
      this.mfccM2[c]! += delta * (acc - this.mfccMean[c]!);
    }
    // Spectral centroid, flatness (100 Hz – 10 kHz), share of power above 5 kHz.
    const binHz = ANALYSIS_SAMPLE_RATE / FRAME_SIZE;
    let weighted = 0;
    let high = 0;
    for (let k = 0; k < power.length; k++) {
      weighted += k * binHz * power[k]!;
      if (k >= bins.high) high += power[k]!;
    }
    let logSum = 0;
    let linSum = 0;
    for (let k = bins.flatLo; k < bins.flatHi; k++) {
      const p = power[k]! + 1e-12;
      logSum += Math.log(p);
      linSum += p;
    }
    const count = bins.flatHi - bins.flatLo;
    this.centroidSum += weighted / total;
    this.flatnessSum += Math.exp(logSum / count) / (linSum / count);
    this.highSum += high;
    this.totalSum += total;
  }

  private chromaFrame(): void {
    const { frameChroma: frame, windowChroma: window, mono, spectrumChroma: spectrum, magChroma: mag } = this;
    const start = this.monoLen - CHROMA_FRAME_SIZE;
    for (let i = 0; i < CHROMA_FRAME_SIZE; i++) frame[i] = mono[start + i]! * window[i]!;
    this.fftChroma.realTransform(spectrum, frame);
    for (let k = 0; k <= CHROMA_FRAME_SIZE / 2; k++) {
      const re = spectrum[2 * k]!;
      const im = spectrum[2 * k + 1]!;
      mag[k] = Math.sqrt(re * re + im * im) / (CHROMA_FRAME_SIZE / 2);
    }
    this.chromaFrames++;
    if (addChroma(mag, CHROMA_FRAME_SIZE, ANALYSIS_SAMPLE_RATE, CHROMA_MIN_HZ, CHROMA_MAX_HZ, this.chroma, this.chromaScratch)) {
      this.chromaVoiced++;
    }
  }

  stats(): AnalyserStats {
    return {
      inputSamples: this.inputSamples,
      analysisSamples: this.analysisSamples,
      onsetFrames: this.tempo.frameCount,
      timbreFrames: this.timbreFrames,
      chromaFrames: this.chromaFrames,
      loudnessBlocks: this.loudness?.result().blocks ?? 0,
      retainedValues:
        this.mono.length +
        (this.resampler?.pending ?? 0) +
        this.downmix.length +
        this.tempo.retainedValues +
        (this.loudness?.retainedValues ?? 0) +
        this.chroma.length +
        2 * MFCC_COUNT,
    };
  }

  /** Flushes the resampler and returns the features. The analyser cannot be fed afterwards. */
  finish(): AudioAnalysis {
    if (this.finished) throw new Error('AudioAnalyser: finish() called twice');
    if (this.inRate === 0) throw new Error('No audio samples were decoded');
    this.resampler!.flush(this.feedMono);
    this.finished = true;
    const loud = this.loudness!.result();
    const tempo = this.tempo.estimate();
    const key = estimateKey(this.chroma, this.chromaVoiced);
    const n = this.activeFrames;
    const timbre = [
      ...Array.from(this.mfccMean, (v) => (n > 0 ? v : 0)),
      ...Array.from(this.mfccM2, (v) => (n > 1 ? Math.sqrt(v / (n - 1)) : 0)),
    ];
    const loudness = Number.isFinite(loud.integrated) ? Math.max(-70, loud.integrated) : -70;
    const estimates = heuristics({
      loudness,
      blockStdLu: loud.blockStdLu,
      tempo: tempo.bpm,
      beatStrength: tempo.beatStrength,
      meanFlux: this.tempo.frameCount > 0 ? this.tempo.fluxSum / this.tempo.frameCount : 0,
      centroidHz: n > 0 ? this.centroidSum / n : 0,
      flatness: n > 0 ? this.flatnessSum / n : 0,
      highRatio: this.totalSum > 0 ? this.highSum / this.totalSum : 0,
      speechModulationDb: n > 0 ? Math.sqrt(this.speechModSum / n) - Math.sqrt(this.otherModSum / n) : 0,
      activeShare: this.timbreFrames > 0 ? n / this.timbreFrames : 0,
    });
    return {
      tempo: tempo.bpm,
      beat_strength: tempo.beatStrength,
      key: key.key,
      mode: key.mode,
      key_confidence: key.confidence,
      loudness,
      duration_ms: Math.round((this.inputSamples / this.inRate) * 1000),
      ...estimates,
      timbre,
      sample_rate: this.inRate,
      channels: this.channelCount,
    };
  }
}
