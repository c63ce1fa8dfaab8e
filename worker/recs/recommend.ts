/**
 * One recommendation list: taste from the request-time history, model scores (or seeds or
 * popularity for users without history), context shift, filters, then the business rules of
 * rerank.ts and a reason per item. I/O happens in the caller; this module only computes.
 */
import type { ActiveBoost } from '../campaigns/boosts.ts';
import type { HistoryEvent } from '../db/recs.ts';
import type { LoadedModel } from '../model/loaded-model.ts';
import { candidateUnion, FULL_SCAN_MAX_ITEMS } from './candidates.ts';
import { type Catalogue, newReleaseSince, unitEmbedding } from './catalogue.ts';
import { contextMatcher, contextTargets, type ListeningContext } from './context.ts';
import { tasteOf } from './history.ts';
import { reasonFor } from './reasons.ts';
import { type Pick, rerank, type Source } from './rerank.ts';
import type { PhaseTimer } from './timing.ts';
import { topK } from './top-k.ts';
import { modelHistory } from './unseen-history.ts';

/** History entries passed to the scorer (strongest first). */
const MAX_HISTORY = 200;
/** Tracks considered by MMR: enough for diversity, small enough to stay well under a millisecond. */
const POOL_PER_SLOT = 10;
const MIN_POOL = 200;
const SEED_TRACKS_PER_ARTIST = 5;
const SEED_TRACKS_PER_GENRE = 10;
const ANCHORS = 10;

export interface RecommendOptions {
  limit: number;
  context?: ListeningContext | undefined;
  exclude: readonly string[];
  seedArtists: readonly string[];
  seedGenres: readonly string[];
  /** Share of slots reserved for under-exposed artists and new releases (0..0.5). */
  exploration: number;
  maxPerArtist: number;
  /** 0..1, weight of novelty against relevance in MMR. */
  diversity: number;
  /** Tracks played within this many hours are not recommended again. */
  recentHours: number;
}

export const DEFAULT_OPTIONS = { limit: 20, exploration: 0.1, maxPerArtist: 2, diversity: 0.3, recentHours: 24 } as const;

export interface RecItem {
  trackId: string;
  score: number;
  reason: string;
  source: Source;
  campaignId: string | null;
}

export interface Recommendation {
  items: RecItem[];
  /** Campaigns the user is held out of (logged with the list, nothing boosted). */
  holdoutCampaigns: string[];
  activity: string | null;
  coldStart: 'none' | 'seeds' | 'popular';
  /** Why the list is the popularity fallback although the user has history, or null. */
  fallback: 'model_scores_not_finite' | null;
}

export interface RecommendInput {
  model: LoadedModel;
  catalogue: Catalogue;
  events: readonly HistoryEvent[];
  boosts: readonly ActiveBoost[];
  now: number;
}

/**
 * @example const rec = await recommend({ model, catalogue, events, boosts, now }, { ...DEFAULT_OPTIONS, exclude: [], seedArtists: [], seedGenres: [] }, timer);
 */
