/**
 * Nearest neighbours in the model's embedding space: tracks by cosine of item embeddings (content
 * embeddings for tracks the model never saw), artists by cosine of their tracks' mean embedding.
 */
import { type LoadedModel, unitRows } from '../model/loaded-model.ts';
import { type Catalogue, unitEmbedding } from './catalogue.ts';
import { topK } from './top-k.ts';

/**
 * The k tracks most similar to track `index` (model items and unseen tracks alike), best first,
 * with their cosine similarity; the track itself and unlisted tracks are left out.
 *
 * @example similarTracks(model, catalogue, catalogue.indexOf.get('t-1')!, 10)
 */
export function similarTracks(
  model: LoadedModel,
  catalogue: Catalogue,
  index: number,
  k: number,
): Array<{ index: number; similarity: number }> {
  const e = unitEmbedding(model, catalogue, index);
  const sims = new Float32Array(catalogue.size).fill(Number.NEGATIVE_INFINITY);
  const d = model.dims;
  for (let i = 0; i < catalogue.size; i++) {
    if (i === index || catalogue.listed[i] !== 1) continue;
    const f = i < catalogue.modelItems ? model.unitEmbeddings : catalogue.coldUnitEmbeddings;
    const off = (i < catalogue.modelItems ? i : i - catalogue.modelItems) * d;
    let s = 0;
    for (let q = 0; q < d; q++) s += (e[q] as number) * (f[off + q] as number);
    // An all-zero embedding (unseen track, no content model) has no neighbours to speak of.
    if (s !== 0) sims[i] = s;
  }
  return Array.from(topK(sims, k), (i) => ({ index: i, similarity: sims[i] as number }));
}

const artistCache = new WeakMap<Catalogue, Float32Array>();

/** Unit mean embedding per artist, [artists, dims]; computed once per catalogue view. */
function artistEmbeddings(model: LoadedModel, catalogue: Catalogue): Float32Array {
  const cached = artistCache.get(catalogue);
  if (cached) return cached;
  const d = model.dims;
  const sums = new Float32Array(catalogue.artistIds.length * d);
  for (const [a, tracks] of catalogue.tracksOfArtist.entries()) {
    for (const i of tracks) {
      const e = unitEmbedding(model, catalogue, i);
      for (let q = 0; q < d; q++) sums[a * d + q] = (sums[a * d + q] as number) + (e[q] as number);
    }
  }
  const out = unitRows(sums, catalogue.artistIds.length, d, d);
  artistCache.set(catalogue, out);
  return out;
}

/**
 * The k artists whose mean track embedding is closest to artist `artist`'s.
 *
 * @example similarArtists(model, catalogue, catalogue.artistIndex.get('a-1')!, 10)
 */
export function similarArtists(
  model: LoadedModel,
  catalogue: Catalogue,
  artist: number,
  k: number,
): Array<{ index: number; similarity: number }> {
  const emb = artistEmbeddings(model, catalogue);
  const d = model.dims;
  const n = catalogue.artistIds.length;
  const sims = new Float32Array(n).fill(Number.NEGATIVE_INFINITY);
  for (let a = 0; a < n; a++) {
    if (a === artist) continue;
    let s = 0;
    for (let q = 0; q < d; q++) s += (emb[artist * d + q] as number) * (emb[a * d + q] as number);
    if (s !== 0) sims[a] = s;
  }
  return Array.from(topK(sims, k), (a) => ({ index: a, similarity: sims[a] as number }));
}
