/**
 * What each genre sounds like, as means of the audio features the catalogue carries. Tracks are drawn
 * around their genre's profile, so genres differ in tempo, energy, acousticness… the way real ones do,
 * and content-based models and mood filters have something true to find.
 */
export interface GenreProfile {
  name: string;
  /** Relative share of artists (and, roughly, listeners) in the genre. */
  share: number;
  tempo: number;
  energy: number;
  danceability: number;
  valence: number;
  acousticness: number;
  instrumentalness: number;
  speechiness: number;
  liveness: number;
  loudness: number;
  /** Typical track length in seconds. */
  durationS: number;
  tags: readonly string[];
  /** Genres its listeners often also like. */
  near: readonly string[];
}

const g = (
  name: string,
  share: number,
  f: [tempo: number, energy: number, dance: number, valence: number, acoustic: number, instr: number, speech: number, loud: number],
  durationS: number,
  tags: string[],
  near: string[],
): GenreProfile => ({
  name,
  share,
  tempo: f[0],
  energy: f[1],
  danceability: f[2],
  valence: f[3],
  acousticness: f[4],
  instrumentalness: f[5],
  speechiness: f[6],
  liveness: 0.18,
  loudness: f[7],
  durationS,
  tags,
  near,
});

export const GENRES: readonly GenreProfile[] = [
  g('pop', 16, [118, 0.68, 0.68, 0.58, 0.18, 0.02, 0.07, -5.5], 205, ['catchy', 'radio', 'upbeat'], ['dance', 'r&b', 'indie']),
  g('rock', 10, [126, 0.8, 0.5, 0.5, 0.1, 0.06, 0.05, -5.2], 235, ['guitar', 'band', 'anthemic'], ['metal', 'indie', 'punk']),
  g('hip hop', 12, [95, 0.66, 0.76, 0.5, 0.14, 0.01, 0.28, -6], 210, ['rap', 'beats', 'urban'], ['r&b', 'pop', 'latin']),
  g('r&b', 7, [98, 0.55, 0.68, 0.5, 0.25, 0.02, 0.1, -6.8], 220, ['smooth', 'soul', 'groove'], ['hip hop', 'pop', 'soul']),
  g('electronic', 7, [124, 0.78, 0.66, 0.42, 0.06, 0.55, 0.06, -6.5], 260, ['synth', 'electronic', 'club'], ['dance', 'techno', 'ambient']),
  g('dance', 6, [126, 0.82, 0.78, 0.62, 0.05, 0.2, 0.06, -4.8], 200, ['club', 'party', 'edm'], ['electronic', 'pop', 'latin']),
  g('techno', 3, [132, 0.88, 0.7, 0.25, 0.03, 0.82, 0.06, -7.5], 360, ['techno', 'warehouse', 'dark'], ['electronic', 'dance']),
  g('indie', 8, [116, 0.6, 0.55, 0.45, 0.3, 0.1, 0.04, -7.2], 225, ['indie', 'dreamy', 'alternative'], ['rock', 'pop', 'folk']),
  g(
    'folk',
    5,
    [104, 0.35, 0.5, 0.45, 0.75, 0.08, 0.04, -10],
    215,
    ['acoustic', 'singer-songwriter', 'warm'],
    ['indie', 'country', 'classical'],
  ),
  g('country', 4, [112, 0.6, 0.58, 0.6, 0.35, 0.01, 0.04, -6.5], 200, ['country', 'storytelling', 'twang'], ['folk', 'rock']),
  g('jazz', 4, [110, 0.38, 0.55, 0.5, 0.7, 0.45, 0.05, -11], 300, ['jazz', 'swing', 'improvised'], ['soul', 'classical', 'ambient']),
  g('soul', 3, [100, 0.5, 0.62, 0.62, 0.4, 0.03, 0.06, -8], 220, ['soul', 'vintage', 'vocal'], ['r&b', 'jazz']),
  g('classical', 4, [90, 0.18, 0.3, 0.3, 0.92, 0.85, 0.04, -19], 330, ['orchestral', 'piano', 'calm'], ['ambient', 'jazz', 'folk']),
  g('ambient', 3, [85, 0.15, 0.28, 0.22, 0.8, 0.88, 0.04, -20], 320, ['ambient', 'chill', 'sleep'], ['classical', 'electronic']),
  g('metal', 4, [140, 0.93, 0.4, 0.3, 0.02, 0.12, 0.08, -4.2], 270, ['heavy', 'riffs', 'loud'], ['rock', 'punk']),
  g('punk', 2, [160, 0.92, 0.45, 0.55, 0.04, 0.03, 0.07, -4.5], 160, ['punk', 'fast', 'raw'], ['rock', 'metal']),
  g('latin', 6, [100, 0.75, 0.78, 0.72, 0.15, 0.01, 0.09, -5], 205, ['reggaeton', 'latin', 'tropical'], ['dance', 'pop', 'hip hop']),
  g('lofi', 3, [80, 0.3, 0.62, 0.45, 0.6, 0.8, 0.06, -12], 150, ['lofi', 'study', 'chill'], ['ambient', 'hip hop', 'jazz']),
];

export const GENRE_INDEX: ReadonlyMap<string, number> = new Map(GENRES.map((genre, i) => [genre.name, i]));
