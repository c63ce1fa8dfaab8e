import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { AS_OF_HEADER, csvResponse, toCsv, wantsCsv } from '../analytics/csv.ts';
import { derivedMetrics, METRICS } from '../analytics/definitions.ts';
import { bucketsOf, type DayRange, dayToIso, isoToDay, previousRange } from '../analytics/period.ts';
import { resolveRange } from '../analytics/range.ts';
import { allMetrics, audienceSummary, clockGrid, skipHistogram, sortRows, sourceMix, withChange } from '../analytics/views.ts';
import { allow, openArtist } from '../auth/scope.ts';
import {
  artistOfTrack,
  breakdownOver,
  countersByBucket,
  countersOver,
  distinctUsersByBucket,
  distinctUsersOver,
  listenersOf,
  listeningClock,
  periodTotals,
  trackCounters,
  ZERO_COUNTERS,
} from '../db/analytics.ts';
import { createDb, type Db } from '../db/client.ts';
import { markDaysStale, rollupsAsOf } from '../db/rollups.ts';
import type { AppEnv } from '../env.ts';
import { ApiError, validationError, zodIssues } from '../errors.ts';
import { rollupApplier } from '../rollups/applier.ts';
import {
  ArtistParams,
  AudienceSchema,
  OverviewSchema,
  RangeQuery,
  ReachSchema,
  RefreshBody,
  RefreshSchema,
  TimeseriesQuery,
  TimeseriesSchema,
  TrackDetailSchema,
  TrackParams,
  TracksQuery,
  TrackTableSchema,
} from '../schemas/analytics.ts';
import { errorResponse } from '../schemas/error.ts';
import { newRouter } from './router.ts';
import { bearerAuth } from './security.ts';

/** Artist analytics, mounted under /v1/artists next to the catalogue's artist routes. */
export const artistAnalytics = newRouter();

const errors = {
  400: errorResponse('Invalid parameter (details.issues[].path names it)'),
  403: errorResponse('The key is not bound to this artist'),
  404: errorResponse('No such artist or track'),
} as const;

function ok<T extends z.ZodType>(description: string, schema: T) {
  return { description, content: { 'application/json': { schema }, 'text/csv': { schema: z.string() } } };
}

const period = (r: DayRange) => ({ from: dayToIso(r.from), to: dayToIso(r.to) });

/**
 * Scope first (a bound key learns nothing about other artists, not even existence), then existence,
 * then how fresh the rollups of the days read are. Reads only read rollups: the rollup applier keeps
 * them current (worker/rollups/applier.ts), so no read waits on a recompute.
 */
async function openArtistRange(c: Context<AppEnv>, artistId: string, from: number, to: number): Promise<{ db: Db; asOf: string }> {
  const db = createDb(c.env.DB);
  const [, asOf] = await Promise.all([openArtist(c.get('principal'), db, artistId), rollupsAsOf(db, { from, to }, Date.now())]);
  const iso = new Date(asOf).toISOString();
  c.header(AS_OF_HEADER, iso);
  return { db, asOf: iso };
}

