/**
 * The analyser's output in the catalogue's terms: the columns of `contract/audio-features.ts` that the
 * signal can estimate, within the ranges `AudioFeaturesSchema` (worker/schemas/track.ts) accepts.
 * valence, speechiness and liveness are not estimated (left to the uploader); duration_ms,
 * beat_strength and the timbre vector are not catalogue audio features today (duration is the
 * track's own `duration_ms` field).
 */
import type { AudioAnalysis } from './analyser.ts';

export interface CatalogueAudioFeatures {
  tempo: number;
  key: number;
  mode: 0 | 1;
  energy: number;
  danceability: number;
  acousticness: number;
  instrumentalness: number;
  loudness: number;
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

export function toCatalogueFeatures(a: AudioAnalysis): CatalogueAudioFeatures {
  return {
    tempo: round(clamp(a.tempo, 0, 300), 2),
    key: a.key,
    mode: a.mode,
    energy: round(clamp(a.energy, 0, 1), 3),
    danceability: round(clamp(a.danceability, 0, 1), 3),
    acousticness: round(clamp(a.acousticness, 0, 1), 3),
    instrumentalness: round(clamp(a.instrumentalness, 0, 1), 3),
    loudness: round(clamp(a.loudness, -70, 10), 2),
  };
}
