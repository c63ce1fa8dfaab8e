/**
 * Generated playlists (Daily Mix, Discover Weekly, Release Radar) and radio stations. A personal
 * playlist is generated on its first read of the period (local day, or ISO week for Discover
 * Weekly), stored, and served unchanged for the rest of it; its impressions are logged once, when
 * it is generated, on the playlist's surface.
 */
import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { allow } from '../auth/scope.ts';
import { createDb, type Db } from '../db/client.ts';
import { type PlaylistItem, type StoredPlaylist, storedPlaylists, storePlaylistGroup } from '../db/playlists.ts';
import { insertServedList, listenerHistory } from '../db/recs.ts';
import { findUser } from '../db/users.ts';
import type { AppEnv } from '../env.ts';
import { ApiError } from '../errors.ts';
import { logger } from '../log.ts';
import type { Catalogue } from '../recs/catalogue.ts';
import type { RecommendInput } from '../recs/recommend.ts';
import { servingStateFor } from '../recs/serving-state.ts';
import { dayKey, weekKey } from '../recs/surfaces/period.ts';
import { dailyMixes, discoverWeekly, type GeneratedPlaylist, radio, radioSeedTrack, releaseRadar } from '../recs/surfaces/playlists.ts';
import { MAX_MIXES } from '../recs/surfaces/taste-clusters.ts';
import { PhaseTimer } from '../recs/timing.ts';
import { pokeRollups } from '../rollups/applier.ts';
import { errorResponse } from '../schemas/error.ts';
import { PlaylistListSchema, PlaylistParams, PlaylistSchema, RadioQuerySchema } from '../schemas/playlists.ts';
import type { Source } from '../schemas/recommendations.ts';
import { newRouter } from './router.ts';
import { bearerAuth } from './security.ts';

export const playlists = newRouter();

const params = PlaylistParams.pick({ userId: true });
const common = {
  400: errorResponse('Invalid parameters (details.issues name the field)'),
  403: errorResponse('Only app and admin keys read playlists'),
  503: errorResponse('No model is active yet'),
} as const;

/** The kinds generated together, the period each lives for, and how each is made. */
interface Group {
  /** The kinds as a SQL LIKE pattern (`daily-mix-%`), for the store. */
  kinds: string;
  period: (now: number, timeZone: string | null) => string;
  generate: (input: RecommendInput, timer: PhaseTimer) => Promise<GeneratedPlaylist[]>;
}
const GROUPS: Record<'daily' | 'discover' | 'radar', Group> = {
  daily: { kinds: 'daily-mix-%', period: dayKey, generate: dailyMixes },
  discover: { kinds: 'discover-weekly', period: weekKey, generate: async (i, t) => [await discoverWeekly(i, t)] },
  radar: { kinds: 'release-radar', period: dayKey, generate: async (i, t) => [await releaseRadar(i, t)] },
};

function groupOf(kind: string): keyof typeof GROUPS | null {
  if (kind === 'discover-weekly') return 'discover';
  if (kind === 'release-radar') return 'radar';
  const n = /^daily-mix-([1-9])$/.exec(kind)?.[1];
  return n !== undefined && Number(n) <= MAX_MIXES ? 'daily' : null;
}

const SURFACE_OF: Record<keyof typeof GROUPS, GeneratedPlaylist['surface']> = {
  daily: 'daily_mix',
  discover: 'discover_weekly',
  radar: 'release_radar',
};

/** A generated playlist's items with the catalogue's titles and artists, as stored and served. */
function itemsOf(p: GeneratedPlaylist, cat: Catalogue): PlaylistItem[] {
  return p.rec.items.map((it) => {
    const i = cat.indexOf.get(it.trackId) as number;
    const a = cat.artistOf[i] as number;
    return {
      track_id: it.trackId,
      title: cat.titles[i] ?? '',
      artist_id: cat.artistIds[a] ?? '',
      artist_name: cat.artistNames[a] ?? '',
      score: it.score,
      reason: it.reason,
      source: it.source,
    };
  });
}

interface Served extends StoredPlaylist {
  surface: GeneratedPlaylist['surface'];
  coldStart: GeneratedPlaylist['rec']['coldStart'];
  /** Null when generated for this request only (radio, or a listener without history). */
  storedPeriod: string | null;
}

/** A stored playlist as served: stored lists are personal, kept for `period`. */
const asServed = (p: StoredPlaylist, g: keyof typeof GROUPS, period: string): Served => ({
  ...p,
  surface: SURFACE_OF[g],
  coldStart: 'none',
  storedPeriod: period,
});

const newRecId = () => `rec_${crypto.randomUUID().replaceAll('-', '')}`;

