/**
 * One recommendation list: taste from the request-time history, model scores (or seeds or
 * popularity for users without history), context shift, filters, then the business rules of
 * rerank.ts and a reason per item. I/O happens in the caller; this module only computes.
 */
import type { ActiveBoost } from '../campaigns/boosts.ts';
import type { HistoryEvent } from '../db/recs.ts';
import type { LoadedModel } from '../model/loaded-model.ts';
import type { Source } from '../schemas/recommendations.ts';
import { candidateUnion, FULL_SCAN_MAX_ITEMS, followersOf, itemNeighbours } from './candidates.ts';
import { type Catalogue, newReleaseSince, unitEmbedding } from './catalogue.ts';
import { contextMatcher, contextTargets, type ListeningContext } from './context.ts';
import { type Taste, tasteOf } from './history.ts';
import { reasonFor } from './reasons.ts';
import { type Pick, rerank } from './rerank.ts';
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
  /** Artist ids whose tracks are left out. */
  excludeArtists: readonly string[];
  seedArtists: readonly string[];
  seedGenres: readonly string[];
  /** Share of slots reserved for under-exposed artists and new releases (0..0.5). */
  exploration: number;
  maxPerArtist: number;
  /** 0..1, weight of novelty against relevance in MMR. */
  diversity: number;
  /** Tracks played within this many hours are not recommended again (except in familiar slots). */
  recentHours: number;
  /** Share of slots (0..1) for the listener's own favourites, Daily-Mix style; 0 = only new to them. */
  familiar: number;
  /**
   * The track playing now (up next, radio): it leads the session, pulls its neighbours NOW_PLAYING_PULL
   * standard deviations up, is never served itself, and reasons name it.
   */
  nowPlaying?: string | undefined;
  /** How reasons name the track playing now: `to follow "X"` (up next, default) or `like "X"` (radio). */
  nowPlayingPhrase?: 'follow' | 'radio';
  /**
   * Only these track ids count as the listener's taste (a Daily Mix's cluster): they alone feed the
   * scorer, name reasons and fill familiar slots. What the listener rejected still counts everywhere.
   */
  tasteWithin?: ReadonlySet<string> | undefined;
  /** Only tracks released at or after this instant are served (Release Radar). */
  releasedSince?: number | undefined;
  /**
   * Tracks by artists the listener plays rise this many standard deviations of relevance (Release
   * Radar: new music from the artists you follow first), and reasons say `new from <artist>`.
   */
  knownArtistLift?: number | undefined;
  /**
   * False for lists that are generated once and kept (Daily Mix, Discover Weekly): what happens to be
   * playing in the last half hour does not steer a list served all day or all week.
   */
  sessionSteers?: boolean | undefined;
  /**
   * `popular` ranks by the week's popularity instead of the model (an experiment's baseline arm);
   * the listener's filters, exclusions and business rules still apply. Default `model`.
   */
  ranker?: 'model' | 'popular' | undefined;
  /**
   * Tracks that pull their neighbours up as the session's tracks do (weight 1 = the newest play of a
   * session): a Daily Mix pulls toward the heart of its cluster, so the mix stays one sound.
   */
  pullToward?: ReadonlyArray<{ trackId: string; weight: number }> | undefined;
}

export interface RecItem {
  trackId: string;
  score: number;
  reason: string;
  source: Source;
  campaignId: string | null;
  /** The editorial playlist of an `editorial` pick. */
  playlistId: string | null;
}

/**
 * A published editorial playlist whose position policy applies to this request (surface, country
 * and schedule already checked by the caller): the track of it that fits the listener best takes
 * `position` when the listener's genres and the request's activity match its target.
 */
export interface EditorialSlot {
  playlistId: string;
  title: string;
  /** 1-based. */
  position: number;
  trackIds: readonly string[];
  /** Empty: any listener; else one of these must be among the listener's genres. */
  genres: readonly string[];
  /** Empty: any request; else the request's activity must be one of these. */
  activities: readonly string[];
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
  /** Editorial slots for this request (home lists); none for generated playlists. */
  editorial?: readonly EditorialSlot[] | undefined;
}

/**
 * The listener's taste from their newest-first events, and its tracks in catalogue space, strongest
 * first (tracks the model never saw count too), only those in `within` when given. Shared by every
 * surface, so a playlist sees the taste a home list sees.
 */
export function listenerTaste(
  model: LoadedModel,
  cat: Catalogue,
  events: readonly HistoryEvent[],
  now: number,
  recentHours: number,
  within?: ReadonlySet<string>,
): { taste: Taste; items: Array<readonly [number, number]> } {
  const taste = tasteOf(events, now, {
    weights: model.manifest.eventWeights,
    halfLifeDays: model.manifest.halfLifeDays,
    recentHours,
    durationOf: (id) => {
      const i = cat.indexOf.get(id);
      return i === undefined ? undefined : cat.durationMs[i];
    },
  });
  const items = [...taste.strength]
    .filter(([id]) => within === undefined || within.has(id))
    .map(([id, w]) => [cat.indexOf.get(id), w] as const)
    .filter((h): h is readonly [number, number] => h[0] !== undefined)
    .sort((a, b) => b[1] - a[1])
    .slice(0, MAX_HISTORY);
  return { taste, items };
}