export async function recommend(input: RecommendInput, opts: RecommendOptions, timer: PhaseTimer): Promise<Recommendation> {
  const { model, catalogue: cat, now } = input;
  const taste = tasteOf(input.events, now, {
    weights: model.manifest.eventWeights,
    halfLifeDays: model.manifest.halfLifeDays,
    recentHours: opts.recentHours,
    durationOf: (id) => {
      const i = cat.indexOf.get(id);
      return i === undefined ? undefined : cat.durationMs[i];
    },
  });

  // The taste in catalogue space, strongest first: tracks the model never saw count too.
  const tasteItems = [...taste.strength]
    .map(([id, w]) => [cat.indexOf.get(id), w] as const)
    .filter((h): h is readonly [number, number] => h[0] !== undefined)
    .sort((a, b) => b[1] - a[1])
    .slice(0, MAX_HISTORY);
  // The scorer's history in model space: unseen tracks stand in through their content neighbours.
  let history = modelHistory(model, cat, tasteItems).slice(0, MAX_HISTORY);
  const genres = new Set<number>();
  for (const [i] of tasteItems.slice(0, 50)) if ((cat.genreOf[i] as number) >= 0) genres.add(cat.genreOf[i] as number);
  let coldStart: Recommendation['coldStart'] = 'none';
  if (history.length === 0) {
    history = seedHistory(cat, opts, genres);
    coldStart = history.length > 0 ? 'seeds' : 'popular';
  }
  // What reasons name: the listener's own strongest tracks (unseen ones included), else the seeds.
  const anchors = (tasteItems.length > 0 && coldStart === 'none' ? tasteItems : history).slice(0, ANCHORS).map(([i]) => i);

  const full = cat.modelItems <= FULL_SCAN_MAX_ITEMS;
  const candidates = coldStart === 'popular' ? [] : full ? 'all' : candidateUnion(model, cat, anchors, genres);
  let scored =
    coldStart === 'popular'
      ? null
      : await model.score(
          history.map(([i]) => i),
          history.map(([, w]) => w),
          candidates,
        );
  // A model whose scores are all NaN or infinite would rank nothing: never answer an empty list for a
  // catalogue that has tracks, fall back to popularity and say why.
  let fallback: Recommendation['fallback'] = null;
  if (scored && !scored.scores.some(Number.isFinite)) {
    scored = null;
    coldStart = 'popular';
    fallback = 'model_scores_not_finite';
  }
  // From here to the end nothing awaits, so the per-isolate scratch arrays cannot be shared by two requests.
  const { rel, raw, source: sourceOf, blocked, explore } = scratch(cat.size);
  for (let i = 0; i < cat.size; i++) blocked[i] = 1 - (cat.listed[i] as number);
  for (const id of [...opts.exclude, ...taste.rejected, ...taste.recent]) {
    const i = cat.indexOf.get(id);
    if (i !== undefined) blocked[i] = 1;
  }
  if (!scored) {
    for (const i of cat.popular) {
      raw[i] = cat.popularity[i] as number;
      rel[i] = Math.log1p(raw[i] as number);
      sourceOf[i] = SOURCE_CODE.popular;
    }
    timer.mark('score');
  } else {
    const { scores, userVector } = scored;
    const itemSource = SOURCE_CODE[coldStart === 'seeds' ? 'seed' : full ? 'model' : 'neighbours'];
    const n = candidates === 'all' ? cat.modelItems : candidates.length;
    for (let k = 0; k < n; k++) {
      const i = candidates === 'all' ? k : (candidates[k] as number);
      raw[i] = scores[k] as number;
      sourceOf[i] = itemSource;
    }
    // Unseen tracks: the scorer's score is y·u, so a content embedding scores the same way.
    const d = model.dims;
    for (let j = 0; j < cat.size - cat.modelItems; j++) {
      let s = 0;
      let norm = 0;
      for (let q = 0; q < d; q++) {
        const e = cat.coldEmbeddings[j * d + q] as number;
        s += e * (userVector[q] as number);
        norm += e * e;
      }
      if (norm === 0) continue;
      const i = cat.modelItems + j;
      raw[i] = s;
      sourceOf[i] = SOURCE_CODE[coldStart === 'seeds' ? 'seed' : 'content'];
    }
    timer.mark('score');
    standardise(raw, sourceOf, blocked, rel);
  }

  const targets = contextTargets(opts.context);
  if (targets) {
    const match = contextMatcher(targets);
    for (let i = 0; i < cat.size; i++) {
      if (rel[i] === Number.NEGATIVE_INFINITY) continue;
      rel[i] = (rel[i] as number) + targets.strength * (match(cat.contextFeatures, i) - 0.5);
    }
  }
  for (let i = 0; i < cat.size; i++) if (blocked[i] === 1) rel[i] = Number.NEGATIVE_INFINITY;

  const poolSize = Math.max(MIN_POOL, POOL_PER_SLOT * opts.limit);
  const pool = topK(rel, poolSize);
  const newSince = newReleaseSince(now);
  for (let i = 0; i < cat.size; i++) {
    if (rel[i] === Number.NEGATIVE_INFINITY) continue;
    if (cat.underExposedArtist[cat.artistOf[i] as number] === 1 || (cat.releasedAt[i] as number) >= newSince) explore[i] = rel[i] as number;
  }
  const explorePool = topK(explore, poolSize);

  const holdoutCampaigns: string[] = [];
  const boosts: Array<{ index: number; campaignId: string }> = [];
  for (const b of input.boosts) {
    if (!b.treated) {
      holdoutCampaigns.push(b.campaignId);
      continue;
    }
    const i = cat.indexOf.get(b.trackId);
    if (i !== undefined && blocked[i] !== 1) boosts.push({ index: i, campaignId: b.campaignId });
  }

  const picks = rerank({
    pool,
    explorePool,
    rel,
    boosts,
    artistOf: cat.artistOf,
    embedding: (i) => unitEmbedding(model, cat, i),
    sourceOf: (i) => SOURCES[sourceOf[i] as number] ?? 'model',
    limit: opts.limit,
    maxPerArtist: opts.maxPerArtist,
    diversity: opts.diversity,
    explorationShare: opts.exploration,
  });
  const reasonCtx = { model, catalogue: cat, anchors, genres, now };
  const items = picks.map((p: Pick) => ({
    trackId: cat.ids[p.index] as string,
    score: Math.round((raw[p.index] as number) * 1e6) / 1e6,
    reason: reasonFor(p, reasonCtx),
    source: p.source,
    campaignId: p.campaignId,
  }));
  timer.mark('rerank');
  return { items, holdoutCampaigns, activity: targets?.activity ?? null, coldStart, fallback };
}