/** Logs a served playlist's impressions after the response (a list is never slowed by its log). */
function logImpressions(c: Context<AppEnv>, db: Db, userId: string, p: Served, at: number, tag: ExperimentTag): void {
  c.executionCtx.waitUntil(
    insertServedList(db, {
      recId: p.recId,
      userId,
      modelVersion: p.modelVersion,
      experimentId: tag?.id ?? null,
      arm: tag?.arm ?? null,
      surface: p.surface,
      context: JSON.stringify({ playlist: p.kind, period: p.storedPeriod, cold_start: p.coldStart }),
      servedAt: at,
      items: p.items.map((it) => ({ trackId: it.track_id, score: it.score, source: it.source, reason: it.reason, campaignId: null })),
    })
      .then(() => pokeRollups(c.env))
      .catch((err: unknown) => logger({ requestId: c.get('requestId') }).error('impression log failed', err, { recId: p.recId })),
  );
}

/** The split experiment arm a playlist was generated under (interleaving applies to recommendation lists only). */
type ExperimentTag = { id: string; arm: string } | null;

/** The model (the listener's experiment arm's), catalogue and history a generation needs. */
async function generationInput(
  c: Context<AppEnv>,
  db: Db,
  userId: string,
  now: number,
): Promise<RecommendInput & { experiment: ExperimentTag }> {
  const log = logger({ requestId: c.get('requestId') });
  const [{ model, catalogue, experiment }, events] = await Promise.all([
    servingStateFor(db, c.env.MODELS, userId, now, (p) => c.executionCtx.waitUntil(p), log),
    listenerHistory(db, userId, now),
  ]);
  const tag = experiment?.mode === 'split' ? { id: experiment.id, arm: experiment.arm.name } : null;
  return { model, catalogue, events, boosts: [], now, experiment: tag };
}

/**
 * The listener's playlists of `groups` for the current periods: stored ones as they are, missing
 * ones generated, stored (when personal) and logged.
 */
async function playlistsOf(c: Context<AppEnv>, userId: string, groups: ReadonlyArray<keyof typeof GROUPS>): Promise<Served[]> {
  const now = Date.now();
  const db = createDb(c.env.DB);
  const timeZone = (await findUser(db, userId))?.timezone ?? null;
  const periods = { daily: dayKey(now, timeZone), discover: weekKey(now, timeZone), radar: dayKey(now, timeZone) };
  const stored = await storedPlaylists(db, userId, [...new Set(Object.values(periods))]);
  const out: Served[] = [];
  let input: Awaited<ReturnType<typeof generationInput>> | null = null;
  for (const g of groups) {
    const group = GROUPS[g];
    const period = periods[g];
    const kept = stored.filter((p) => p.period === period && groupOf(p.kind) === g);
    if (kept.length > 0) {
      out.push(...kept.map((p) => asServed(p, g, period)));
      continue;
    }
    input ??= await generationInput(c, db, userId, now);
    const timer = new PhaseTimer();
    const made = await group.generate(input, timer);
    const cat = input.catalogue;
    const modelVersion = input.model.version;
    const served: Served[] = made.map((p) => ({
      kind: p.kind,
      period,
      recId: newRecId(),
      title: p.title,
      description: p.description,
      colour: p.colour,
      modelVersion,
      generatedAt: now,
      items: itemsOf(p, cat),
      surface: p.surface,
      coldStart: p.rec.coldStart,
      storedPeriod: p.rec.coldStart === 'none' ? period : null,
    }));
    const personal = served.filter((p) => p.storedPeriod !== null);
    const saved = personal.length > 0 ? await storePlaylistGroup(db, userId, period, personal, group.kinds) : null;
    if (saved && !saved.inserted) {
      // A concurrent request stored its generation first: serve that one, log nothing.
      out.push(...saved.playlists.map((p) => asServed(p, g, period)));
      continue;
    }
    for (const p of served) logImpressions(c, db, userId, p, now, input.experiment);
    out.push(...served);
  }
  return out.sort((a, b) => kindOrder(a.kind) - kindOrder(b.kind));
}

const kindOrder = (kind: string) =>
  kind.startsWith('daily-mix-') ? Number(kind.slice('daily-mix-'.length)) : kind === 'discover-weekly' ? 100 : 101;

function render(userId: string, p: Served) {
  return {
    kind: p.kind,
    surface: p.surface,
    title: p.title,
    description: p.description,
    colour: p.colour,
    period: p.storedPeriod,
    rec_id: p.recId,
    user_id: userId,
    model_version: p.modelVersion,
    generated_at: new Date(p.generatedAt).toISOString(),
    cold_start: p.coldStart,
    items: p.items.map((it, position) => ({ position, ...it, source: it.source as Source })),
  };
}