artistAnalytics.openapi(
  createRoute({
    ...allow('admin', 'artist', 'marketer'),
    method: 'get',
    path: '/{id}/overview',
    operationId: 'getArtistOverview',
    tags: ['Artist analytics'],
    summary: 'Every headline metric over a period, with the change against the previous period of equal length',
    security: bearerAuth,
    request: { params: ArtistParams, query: RangeQuery },
    responses: { 200: ok('Metrics of the period', OverviewSchema), ...errors },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const range = resolveRange(c.req.valid('query'), Date.now());
    const prev = previousRange(range);
    const { db, asOf } = await openArtistRange(c, id, prev.from, range.to);
    const [totals, sources] = await Promise.all([
      periodTotals(db, id, range, prev),
      breakdownOver(db, { artistId: id }, ['source'], range),
    ]);
    const metrics = withChange(
      allMetrics(totals.current.counters, totals.current.users),
      allMetrics(totals.previous.counters, totals.previous.users),
    );
    if (wantsCsv(c)) {
      const rows = Object.entries(metrics).map(([metric, v]) => ({ metric, label: METRICS[metric as keyof typeof METRICS].label, ...v }));
      return csvResponse(toCsv(rows, ['metric', 'label', 'value', 'previous', 'change']), `${id}-overview.csv`, asOf);
    }
    const source_mix = sourceMix(new Map(sources.map((r) => [r.key, r.streams])));
    return c.json({ artist_id: id, period: period(range), as_of: asOf, previous_period: period(prev), metrics, source_mix }, 200);
  },
);

artistAnalytics.openapi(
  createRoute({
    ...allow('admin', 'artist', 'marketer'),
    method: 'get',
    path: '/{id}/timeseries',
    operationId: 'getArtistTimeseries',
    tags: ['Artist analytics'],
    summary: 'One metric per day or ISO week (Monday start); listeners and reach are distinct within each bucket',
    security: bearerAuth,
    request: { params: ArtistParams, query: TimeseriesQuery },
    responses: { 200: ok('The series, one point per bucket, no gaps', TimeseriesSchema), ...errors },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const q = c.req.valid('query');
    const range = resolveRange(q, Date.now());
    const { db, asOf } = await openArtistRange(c, id, range.from, range.to);
    const [counters, users] = await Promise.all([
      countersByBucket(db, { artistId: id }, range, q.granularity),
      q.metric === 'listeners' || q.metric === 'algorithmic_reach'
        ? distinctUsersByBucket(db, id, range, q.granularity)
        : Promise.resolve(null),
    ]);
    const points = bucketsOf(range, q.granularity).map((b) => ({
      date: dayToIso(b),
      value: allMetrics(counters.get(b) ?? ZERO_COUNTERS, users?.get(b) ?? { listeners: 0, reach: 0 })[q.metric],
    }));
    if (wantsCsv(c)) return csvResponse(toCsv(points, ['date', 'value']), `${id}-${q.metric}-${q.granularity}.csv`, asOf);
    return c.json({ artist_id: id, metric: q.metric, granularity: q.granularity, period: period(range), as_of: asOf, points }, 200);
  },
);

const TRACK_COLUMNS = [
  'track_id',
  'title',
  'duration_ms',
  'streams',
  'plays_started',
  'completion_rate',
  'skip_rate',
  'saves',
  'saves_per_1000_streams',
  'playlist_adds',
  'playlist_adds_per_1000_streams',
  'algorithmic_impressions',
  'algorithmic_streams',
  'conversion',
] as const;

artistAnalytics.openapi(
  createRoute({
    ...allow('admin', 'artist', 'marketer'),
    method: 'get',
    path: '/{id}/tracks',
    operationId: 'listArtistTracks',
    tags: ['Artist analytics'],
    summary: 'Per-track table over a period, sortable by any column (nulls last)',
    security: bearerAuth,
    request: { params: ArtistParams, query: TracksQuery },
    responses: { 200: ok('Every track of the artist', TrackTableSchema), ...errors },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const q = c.req.valid('query');
    const range = resolveRange(q, Date.now());
    const { db, asOf } = await openArtistRange(c, id, range.from, range.to);
    const rows = (await trackCounters(db, id, range)).map(({ trackId, title, durationMs, ...counters }) => ({
      track_id: trackId,
      title,
      duration_ms: durationMs,
      ...derivedMetrics(counters),
    }));
    const tracks = sortRows(rows, q.sort, q.order);
    if (wantsCsv(c)) return csvResponse(toCsv(tracks, TRACK_COLUMNS), `${id}-tracks.csv`, asOf);
    return c.json({ artist_id: id, period: period(range), as_of: asOf, sort: q.sort, order: q.order, tracks }, 200);
  },
);

artistAnalytics.openapi(
  createRoute({
    ...allow('admin', 'artist', 'marketer'),
    method: 'get',
    path: '/{id}/tracks/{trackId}',
    operationId: 'getArtistTrack',
    tags: ['Artist analytics'],
    summary: "One track's metrics, skip-position histogram (tenths) and source mix",
    security: bearerAuth,
    request: { params: TrackParams, query: RangeQuery },
    responses: { 200: ok('The track; CSV gives the skip histogram', TrackDetailSchema), ...errors },
  }),
  async (c) => {
    const { id, trackId } = c.req.valid('param');
    const range = resolveRange(c.req.valid('query'), Date.now());
    const { db, asOf } = await openArtistRange(c, id, range.from, range.to);
    const track = await artistOfTrack(db, trackId);
    // A track of another artist is "not found" here: the URL's artist scopes the lookup.
    if (!track || track.artistId !== id) throw new ApiError(404, 'track_not_found', `Artist ${id} has no track ${trackId}`);
    const scope = { artistId: id, trackId };
    const [counters, breakdown] = await Promise.all([
      countersOver(db, scope, range),
      breakdownOver(db, scope, ['source', 'skip_decile'], range),
    ]);
    const skips = new Map(breakdown.filter((r) => r.dim === 'skip_decile').map((r) => [Number(r.key), r.count]));
    const sources = new Map(breakdown.filter((r) => r.dim === 'source').map((r) => [r.key, r.streams]));
    const skip_positions = skipHistogram(skips);
    if (wantsCsv(c))
      return csvResponse(toCsv(skip_positions, ['bin', 'from_share', 'to_share', 'skips']), `${trackId}-skip-positions.csv`, asOf);
    return c.json(
      {
        track_id: trackId,
        artist_id: id,
        title: track.title,
        duration_ms: track.durationMs,
        period: period(range),
        as_of: asOf,
        metrics: derivedMetrics(counters),
        skip_positions,
        source_mix: sourceMix(sources),
      },
      200,
    );
  },
);

artistAnalytics.openapi(
  createRoute({
    ...allow('admin', 'artist', 'marketer'),
    method: 'get',
    path: '/{id}/audience',
    operationId: 'getArtistAudience',
    tags: ['Artist analytics'],
    summary: 'Listening clock (local weekday × hour), new vs returning listeners, engagement tiers',
    security: bearerAuth,
    request: { params: ArtistParams, query: RangeQuery },
    responses: { 200: ok('The audience; CSV gives the listening clock', AudienceSchema), ...errors },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const range = resolveRange(c.req.valid('query'), Date.now());
    // New vs returning reads each listener's first-ever stream: every stale day up to `to` matters.
    const { db, asOf } = await openArtistRange(c, id, 0, range.to);
    const [cells, listeners] = await Promise.all([listeningClock(db, id, range), listenersOf(db, id, range)]);
    const clock = clockGrid(cells);
    if (wantsCsv(c)) return csvResponse(toCsv(clock, ['weekday', 'hour', 'streams']), `${id}-listening-clock.csv`, asOf);
    return c.json({ artist_id: id, period: period(range), as_of: asOf, ...audienceSummary(listeners, range.from), clock }, 200);
  },
);

artistAnalytics.openapi(
  createRoute({
    ...allow('admin', 'artist', 'marketer'),
    method: 'get',
    path: '/{id}/reach',
    operationId: 'getArtistReach',
    tags: ['Artist analytics'],
    summary: 'Impressions → algorithmic streams → saves by surface, and reach per day',
    security: bearerAuth,
    request: { params: ArtistParams, query: RangeQuery },
    responses: { 200: ok('Funnel and daily reach; CSV gives the funnel', ReachSchema), ...errors },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const range = resolveRange(c.req.valid('query'), Date.now());
    const { db, asOf } = await openArtistRange(c, id, range.from, range.to);
    const [surfaces, users, dailyCounters, dailyUsers] = await Promise.all([
      breakdownOver(db, { artistId: id }, ['surface'], range),
      distinctUsersOver(db, id, range),
      countersByBucket(db, { artistId: id }, range, 'day'),
      distinctUsersByBucket(db, id, range, 'day'),
    ]);
    const funnel = surfaces
      .map((r) => ({
        surface: r.key,
        impressions: r.impressions,
        streams: r.streams,
        saves: r.saves,
        conversion: r.impressions > 0 ? r.streams / r.impressions : null,
      }))
      .sort((a, b) => b.impressions - a.impressions || a.surface.localeCompare(b.surface));
    if (wantsCsv(c))
      return csvResponse(toCsv(funnel, ['surface', 'impressions', 'streams', 'saves', 'conversion']), `${id}-reach-funnel.csv`, asOf);
    const series = bucketsOf(range, 'day').map((d) => ({
      date: dayToIso(d),
      impressions: dailyCounters.get(d)?.impressions ?? 0,
      reach: dailyUsers.get(d)?.reach ?? 0,
      algorithmic_streams: dailyCounters.get(d)?.algorithmicStreams ?? 0,
    }));
    return c.json({ artist_id: id, period: period(range), as_of: asOf, reach: users.reach, funnel, series }, 200);
  },
);

/** Admin: bring the rollups up to date now (what the applier does after every ingest, and the cron every minute). */
export const analyticsAdmin = newRouter();

analyticsAdmin.openapi(
  createRoute({
    ...allow('admin'),
    method: 'post',
    path: '/refresh',
    operationId: 'refreshAnalytics',
    tags: ['Artist analytics'],
    summary: 'Apply every pending rollup delta and recompute marked days now (the applier and the cron do this on their own)',
    description:
      'The body is optional and every field has a default, so no body or `{}` means: apply every pending delta and recompute up to 31 marked days. ' +
      'Unknown fields are rejected (400, named in details.issues).',
    security: bearerAuth,
    request: { body: { content: { 'application/json': { schema: RefreshBody } }, required: false } },
    responses: {
      200: { description: 'Days refreshed and days still stale', content: { 'application/json': { schema: RefreshSchema } } },
      403: errors[403],
    },
  }),
  async (c) => {
    const parsed = RefreshBody.safeParse((await c.req.json().catch(() => null)) ?? {});
    if (!parsed.success) throw validationError(zodIssues(parsed.error, 'json'));
    const { max_days, stale_from, stale_to } = parsed.data;
    if (stale_from) await markDaysStale(createDb(c.env.DB), isoToDay(stale_from), isoToDay(stale_to ?? stale_from), Date.now());
    const { deltas, ...days } = await rollupApplier(c.env).refresh({ maxDays: max_days, retryFailed: true });
    return c.json({ ...days, batches_applied: deltas.applied, failed_batches: deltas.failed }, 200);
  },
);