/** Sources as small codes in a typed array (0 = not scored): no per-request array of 50 000 strings. */
const SOURCES = [null, 'model', 'content', 'neighbours', 'popular', 'seed'] as const;
const SOURCE_CODE = { model: 1, content: 2, neighbours: 3, popular: 4, seed: 5 } as const satisfies Partial<Record<Source, number>>;

interface Scratch {
  rel: Float32Array;
  raw: Float32Array;
  source: Uint8Array;
  blocked: Uint8Array;
  explore: Float32Array;
}
let scratchArrays: Scratch | null = null;

/**
 * Per-isolate arrays sized to the catalogue, reset for this request: allocating ~1 MB per request
 * showed up as garbage-collection pauses in the p99.
 */
function scratch(size: number): Scratch {
  if (scratchArrays?.rel.length !== size) {
    scratchArrays = {
      rel: new Float32Array(size),
      raw: new Float32Array(size),
      source: new Uint8Array(size),
      blocked: new Uint8Array(size),
      explore: new Float32Array(size),
    };
  }
  const s = scratchArrays;
  s.rel.fill(Number.NEGATIVE_INFINITY);
  s.raw.fill(0);
  s.source.fill(0);
  s.explore.fill(Number.NEGATIVE_INFINITY);
  return s;
}

/** Model scores -> standard deviations from the mean of the scored, unblocked tracks. */
function standardise(raw: Float32Array, sourceOf: Uint8Array, blocked: Uint8Array, rel: Float32Array): void {
  let n = 0;
  let sum = 0;
  let sq = 0;
  for (let i = 0; i < raw.length; i++) {
    if (sourceOf[i] === 0 || blocked[i] === 1) continue;
    const v = raw[i] as number;
    n++;
    sum += v;
    sq += v * v;
  }
  const mean = n > 0 ? sum / n : 0;
  const std = n > 1 ? Math.sqrt(Math.max(1e-12, sq / n - mean * mean)) : 1;
  for (let i = 0; i < raw.length; i++) if (sourceOf[i] !== 0) rel[i] = ((raw[i] as number) - mean) / std;
}

/**
 * A pseudo-history for a user without one: the most popular model tracks of the seed artists and
 * of the seed genres, each with strength 1. Seed genres also count as the user's genres.
 */
function seedHistory(cat: Catalogue, opts: RecommendOptions, genres: Set<number>): Array<readonly [number, number]> {
  const out = new Map<number, number>();
  for (const artistId of opts.seedArtists) {
    const a = cat.artistIndex.get(artistId);
    if (a === undefined) continue;
    const tracks = (cat.tracksOfArtist[a] ?? [])
      .filter((i) => i < cat.modelItems)
      .sort((x, y) => (cat.popularity[y] as number) - (cat.popularity[x] as number));
    for (const i of tracks.slice(0, SEED_TRACKS_PER_ARTIST)) out.set(i, 1);
  }
  for (const genre of opts.seedGenres) {
    const g = cat.genreIndex.get(genre.toLowerCase());
    if (g === undefined) continue;
    genres.add(g);
    let added = 0;
    for (const i of cat.popularInGenre.get(g) ?? []) {
      if (i >= cat.modelItems) continue;
      out.set(i, 1);
      if (++added >= SEED_TRACKS_PER_GENRE) break;
    }
  }
  return [...out];
}
