/**
 * Candidate generation for catalogues too large to score whole within the time budget: the union
 * of item-to-item neighbours of the user's strongest items, other tracks of their artists, popular
 * tracks of their genres, new releases and the week's most popular tracks. Below
 * FULL_SCAN_MAX_ITEMS the whole catalogue is scored instead (see README.md for the measurement).
 */
import type { LoadedModel } from '../model/loaded-model.ts';
import type { Catalogue } from './catalogue.ts';
import { topK } from './top-k.ts';

/** Score every item up to this many; measured with scripts/bench/recs.ts (README.md). */
export const FULL_SCAN_MAX_ITEMS = 100_000;

const NEIGHBOURS = 50;
const ANCHORS = 10;
const PER_ARTIST = 30;
const PER_GENRE = 300;
const NEW_RELEASES = 500;
const POPULAR = 500;
const NEIGHBOUR_CACHE = 20_000;

const neighbourCache = new Map<string, Int32Array>();

/**
 * The k model items nearest to a unit `vector` by cosine, best first, leaving out item `skip`: one
 * scan of the unit item embeddings (N × dims).
 *
 * @example nearestModelItems(model, unitEmbedding(model, catalogue, i), 5)
 */
export function nearestModelItems(model: LoadedModel, vector: Float32Array, k: number, skip = -1): Int32Array {
  const d = model.dims;
  const n = model.items.length;
  const emb = model.unitEmbeddings;
  const sims = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let q = 0; q < d; q++) s += (vector[q] as number) * (emb[i * d + q] as number);
    sims[i] = s;
  }
  if (skip >= 0 && skip < n) sims[skip] = Number.NEGATIVE_INFINITY;
  return topK(sims, k);
}

/** The item's nearest model items by cosine, cached per isolate (one scan of the embeddings when missed). */
export function itemNeighbours(model: LoadedModel, item: number): Int32Array {
  const key = `${model.version}:${item}`;
  const hit = neighbourCache.get(key);
  if (hit) return hit;
  const d = model.dims;
  const out = nearestModelItems(model, model.unitEmbeddings.subarray(item * d, (item + 1) * d), NEIGHBOURS, item);
  if (neighbourCache.size >= NEIGHBOUR_CACHE) {
    const [oldest] = neighbourCache.keys();
    if (oldest !== undefined) neighbourCache.delete(oldest);
  }
  neighbourCache.set(key, out);
  return out;
}

/**
 * Model item indices worth scoring for a user with these anchors (strongest items first) and genres.
 *
 * @example candidateUnion(model, catalogue, [12, 40], new Set([3]))
 */
export function candidateUnion(
  model: LoadedModel,
  catalogue: Catalogue,
  anchors: readonly number[],
  genres: ReadonlySet<number>,
): number[] {
  const out = new Set<number>();
  const addModelItem = (i: number) => {
    if (i < catalogue.modelItems) out.add(i);
  };
  for (const a of anchors.slice(0, ANCHORS)) {
    if (a < catalogue.modelItems) for (const i of itemNeighbours(model, a)) out.add(i);
    const artist = catalogue.artistOf[a] as number;
    if (artist >= 0) for (const i of (catalogue.tracksOfArtist[artist] ?? []).slice(0, PER_ARTIST)) addModelItem(i);
  }
  for (const g of genres) for (const i of (catalogue.popularInGenre.get(g) ?? new Int32Array()).subarray(0, PER_GENRE)) addModelItem(i);
  for (const i of catalogue.newReleases.subarray(0, NEW_RELEASES)) addModelItem(i);
  for (const i of catalogue.popular.subarray(0, POPULAR)) addModelItem(i);
  return [...out];
}

/** Per play back in the session, the weight of what follows it (the offline evaluation's choice, models/pipeline/evaluate-session.ts). */
const FOLLOW_DECAY = 0.5;

/**
 * The tracks that follow the session's plays (newest first) by the bundle's transitions,
 * `s(b) = Σ_p FOLLOW_DECAY^p · P(b | session[p])`, scaled so the strongest is 1; empty without
 * transitions or a session.
 *
 * @example followersOf(model, [playingNow, previous]) // Map { 812 => 1, 95 => 0.42, … }
 */
export function followersOf(model: LoadedModel, session: readonly number[]): Map<number, number> {
  const out = new Map<number, number>();
  const t = model.transitions;
  if (!t) return out;
  let w = 1;
  for (const a of session) {
    if (a < t.nItems) {
      for (let k = t.indptr[a] as number; k < (t.indptr[a + 1] as number); k++) {
        const b = t.indices[k] as number;
        out.set(b, (out.get(b) ?? 0) + w * (t.values[k] as number));
      }
    }
    w *= FOLLOW_DECAY;
  }
  const max = Math.max(0, ...out.values());
  if (max > 0) for (const [b, s] of out) out.set(b, s / max);
  return out;
}
