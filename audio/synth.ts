/**
 * Test signals with known answers, for the evaluation (models/cli/eval-audio.ts) and the tests:
 * click tracks at known tempi, chord progressions in known keys and modes, tones and noise at known
 * levels. Deterministic for a seed.
 */

import { mulberry32 } from '../contract/random.ts';

export interface Pcm {
  channels: Float32Array[];
  sampleRate: number;
}

export const CLICK_TIMBRES = ['blip', 'kick', 'hat', 'wood', 'snare'] as const;
export type ClickTimbre = (typeof CLICK_TIMBRES)[number];

/** One percussive hit of `timbre`, added into `out` at sample `at` with amplitude `amp`. */
function addHit(out: Float32Array, at: number, sr: number, timbre: ClickTimbre, amp: number, rand: () => number): void {
  const len = Math.min(out.length - at, Math.round(sr * (timbre === 'kick' ? 0.25 : 0.08)));
  let phase = 0;
  let prev = 0;
  for (let i = 0; i < len; i++) {
    const t = i / sr;
    let v: number;
    switch (timbre) {
      case 'blip':
        v = Math.sin(2 * Math.PI * 1000 * t) * Math.exp(-t / 0.015);
        break;
      case 'kick': {
        const f = 50 + 110 * Math.exp(-t / 0.03);
        phase += (2 * Math.PI * f) / sr;
        v = Math.sin(phase) * Math.exp(-t / 0.08);
        break;
      }
      case 'hat': {
        const n = rand() * 2 - 1;
        v = (n - prev) * 0.7 * Math.exp(-t / 0.012);
        prev = n;
        break;
      }
      case 'wood':
        v = (0.7 * Math.sin(2 * Math.PI * 820 * t) + 0.4 * Math.sin(2 * Math.PI * 1930 * t)) * Math.exp(-t / 0.02);
        break;
      default:
        v = (0.6 * (rand() * 2 - 1) + 0.5 * Math.sin(2 * Math.PI * 190 * t)) * Math.exp(-t / 0.04);
    }
    out[at + i]! += amp * v;
  }
}

export interface ClickTrackOptions {
  bpm: number;
  seconds: number;
  sampleRate?: number;
  timbre?: ClickTimbre;
  /** Louder first beat of every bar of 4. */
  accent?: boolean;
  /** Soft hi-hat on the off-beats (eighth notes), at this share of the beat's amplitude. */
  offbeats?: number;
  /** Steady background noise at this level relative to the clicks (dB), none when undefined. */
  noiseDb?: number;
  seed?: number;
}

/** A click track: one hit per beat from 0.1 s on, peak about −6 dBFS, mono. */
export function clickTrack(o: ClickTrackOptions): Pcm {
  const sr = o.sampleRate ?? 44_100;
  const rand = mulberry32(o.seed ?? 1);
  const out = new Float32Array(Math.round(o.seconds * sr));
  const period = 60 / o.bpm;
  for (let k = 0; 0.1 + k * period < o.seconds; k++) {
    const at = Math.round((0.1 + k * period) * sr);
    const amp = 0.5 * (o.accent && k % 4 === 0 ? 1 : o.accent ? 0.7 : 1);
    addHit(out, at, sr, o.timbre ?? 'blip', amp, rand);
    if (o.offbeats) {
      const half = Math.round((0.1 + (k + 0.5) * period) * sr);
      if (half < out.length) addHit(out, half, sr, 'hat', amp * o.offbeats, rand);
    }
  }
  if (o.noiseDb !== undefined) {
    const g = 0.5 * 10 ** (o.noiseDb / 20);
    for (let i = 0; i < out.length; i++) out[i]! += g * (rand() * 2 - 1);
  }
  return { channels: [out], sampleRate: sr };
}

const midiHz = (m: number) => 440 * 2 ** ((m - 69) / 12);

