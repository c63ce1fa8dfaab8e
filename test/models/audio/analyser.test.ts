import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AudioAnalyser } from '../../../audio/analyser.ts';
import { toCatalogueFeatures } from '../../../audio/catalogue.ts';
import { encodeWav } from '../../../audio/decode/wav-writer.ts';
import { kWeighting } from '../../../audio/loudness.ts';
import { chordProgression, clickTrack, toneOrNoise } from '../../../audio/synth.ts';
import { ffmpegLoudness, hasFfmpeg } from '../../../models/audio/node/ffmpeg.ts';
import { analysePcm } from './helpers.ts';

const FFMPEG = hasFfmpeg();
if (!FFMPEG)
  console.warn('ffmpeg (with the ebur128 filter) is not on PATH: the tests that need it are skipped (set FFMPEG=/path/to/ffmpeg)');
const dir = mkdtempSync(join(tmpdir(), 'audio-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tempo', () => {
  const cases = [
    { bpm: 62, timbre: 'kick', sampleRate: 44_100 },
    { bpm: 97.5, timbre: 'wood', sampleRate: 48_000, accent: true },
    { bpm: 128, timbre: 'blip', sampleRate: 22_050, offbeats: 0.25 },
    { bpm: 174, timbre: 'snare', sampleRate: 32_000, noiseDb: -30 },
  ] as const;
  for (const c of cases) {
    it(`Should find ${c.bpm} BPM within ±2 % on a ${c.timbre} click track at ${c.sampleRate} Hz`, () => {
      const { features } = analysePcm(clickTrack({ ...c, seconds: 14 }));
      expect(Math.abs(features.tempo / c.bpm - 1)).toBeLessThan(0.02);
      expect(features.beat_strength).toBeGreaterThan(0.5);
    });
  }

  it('Should report a weak beat for steady noise', () => {
    const { features } = analysePcm(toneOrNoise({ kind: 'pink', dbfs: -20, seconds: 8, channels: 1, sampleRate: 22_050 }));
    expect(features.beat_strength).toBeLessThan(0.3);
  });
});

describe('key and mode', () => {
  const cases = [
    { tonic: 0, mode: 1, name: 'C major' },
    { tonic: 7, mode: 1, name: 'G major' },
    { tonic: 10, mode: 1, name: 'B♭ major' },
    { tonic: 9, mode: 0, name: 'A minor' },
    { tonic: 4, mode: 0, name: 'E minor' },
    { tonic: 2, mode: 0, name: 'D minor' },
  ] as const;
  for (const c of cases) {
    it(`Should name ${c.name} exactly from an I–IV–V–I progression`, () => {
      const { features } = analysePcm(chordProgression({ tonic: c.tonic, mode: c.mode, seconds: 8, sampleRate: 22_050, harmonics: 4 }));
      expect({ key: features.key, mode: features.mode }).toEqual({ key: c.tonic, mode: c.mode });
    });
  }

  it('Should say the key is unknown (−1) for silence', () => {
    const { features } = analysePcm({ channels: [new Float32Array(22_050 * 3)], sampleRate: 22_050 });
    expect(features.key).toBe(-1);
    expect(features.loudness).toBe(-70);
  });
});

describe('loudness', () => {
  it('Should compute the BS.1770 K-weighting coefficients of the standard at 48 kHz', () => {
    const { shelf, highPass } = kWeighting(48_000);
    expect(shelf.b0).toBeCloseTo(1.53512485958697, 6);
    expect(shelf.a1).toBeCloseTo(-1.69065929318241, 6);
    expect(highPass.a1).toBeCloseTo(-1.99004745483398, 6);
    expect(highPass.a2).toBeCloseTo(0.99007225036621, 6);
  });

  it('Should measure a stereo 1 kHz sine at −23 dBFS as −23 LUFS (EBU Tech 3341 case 1)', () => {
    const { features } = analysePcm(toneOrNoise({ kind: 'sine', frequency: 1000, dbfs: -23, seconds: 20, channels: 2 }));
    expect(features.loudness).toBeCloseTo(-23, 1);
  });

  const signals = [
    {
      name: 'a 440 Hz stereo sine at 44.1 kHz',
      pcm: () => toneOrNoise({ kind: 'sine', frequency: 440, dbfs: -14, seconds: 6, sampleRate: 44_100 }),
    },
    {
      name: 'mono pink noise with a quieter half (gating)',
      pcm: () => toneOrNoise({ kind: 'pink', dbfs: -25, seconds: 8, channels: 1, dropDb: 20 }),
    },
    { name: 'a click track at 22.05 kHz', pcm: () => clickTrack({ bpm: 120, seconds: 8, sampleRate: 22_050, timbre: 'hat' }) },
    {
      name: 'a stereo chord progression at 32 kHz',
      pcm: () => chordProgression({ tonic: 3, mode: 1, seconds: 6, sampleRate: 32_000, stereo: true }),
    },
  ];
  for (const s of signals) {
    it.skipIf(!FFMPEG)(
      `Should match ffmpeg ebur128 within ±0.5 LU on ${s.name} (needs ffmpeg: skipped with a warning without it)`,
      async () => {
        const pcm = s.pcm();
        const file = join(dir, `${s.name.replace(/\W+/g, '-')}.wav`);
        writeFileSync(file, encodeWav(pcm.channels, pcm.sampleRate, 'float32'));
        const reference = await ffmpegLoudness(file);
        const { features } = analysePcm(pcm);
        expect(Math.abs(features.loudness - reference)).toBeLessThanOrEqual(0.5);
      },
    );
  }
});

describe('features and memory', () => {
  it('Should return every catalogue feature within the ranges the API accepts, and a 26-value timbre vector', () => {
    const { features } = analysePcm(clickTrack({ bpm: 110, seconds: 6, sampleRate: 22_050, offbeats: 0.3 }));
    const c = toCatalogueFeatures(features);
    expect(Object.keys(c).sort()).toEqual([
      'acousticness',
      'danceability',
      'energy',
      'instrumentalness',
      'key',
      'loudness',
      'mode',
      'tempo',
    ]);
    for (const k of ['energy', 'danceability', 'acousticness', 'instrumentalness'] as const) {
      expect(c[k]).toBeGreaterThanOrEqual(0);
      expect(c[k]).toBeLessThanOrEqual(1);
    }
    expect(features.timbre).toHaveLength(26);
    expect(features.timbre.every(Number.isFinite)).toBe(true);
    expect(features.duration_ms).toBe(6000);
  });

  it('Should rate loud white noise as more energetic than a quiet sine', () => {
    const noise = analysePcm(toneOrNoise({ kind: 'white', dbfs: -10, seconds: 5, channels: 1, sampleRate: 22_050 })).features;
    const sine = analysePcm(toneOrNoise({ kind: 'sine', dbfs: -35, seconds: 5, channels: 1, sampleRate: 22_050 })).features;
    expect(noise.energy).toBeGreaterThan(sine.energy);
  });

  it('Should keep the same retained state for a 10× longer input while its frame counts grow 10×', () => {
    const sr = 44_100;
    const feed = (seconds: number) => {
      const an = new AudioAnalyser();
      const block = new Float32Array(sr / 10);
      for (let i = 0; i < block.length; i++) block[i] = 0.1 * Math.sin(i / 7);
      for (let i = 0; i < seconds * 10; i++) an.push([block, block], sr);
      return an.stats();
    };
    const short = feed(6);
    const long = feed(60);
    expect(long.inputSamples).toBe(10 * short.inputSamples);
    expect(long.onsetFrames / short.onsetFrames).toBeGreaterThan(9.5);
    expect(long.chromaFrames / short.chromaFrames).toBeGreaterThan(9.5);
    expect(long.loudnessBlocks).toBeGreaterThan(9 * short.loudnessBlocks);
    // Nothing that grows with the input is kept: the retained buffers are the same size.
    expect(long.retainedValues).toBe(short.retainedValues);
    expect(long.retainedValues).toBeLessThan(short.inputSamples);
  });

  it('Should give the same features whatever the block size the PCM arrives in', () => {
    const pcm = chordProgression({ tonic: 5, mode: 0, seconds: 5, sampleRate: 48_000 });
    const a = analysePcm(pcm, 1000).features;
    const b = analysePcm(pcm, 48_000).features;
    expect(b.key).toBe(a.key);
    expect(b.tempo).toBeCloseTo(a.tempo, 6);
    expect(b.loudness).toBeCloseTo(a.loudness, 6);
  });

  it('Should refuse a stream whose sample rate changes mid-file', () => {
    const an = new AudioAnalyser();
    an.push([new Float32Array(100)], 44_100);
    expect(() => an.push([new Float32Array(100)], 48_000)).toThrow(/changed/);
  });
});
