import { AudioAnalyser, type AudioAnalysis } from '../../../audio/analyser.ts';
import type { Pcm } from '../../../audio/synth.ts';

/** Feeds `pcm` to a fresh analyser in blocks of `block` samples. */
export function analysePcm(pcm: Pcm, block = 4096): { features: AudioAnalysis; analyser: AudioAnalyser } {
  const analyser = new AudioAnalyser();
  const n = pcm.channels[0]!.length;
  for (let i = 0; i < n; i += block)
    analyser.push(
      pcm.channels.map((c) => c.subarray(i, Math.min(n, i + block))),
      pcm.sampleRate,
    );
  return { features: analyser.finish(), analyser };
}
