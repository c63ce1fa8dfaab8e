/**
 * The audio-feature columns of `tracks`, in one place: the catalogue API, the serving catalogue view
 * and the trainer's local-D1 reader all select them by this list. No imports, so Node code can use it.
 */
export const AUDIO_FEATURES = [
  'tempo',
  'key',
  'mode',
  'energy',
  'danceability',
  'valence',
  'acousticness',
  'instrumentalness',
  'speechiness',
  'liveness',
  'loudness',
] as const;
export type AudioFeature = (typeof AUDIO_FEATURES)[number];
