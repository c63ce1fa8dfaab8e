/**
 * energy, danceability, acousticness and instrumentalness: OUR OWN HEURISTICS, 0 … 1.
 *
 * Spotify's definitions of these features are not public, and these are not trained on or
 * calibrated against anything: they are simple, documented functions of measured quantities, chosen
 * so that the direction is right (a loud, bright, busy track has more energy than a quiet pad). Treat
 * them as rough descriptors, not as ground truth. `clamp` limits to 0 … 1.
 *
 * - energy = clamp(0.5·L + 0.2·B + 0.15·N + 0.15·O), where
 *   L = clamp((loudness + 40) / 35) (−40 LUFS → 0, −5 LUFS → 1), B = clamp(centroid / 3000 Hz)
 *   (brightness), N = clamp(flatness / 0.3) (noisiness: spectral flatness 100 Hz – 10 kHz),
 *   O = clamp(mean onset flux / 1.5 dB) (onset activity: mean positive change of the log-mel bands per 11.6 ms frame).
 * - danceability = clamp(0.75·S + 0.25·T) when a tempo was found, else 0, where S is the beat
 *   strength (autocorrelation of the onset envelope at the beat period) and
 *   T = exp(−½ (log₂(tempo / 115) / 0.5)²) (tempi near 115 BPM suit dancing best).
 * - acousticness = clamp(1 − 0.45·H − 0.25·N − 0.3·C), where H = clamp(share of power above
 *   5 kHz / 0.15) (synthesisers and distortion are bright), N the noisiness above and
 *   C = 1 − clamp(σ of the gated 400 ms block loudness / 6 LU) (heavy compression, little dynamics).
 * - instrumentalness = 1 − clamp((M − 1 dB) / 5 dB) · clamp(2 · active share), where
 *   M = Mₛ − Mₒ: Mₛ is the RMS of the syllable-rate fluctuation (log energy band-passed between about
 *   0.3 and 3 Hz, as the difference of a 50 ms and a 500 ms moving average) of the 300–3400 Hz band,
 *   Mₒ the same for the rest of the spectrum. A voice modulates the speech band more than the rest,
 *   whereas drums and chords move the whole spectrum (or mostly the bass) together. Mostly silent
 *   recordings are pushed towards 1. This is the crudest of the four: a lead synth or a solo
 *   instrument in the speech band reads as "vocal".
 */

export interface AudioFeatureEstimates {
  energy: number;
  danceability: number;
  acousticness: number;
  instrumentalness: number;
}

export interface HeuristicInputs {
  loudness: number;
  blockStdLu: number;
  tempo: number;
  beatStrength: number;
  meanFlux: number;
  centroidHz: number;
  flatness: number;
  highRatio: number;
  speechModulationDb: number;
  /** Share of frames that are not silent. */
  activeShare: number;
}

const clamp = (x: number) => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);
const round3 = (x: number) => Math.round(x * 1000) / 1000;

export function heuristics(x: HeuristicInputs): AudioFeatureEstimates {
  const L = clamp((x.loudness + 40) / 35);
  const B = clamp(x.centroidHz / 3000);
  const N = clamp(x.flatness / 0.3);
  const O = clamp(x.meanFlux / 1.5);
  const energy = clamp(0.5 * L + 0.2 * B + 0.15 * N + 0.15 * O);
  const T = x.tempo > 0 ? Math.exp(-0.5 * (Math.log2(x.tempo / 115) / 0.5) ** 2) : 0;
  const danceability = x.tempo > 0 ? clamp(0.75 * x.beatStrength + 0.25 * T) : 0;
  const H = clamp(x.highRatio / 0.15);
  const C = 1 - clamp(x.blockStdLu / 6);
  const acousticness = clamp(1 - 0.45 * H - 0.25 * N - 0.3 * C);
  const vocal = clamp((x.speechModulationDb - 1) / 5) * clamp(x.activeShare * 2);
  const instrumentalness = 1 - vocal;
  return {
    energy: round3(energy),
    danceability: round3(danceability),
    acousticness: round3(acousticness),
    instrumentalness: round3(instrumentalness),
  };
}
