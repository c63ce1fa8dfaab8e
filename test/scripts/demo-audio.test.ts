import { describe, expect, it } from 'vitest';
import { analyseStream } from '../../audio/decode/index.ts';
import { DEMO_RECORDINGS, demoRecording } from '../../scripts/demo/demo-audio.ts';

describe("The demo's synthesised recordings", () => {
  for (const [i, r] of DEMO_RECORDINGS.entries()) {
    it(`Should analyse recording ${i + 1} to the tempo, key and mode it was made of (${r.bpm} BPM, tonic ${r.tonic}, mode ${r.mode})`, async () => {
      const wav = demoRecording(r, i + 1);
      const { format, features } = await analyseStream([wav]);
      expect(format).toBe('wav');
      expect(Math.abs(features.tempo - r.bpm) / r.bpm).toBeLessThan(0.02);
      expect({ key: features.key, mode: features.mode }).toEqual({ key: r.tonic, mode: r.mode });
    });
  }
});
