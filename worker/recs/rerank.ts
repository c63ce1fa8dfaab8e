/**
 * Business rules on top of the model's ranking: campaign boosts, a reserved share of slots for
 * exploration, a cap per artist and diversity by maximal marginal relevance (MMR) on the item
 * embeddings. Pure: everything it needs comes in the input, so each rule is unit-testable.
 */

import type { Source } from '../schemas/recommendations.ts';

export interface Pick {
  index: number;
  source: Source;
  campaignId: string | null;
  /** The editorial playlist an `editorial` pick came from. */
  playlistId?: string;
}

export interface RerankInput {
  /** Candidate track indices, best first, already free of excluded, rejected and recent tracks. */
  pool: Int32Array;
  /** Exploration candidates (under-exposed artists, new releases), best first, same filters. */
  explorePool: Int32Array;
  /** Relevance by track index (higher is better). */
  rel: Float32Array;
  boosts: ReadonlyArray<{ index: number; campaignId: string }>;
  /** Editorial picks and the 0-based slot each playlist's position policy gives it (placed first). */
  editorial?: ReadonlyArray<{ index: number; slot: number; playlistId: string }> | undefined;
  artistOf: Int32Array;
  embedding: (index: number) => Float32Array;
  sourceOf: (index: number) => Source;
  limit: number;
  maxPerArtist: number;
  /** 0 = pure relevance, 1 = pure novelty against what is already in the list. */
  diversity: number;
  explorationShare: number;
  /** The listener's own favourites, strongest first, for the familiar share of slots. */
  familiarPool?: Int32Array | undefined;
  familiarShare?: number | undefined;
}

/** Campaigns never take more than this many slots of one list. */
const MAX_BOOSTS = 2;

function cosine(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += (a[k] as number) * (b[k] as number);
  return s;
}

/**
 * Orders up to `limit` picks. Editorial picks take their playlists' slots, boosts slots 2 and 7 (the next free ones), exploration slots are spread evenly, MMR
 * fills the rest in order; the artist cap is relaxed only when the pool cannot fill the list otherwise.
 *
 * @example rerank({ pool, explorePool, rel, boosts: [], artistOf, embedding, sourceOf, limit: 20, maxPerArtist: 2, diversity: 0.3, explorationShare: 0.1 })
 */
export function rerank(input: RerankInput): Pick[] {
  const { limit, rel, artistOf } = input;
  const slots: Array<Pick | null> = new Array(limit).fill(null);
  const taken = new Set<number>();
  const perArtist = new Map<number, number>();
  const pool = Array.from(input.pool);
  // Looked up once: every take compares its pick with the whole pool.
  const poolEmbeddings = pool.map((i) => input.embedding(i));
  const maxSim = new Float32Array(pool.length).fill(-1);

  const capOk = (i: number) => (perArtist.get(artistOf[i] as number) ?? 0) < input.maxPerArtist;
  const take = (slot: number, pick: Pick) => {
    slots[slot] = pick;
    taken.add(pick.index);
    const a = artistOf[pick.index] as number;
    perArtist.set(a, (perArtist.get(a) ?? 0) + 1);
    const e = input.embedding(pick.index);
    for (let p = 0; p < pool.length; p++) {
      const s = cosine(e, poolEmbeddings[p] as Float32Array);
      if (s > (maxSim[p] as number)) maxSim[p] = s;
    }
  };
  const freeSlotFrom = (start: number) => {
    for (let s = Math.min(start, limit - 1); s < limit; s++) if (slots[s] === null) return s;
    for (let s = 0; s < limit; s++) if (slots[s] === null) return s;
    return -1;
  };

  for (const pick of input.editorial ?? []) {
    if (pick.slot >= limit || slots[pick.slot] !== null || taken.has(pick.index)) continue;
    take(pick.slot, { index: pick.index, source: 'editorial', campaignId: null, playlistId: pick.playlistId });
  }
  for (const [k, boost] of input.boosts.slice(0, MAX_BOOSTS).entries()) {
    if (taken.has(boost.index)) continue;
    const slot = freeSlotFrom(1 + 5 * k);
    if (slot >= 0) take(slot, { index: boost.index, source: 'campaign', campaignId: boost.campaignId });
  }

  // Reserved shares, spread evenly over the list: familiar favourites first, then exploration.
  const reserve = (from: Int32Array, share: number, source: Source) => {
    const count = Math.min(limit, Math.round(limit * share));
    let next = 0;
    for (let k = 0; k < count; k++) {
      while (next < from.length) {
        const i = from[next++] as number;
        if (taken.has(i) || !capOk(i)) continue;
        const slot = freeSlotFrom(Math.floor(((k + 1) * limit) / (count + 1)));
        if (slot >= 0) take(slot, { index: i, source, campaignId: null });
        break;
      }
    }
  };
  reserve(input.familiarPool ?? new Int32Array(), input.familiarShare ?? 0, 'familiar');
  reserve(input.explorePool, input.explorationShare, 'exploration');

  // MMR on relevance scaled to 0..1 within the pool, so `diversity` means the same for every user.
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const i of pool) {
    lo = Math.min(lo, rel[i] as number);
    hi = Math.max(hi, rel[i] as number);
  }
  const span = hi > lo ? hi - lo : 1;
  const lambda = 1 - input.diversity;
  for (let relaxed = 0; relaxed < 2; relaxed++) {
    for (let slot = freeSlotFrom(0); slot >= 0; slot = freeSlotFrom(0)) {
      let best = -1;
      let bestValue = Number.NEGATIVE_INFINITY;
      for (let p = 0; p < pool.length; p++) {
        const i = pool[p] as number;
        if (taken.has(i) || (relaxed === 0 && !capOk(i))) continue;
        const value = lambda * (((rel[i] as number) - lo) / span) - (1 - lambda) * Math.max(0, maxSim[p] as number);
        if (value > bestValue) {
          bestValue = value;
          best = i;
        }
      }
      if (best < 0) break;
      take(slot, { index: best, source: input.sourceOf(best), campaignId: null });
    }
  }
  return slots.filter((s): s is Pick => s !== null);
}