/**
 * @example const rec = await recommend({ model, catalogue, events, boosts, now }, { ...DEFAULT_OPTIONS, exclude: [], seedArtists: [], seedGenres: [] }, timer);
 */
export async function recommend(input: RecommendInput, opts: RecommendOptions, timer: PhaseTimer): Promise<Recommendation> {
  const { model, catalogue: cat, now } = input;
  const playing = opts.nowPlaying === undefined ? undefined : cat.indexOf.get(opts.nowPlaying);
  // The track playing now is the newest play of the session, whatever the app has logged yet.
  const events: readonly HistoryEvent[] =
    playing === undefined
      ? input.events
      : [{ trackId: opts.nowPlaying as string, type: 'play_start', ts: now, msPlayed: null }, ...input.events];
  const { taste, items: tasteItems } = listenerTaste(input.model, cat, events, now, opts.recentHours, opts.tasteWithin);
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
  if (playing !== undefined) anchors.unshift(...(anchors.includes(playing) ? anchors.splice(anchors.indexOf(playing), 1) : [playing]));

  // What listeners play after the session's tracks, by the bundle's transitions (none without them).
  const steeringSession = opts.sessionSteers === false ? taste.session.filter((s) => s.trackId === opts.nowPlaying) : taste.session;
  const sessionItems = steeringSession.map((s) => cat.indexOf.get(s.trackId)).filter((i): i is number => i !== undefined);
  const followers = followersOf(model, sessionItems);
  const full = cat.modelItems <= FULL_SCAN_MAX_ITEMS;
  const byPopularity = coldStart === 'popular' || opts.ranker === 'popular';
  const candidates = byPopularity
    ? []
    : full
      ? 'all'
      : [...new Set([...candidateUnion(model, cat, anchors, genres), ...followers.keys(), ...editorialCandidates(cat, input.editorial)])];
  let scored = byPopularity
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
  for (const id of [...opts.exclude, ...taste.rejected, ...taste.recent, ...(opts.nowPlaying ? [opts.nowPlaying] : [])]) {
    const i = cat.indexOf.get(id);
    if (i !== undefined) blocked[i] = 1;
  }
  const blockedArtists = new Set<number>();
  for (const id of opts.excludeArtists) {
    const a = cat.artistIndex.get(id);
    if (a !== undefined) blockedArtists.add(a);
  }
  for (const id of taste.rejectedArtistsOf) {
    const i = cat.indexOf.get(id);
    if (i !== undefined && (cat.artistOf[i] as number) >= 0) blockedArtists.add(cat.artistOf[i] as number);
  }
  for (const a of blockedArtists) for (const i of cat.tracksOfArtist[a] ?? []) blocked[i] = 1;
  if (opts.releasedSince !== undefined) {
    // NaN (no release date) fails the comparison too: a track of unknown age is not a new release.
    for (let i = 0; i < cat.size; i++) if (!((cat.releasedAt[i] as number) >= opts.releasedSince)) blocked[i] = 1;
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

  for (let i = 0; i < cat.size; i++) if (blocked[i] === 1) rel[i] = Number.NEGATIVE_INFINITY;
  // Release Radar only: the artists the listener plays (from the taste this list is built on) rise.
  const knownArtists = opts.knownArtistLift ? new Set(tasteItems.map(([i]) => cat.artistOf[i] as number).filter((a) => a >= 0)) : undefined;
  if (knownArtists && opts.knownArtistLift) {
    for (const a of knownArtists) {
      for (const i of cat.tracksOfArtist[a] ?? [])
        if (rel[i] !== Number.NEGATIVE_INFINITY) rel[i] = (rel[i] as number) + opts.knownArtistLift;
    }
  }
  const targets = contextTargets(opts.context);
  if (targets)
    steerWithinPersonal(
      rel,
      contextMatcher(targets),
      cat.contextFeatures,
      targets.strength,
      Math.max(CONTEXT_POOL, POOL_PER_SLOT * opts.limit),
    );

  const poolSize = Math.max(MIN_POOL, POOL_PER_SLOT * opts.limit);
  // The last events steer the next list at once: the session's tracks pull their neighbours up (and
  // bring them into the pool), recent skips push theirs down.
  const nudges = [
    ...steeringSession.map(({ trackId, weight }) => ({
      trackId,
      weight: (trackId === opts.nowPlaying ? NOW_PLAYING_PULL : SESSION_PULL) * weight,
    })),
    ...(opts.pullToward ?? []).map(({ trackId, weight }) => ({ trackId, weight: SESSION_PULL * weight })),
    ...taste.skips.map(({ trackId, weight }) => ({ trackId, weight: -SKIP_PUSH * weight })),
  ].flatMap(({ trackId, weight }) => {
    const i = cat.indexOf.get(trackId);
    return i === undefined ? [] : [{ index: i, embedding: unitEmbedding(model, cat, i), weight }];
  });
  const near = new Set(topK(rel, poolSize));
  for (const n of nudges) {
    if (n.weight <= 0 || n.index >= cat.modelItems) continue;
    for (const i of itemNeighbours(model, n.index)) if (rel[i] !== Number.NEGATIVE_INFINITY) near.add(i);
  }
  // What listeners play after the session's tracks (the bundle's transitions) enters the pool too.
  for (const i of followers.keys()) if (rel[i] !== Number.NEGATIVE_INFINITY) near.add(i);
  const nudged = nudgedNear(Int32Array.from(near), rel, nudges, (i) => unitEmbedding(model, cat, i));
  const pool = lifted(nudged, rel, followers).subarray(0, poolSize);
  const newSince = newReleaseSince(now);
  for (let i = 0; i < cat.size; i++) {
    if (rel[i] === Number.NEGATIVE_INFINITY) continue;
    if (cat.underExposedArtist[cat.artistOf[i] as number] === 1 || (cat.releasedAt[i] as number) >= newSince) explore[i] = rel[i] as number;
  }
  const explorePool = nudgedNear(topK(explore, poolSize), explore, nudges, (i) => unitEmbedding(model, cat, i), near);
  // The listener's own favourites for familiar slots: strongest first (nearest the track playing now,
  // when there is one), recent plays allowed, the rest of the blocks (exclusions, rejections, artists
  // said no to) kept.
  const excluded = new Set(opts.exclude);
  if (opts.nowPlaying) excluded.add(opts.nowPlaying);
  let favourites = tasteItems.map(([i]) => i);
  if (playing !== undefined) {
    const p = unitEmbedding(model, cat, playing);
    const closeness = new Map(favourites.map((i) => [i, dot(unitEmbedding(model, cat, i), p)]));
    favourites = favourites.sort((a, b) => (closeness.get(b) as number) - (closeness.get(a) as number));
  }
  const familiarPool = Int32Array.from(
    favourites.filter((i) => cat.listed[i] === 1 && !excluded.has(cat.ids[i] as string) && !blockedArtists.has(cat.artistOf[i] as number)),
  );

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

  const editorial = editorialPicks(input.editorial ?? [], { cat, blocked, genres, activity: targets?.activity ?? null, raw, sourceOf });

  const picks = rerank({
    editorial,
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
    familiarPool,
    familiarShare: opts.familiar,
  });
  const reasonCtx = {
    model,
    catalogue: cat,
    anchors,
    genres,
    now,
    playing: playing ?? null,
    playingPhrase: opts.nowPlayingPhrase ?? 'follow',
    newFrom: knownArtists,
    editorialTitles: new Map((input.editorial ?? []).map((e) => [e.playlistId, e.title])),
  };
  const items = picks.map((p: Pick) => ({
    trackId: cat.ids[p.index] as string,
    score: Math.round((raw[p.index] as number) * 1e6) / 1e6,
    reason: reasonFor(p, reasonCtx),
    source: p.source,
    campaignId: p.campaignId,
    playlistId: p.playlistId ?? null,
  }));
  timer.mark('rerank');
  return { items, holdoutCampaigns, activity: targets?.activity ?? null, coldStart, fallback };
}

/**
 * One pick per editorial slot whose target matches: among the playlist's tracks that may be served
 * (listed, not blocked for this listener), the one the model scores highest for them (the same rule
 * `npm run eval:editorial` measures offline); the first in playlist order when nothing is scored (cold start).
 */
function editorialPicks(
  slots: readonly EditorialSlot[],
  ctx: {
    cat: Catalogue;
    blocked: Uint8Array;
    genres: ReadonlySet<number>;
    activity: string | null;
    raw: Float32Array;
    sourceOf: Uint8Array;
  },
): Array<{ index: number; slot: number; playlistId: string }> {
  const { cat, blocked } = ctx;
  const out: Array<{ index: number; slot: number; playlistId: string }> = [];
  const used = new Set<number>();
  for (const s of slots) {
    if (s.activities.length > 0 && (ctx.activity === null || !s.activities.includes(ctx.activity))) continue;
    if (s.genres.length > 0 && !s.genres.some((g) => ctx.genres.has(cat.genreIndex.get(g) ?? -1))) continue;
    let best = -1;
    let bestFit = Number.NEGATIVE_INFINITY;
    for (const id of s.trackIds) {
      const i = cat.indexOf.get(id);
      if (i === undefined || blocked[i] === 1 || used.has(i)) continue;
      // Unscored tracks rank after scored ones, in playlist order.
      const fit = ctx.sourceOf[i] === 0 ? Number.MIN_SAFE_INTEGER : (ctx.raw[i] as number);
      if (fit > bestFit) {
        bestFit = fit;
        best = i;
      }
    }
    if (best < 0) continue;
    used.add(best);
    out.push({ index: best, slot: s.position - 1, playlistId: s.playlistId });
  }
  return out;
}

/** Model items of the editorial slots' playlists: scored with the candidates of a large catalogue, so a pick can be chosen. */
function editorialCandidates(cat: Catalogue, slots: readonly EditorialSlot[] | undefined): number[] {
  return (slots ?? []).flatMap((s) =>
    s.trackIds.map((id) => cat.indexOf.get(id)).filter((i): i is number => i !== undefined && i < cat.modelItems),
  );
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

/** How far a skip pushes down a track identical to the skipped one, in standard deviations of relevance. */
const SKIP_PUSH = 2;
/** How far the newest track of the session pulls up a track identical to it, same unit. */
const SESSION_PULL = 1.5;
/** The same for the track playing now when the app asks what comes next: the continuation leads. */
const NOW_PLAYING_PULL = 3;
/** Below this cosine to a nudging track nothing moves: only near neighbours do. */
const NEAR_COSINE = 0.3;

/**
 * `pool`, best first, after moving each track's relevance by its nearness to the nudging tracks
 * (the session's, weight > 0; recent skips, weight < 0):
 * `rel += Σ_n weight_n × max(0, (cos(i, n) − NEAR_COSINE) / (1 − NEAR_COSINE))`.
 * Only the pool moves (pool size × nudges × dims multiply-adds), which is where the list comes
 * from; tracks in `done` were moved already (their `rel` came from the main pool).
 */
function nudgedNear(
  pool: Int32Array,
  rel: Float32Array,
  nudges: ReadonlyArray<{ embedding: Float32Array; weight: number }>,
  embedding: (i: number) => Float32Array,
  done: ReadonlySet<number> = new Set(),
): Int32Array {
  for (const i of pool) {
    if (nudges.length === 0 || done.has(i)) continue;
    const e = embedding(i);
    let move = 0;
    for (const n of nudges) {
      move += n.weight * Math.max(0, (dot(e, n.embedding) - NEAR_COSINE) / (1 - NEAR_COSINE));
    }
    rel[i] = (rel[i] as number) + move;
  }
  return Int32Array.from(pool).sort((a, b) => (rel[b] as number) - (rel[a] as number));
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let q = 0; q < a.length; q++) s += (a[q] as number) * (b[q] as number);
  return s;
}

/**
 * `pool` (best first) after the offline blend of relevance and transitions, relevance + 1 ×
 * transitions with both scaled to their maximum (models/pipeline/evaluate-session.ts): the strongest follower
 * gains the pool's best relevance, the others in proportion.
 */
function lifted(pool: Int32Array, rel: Float32Array, followers: ReadonlyMap<number, number>): Int32Array {
  if (followers.size === 0 || pool.length === 0) return pool;
  const best = Math.max(1, rel[pool[0] as number] as number);
  for (const [i, s] of followers) if (rel[i] !== Number.NEGATIVE_INFINITY) rel[i] = (rel[i] as number) + best * s;
  return pool.sort((a, b) => (rel[b] as number) - (rel[a] as number));
}

/** Context re-orders the listener's own best candidates, this many (or POOL_PER_SLOT × limit): it never reaches past them. */
const CONTEXT_POOL = 300;

/**
 * Context steering that stays personal: among the `size` most relevant tracks, relevance becomes
 * `z(rel) + strength × z(match)` (both standardised over those tracks, so `strength` means the
 * same for every listener and context); every other track drops out. A sleep list is then the
 * calmest of what this listener would be served anyway, not the calmest of the catalogue.
 */
function steerWithinPersonal(
  rel: Float32Array,
  match: (features: Float32Array, row: number) => number,
  features: Float32Array,
  strength: number,
  size: number,
): void {
  const personal = topK(rel, size);
  if (personal.length === 0) return;
  const m = Float64Array.from(personal, (i) => match(features, i));
  const r = Float64Array.from(personal, (i) => rel[i] as number);
  const z = (xs: Float64Array) => {
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length) || 1;
    return xs.map((x) => (x - mean) / sd);
  };
  const zr = z(r);
  const zm = z(m);
  rel.fill(Number.NEGATIVE_INFINITY);
  for (const [k, i] of personal.entries()) rel[i] = (zr[k] as number) + strength * (zm[k] as number);
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
