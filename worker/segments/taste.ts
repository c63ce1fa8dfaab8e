/**
 * Taste vectors for lookalikes: a user's genre shares followed by the stream-weighted means of
 * audio features scaled to [0, 1]. Pure; the SQL that feeds it lives in worker/db/segments.ts.
 */
import type { GenreListening as GenreListeningOf } from '../db/segments.ts';

/** Audio features in the vector, with the scaling that brings each to about [0, 1]. */
export const TASTE_FEATURES = {
  energy: (v: number) => v,
  danceability: (v: number) => v,
  valence: (v: number) => v,
  acousticness: (v: number) => v,
  instrumentalness: (v: number) => v,
  speechiness: (v: number) => v,
  liveness: (v: number) => v,
  tempo: (v: number) => Math.min(1, v / 250),
  loudness: (v: number) => Math.min(1, Math.max(0, (v + 60) / 60)),
} as const;
export type TasteFeature = keyof typeof TASTE_FEATURES;
export const TASTE_FEATURE_NAMES = Object.keys(TASTE_FEATURES) as TasteFeature[];

/** One user's streams of one genre, with the mean taste features of those streams. */
export type GenreListening = GenreListeningOf<TasteFeature>;

/**
 * Taste vectors built row by row, so a caller reading pages adds each page as it arrives and the
 * last step only normalises: genre shares of the user's streams, then the stream-weighted mean of
 * each feature over the streams where it is known (0 when never known).
 */
export class TasteAccumulator {
  readonly #genres: Map<string, number>;
  readonly #dims: number;
  readonly #sums = new Map<string, { v: Float64Array; total: number; weights: Float64Array }>();

  constructor(genres: readonly string[]) {
    this.#genres = new Map(genres.map((g, i) => [g, i]));
    this.#dims = genres.length + TASTE_FEATURE_NAMES.length;
  }

  add(r: GenreListening): void {
    let s = this.#sums.get(r.userId);
    if (!s) {
      s = { v: new Float64Array(this.#dims), total: 0, weights: new Float64Array(TASTE_FEATURE_NAMES.length) };
      this.#sums.set(r.userId, s);
    }
    s.total += r.streams;
    const gi = r.genre === null ? undefined : this.#genres.get(r.genre);
    if (gi !== undefined) s.v[gi] = (s.v[gi] ?? 0) + r.streams;
    const base = this.#genres.size;
    TASTE_FEATURE_NAMES.forEach((f, i) => {
      const m = r.means[f];
      if (m === null || m === undefined) return;
      s.v[base + i] = (s.v[base + i] ?? 0) + TASTE_FEATURES[f](m) * r.streams;
      s.weights[i] = (s.weights[i] ?? 0) + r.streams;
    });
  }

  /** One vector per user seen; call once, after the last row. */
  vectors(): Map<string, Float64Array> {
    const out = new Map<string, Float64Array>();
    const base = this.#genres.size;
    for (const [user, s] of this.#sums) {
      for (let i = 0; i < base; i++) s.v[i] = (s.v[i] ?? 0) / (s.total || 1);
      for (let i = 0; i < TASTE_FEATURE_NAMES.length; i++) {
        const w = s.weights[i] ?? 0;
        s.v[base + i] = w > 0 ? (s.v[base + i] ?? 0) / w : 0;
      }
      out.set(user, s.v);
    }
    return out;
  }
}

/** Mean of vectors (the artist's listeners' centroid). */
export function centroid(vectors: Iterable<Float64Array>, dims: number): Float64Array {
  const c = new Float64Array(dims);
  let n = 0;
  for (const v of vectors) {
    for (let i = 0; i < dims; i++) c[i] = (c[i] ?? 0) + (v[i] ?? 0);
    n += 1;
  }
  if (n > 0) for (let i = 0; i < dims; i++) c[i] = (c[i] ?? 0) / n;
  return c;
}

/** Cosine similarity; 0 when either vector is zero. */
export function cosine(a: Float64Array, b: Float64Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

/**
 * The `size` candidates most similar to the centroid, best first (ties by user id for stability).
 *
 * @example nearest(new Map([['u1', v1]]), c, 10) // [{ userId: 'u1', similarity: 0.93 }]
 */
export function nearest(candidates: ReadonlyMap<string, Float64Array>, target: Float64Array, size: number) {
  return [...candidates]
    .map(([userId, v]) => ({ userId, similarity: cosine(v, target) }))
    .filter((c) => c.similarity > 0)
    .sort((a, b) => b.similarity - a.similarity || a.userId.localeCompare(b.userId))
    .slice(0, size);
}