playlists.openapi(
  createRoute({
    ...allow('app', 'admin'),
    method: 'get',
    path: '/users/{userId}/playlists',
    operationId: 'listPlaylists',
    tags: ['Playlists'],
    summary: "The listener's generated playlists",
    description:
      'Daily Mix 1…k (one per cluster of their taste, k from their history, at most 6), Discover Weekly and Release Radar, ' +
      "each with its title, description, cover colour and track count. Lists missing for the current period (the local day, or the ISO week for Discover Weekly, in the listener's time zone) are generated now.",
    security: bearerAuth,
    request: { params },
    responses: { 200: { description: 'The playlists', content: { 'application/json': { schema: PlaylistListSchema } } }, ...common },
  }),
  async (c) => {
    const { userId } = c.req.valid('param');
    const all = await playlistsOf(c, userId, ['daily', 'discover', 'radar']);
    return c.json(
      {
        user_id: userId,
        playlists: all.map((p) => ({
          kind: p.kind,
          surface: p.surface,
          title: p.title,
          description: p.description,
          colour: p.colour,
          period: p.storedPeriod,
          rec_id: p.recId,
          tracks: p.items.length,
          href: `/v1/users/${encodeURIComponent(userId)}/playlists/${p.kind}`,
        })),
        radio: `/v1/users/${encodeURIComponent(userId)}/radio?track={track_id}`,
      },
      200,
    );
  },
);

playlists.openapi(
  createRoute({
    ...allow('app', 'admin'),
    method: 'get',
    path: '/users/{userId}/playlists/{kind}',
    operationId: 'getPlaylist',
    tags: ['Playlists'],
    summary: 'One generated playlist',
    description:
      '`daily-mix-N`: half favourites of one cluster of the taste, half new tracks close to it, no track in two mixes. ' +
      '`discover-weekly`: 30 tracks the listener has never played, one per artist, the same all week (a new list on Monday, local time). ' +
      '`release-radar`: releases of the last 14 days, from artists the listener plays first, then new tracks close to their taste (tracks without plays included). ' +
      'Impressions are logged once per generated list, on surface daily_mix, discover_weekly or release_radar.',
    security: bearerAuth,
    request: { params: PlaylistParams },
    responses: {
      200: { description: 'The playlist', content: { 'application/json': { schema: PlaylistSchema } } },
      ...common,
      404: errorResponse('No playlist of that kind for this listener (e.g. daily-mix-4 when their taste has three clusters)'),
    },
  }),
  async (c) => {
    const { userId, kind } = c.req.valid('param');
    const group = groupOf(kind);
    const notFound = () =>
      new ApiError(
        404,
        'playlist_not_found',
        `No playlist ${kind} for this listener (kinds: daily-mix-1 … daily-mix-6, discover-weekly, release-radar)`,
      );
    if (group === null) throw notFound();
    const found = (await playlistsOf(c, userId, [group])).find((p) => p.kind === kind);
    if (!found) throw notFound();
    return c.json(render(userId, found), 200);
  },
);

playlists.openapi(
  createRoute({
    ...allow('app', 'admin'),
    method: 'get',
    path: '/users/{userId}/radio',
    operationId: 'getRadio',
    tags: ['Playlists'],
    summary: 'A radio station from a track or an artist',
    description:
      "The session's continuation from the seed (as up next: the seed leads, what listeners play after it blends in), with a share of the listener's favourites that fit it. " +
      'Generated per request; logged as impressions on surface `radio`.',
    security: bearerAuth,
    request: { params, query: RadioQuerySchema },
    responses: {
      200: { description: 'The station', content: { 'application/json': { schema: PlaylistSchema } } },
      ...common,
      404: errorResponse('No track or artist with that id'),
    },
  }),
  async (c) => {
    const { userId } = c.req.valid('param');
    const q = c.req.valid('query');
    const now = Date.now();
    const db = createDb(c.env.DB);
    const input = await generationInput(c, db, userId, now);
    const seed = q.track !== undefined ? { track: q.track } : { artist: q.artist as string };
    const seedTrack = radioSeedTrack(input.catalogue, seed);
    if (seedTrack === null) {
      throw 'track' in seed
        ? new ApiError(404, 'track_not_found', `No track with id ${seed.track}`)
        : new ApiError(404, 'artist_not_found', `No artist with id ${seed.artist}`);
    }
    const station = await radio(
      input,
      seed,
      seedTrack,
      { limit: q.limit, familiar: q.familiar, exclude: q.exclude, excludeArtists: q.exclude_artists },
      new PhaseTimer(),
    );
    const served: Served = {
      kind: station.kind,
      period: '',
      recId: newRecId(),
      title: station.title,
      description: station.description,
      colour: station.colour,
      modelVersion: input.model.version,
      generatedAt: now,
      items: itemsOf(station, input.catalogue),
      surface: 'radio',
      coldStart: station.rec.coldStart,
      storedPeriod: null,
    };
    logImpressions(c, db, userId, served, now, input.experiment);
    return c.json(render(userId, served), 200);
  },
);