export interface ProgressionOptions {
  /** Pitch class of the tonic, C = 0. */
  tonic: number;
  /** 1 major (I–IV–V–I), 0 minor (i–iv–V–i, harmonic minor). */
  mode: 0 | 1;
  seconds: number;
  sampleRate?: number;
  /** Seconds per chord. */
  chordSeconds?: number;
  /** Partials of each additive-synth tone (amplitude 1/h). */
  harmonics?: number;
  /** Add the chord root two octaves down. */
  bass?: boolean;
  stereo?: boolean;
}

/** A chord progression played with additive-synth tones, about −12 dBFS peak. */
export function chordProgression(o: ProgressionOptions): Pcm {
  const sr = o.sampleRate ?? 44_100;
  const chordLen = o.chordSeconds ?? 1.5;
  const harmonics = o.harmonics ?? 5;
  const third = o.mode === 1 ? 4 : 3;
  const chords = [
    [0, third, 7],
    [5, 5 + third, 12],
    [7, 11, 14],
    [0, third, 7],
  ];
  const n = Math.round(o.seconds * sr);
  const out = new Float32Array(n);
  const base = 60 + o.tonic - (o.tonic > 6 ? 12 : 0);
  const chordSamples = Math.round(chordLen * sr);
  for (let start = 0, c = 0; start < n; start += chordSamples, c++) {
    const chord = chords[c % 4]!;
    const notes = chord.map((s) => base + s);
    if (o.bass !== false) notes.push(base + chord[0]! - 24);
    const len = Math.min(chordSamples, n - start);
    for (const note of notes) {
      const f0 = midiHz(note);
      for (let h = 1; h <= harmonics; h++) {
        const f = f0 * h;
        if (f > sr / 2.2) break;
        const amp = 0.05 / h;
        const w = (2 * Math.PI * f) / sr;
        for (let i = 0; i < len; i++) {
          const env = Math.min(1, i / (0.02 * sr), (len - i) / (0.05 * sr));
          out[start + i]! += amp * env * Math.sin(w * i);
        }
      }
    }
  }
  return { channels: o.stereo ? [out, out.slice()] : [out], sampleRate: sr };
}

export interface ToneOptions {
  kind: 'sine' | 'white' | 'pink';
  /** Level: RMS in dBFS for noise, peak in dBFS for the sine. */
  dbfs: number;
  seconds: number;
  frequency?: number;
  sampleRate?: number;
  channels?: number;
  /** A quieter second half, this many dB down (exercises the relative gate). */
  dropDb?: number;
  seed?: number;
}

export function toneOrNoise(o: ToneOptions): Pcm {
  const sr = o.sampleRate ?? 48_000;
  const n = Math.round(o.seconds * sr);
  const rand = mulberry32(o.seed ?? 7);
  const chans = o.channels ?? 2;
  const out: Float32Array[] = [];
  for (let c = 0; c < chans; c++) {
    const x = new Float32Array(n);
    const g = 10 ** (o.dbfs / 20);
    let b0 = 0;
    let b1 = 0;
    let b2 = 0;
    for (let i = 0; i < n; i++) {
      let v: number;
      if (o.kind === 'sine') v = Math.sin((2 * Math.PI * (o.frequency ?? 1000) * i) / sr);
      else {
        // Uniform white noise has RMS 1/√3; the pink filter (Kellet's economy version) is normalised roughly.
        const w = (rand() * 2 - 1) * Math.sqrt(3);
        if (o.kind === 'white') v = w;
        else {
          b0 = 0.99765 * b0 + w * 0.099046;
          b1 = 0.963 * b1 + w * 0.2965164;
          b2 = 0.57 * b2 + w * 1.0526913;
          v = (b0 + b1 + b2 + w * 0.1848) * 0.28;
        }
      }
      const drop = o.dropDb !== undefined && i > n / 2 ? 10 ** (-o.dropDb / 20) : 1;
      x[i] = Math.max(-1, Math.min(1, g * drop * v));
    }
    out.push(x);
  }
  return { channels: out, sampleRate: sr };
}
