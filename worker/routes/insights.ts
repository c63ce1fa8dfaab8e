import { createRoute, type z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { DAY_MS } from '../../contract/events.ts';
import { AS_OF_HEADER } from '../analytics/csv.ts';
import { BENCHMARK, PREVIOUSLY_ACTIVE_DAYS, ratio } from '../analytics/definitions.ts';
import { bucketsOf, type DayRange, dayToIso, epochDay, isoToDay, previousRange, rangeLength } from '../analytics/period.ts';
import { resolveRange } from '../analytics/range.ts';
import { hotWindowDays } from '../archive/hot-window.ts';
import { allow, openArtist } from '../auth/scope.ts';
import { artistOfTrack, countersByBucket, ZERO_COUNTERS } from '../db/analytics.ts';
import { createDb, type Db } from '../db/client.ts';
import {
  alertsOf,
  countriesOf,
  dailyStreamsFrom,
  deleteWebhook,
  deliveriesOf,
  hourlyStreamsFrom,
  insertWebhook,
  listenerDepth,
  previouslyActive,
  programmedStreams,
  reachRows,
  releasesOf,
  webhooksOf,
} from '../db/insights.ts';
import { rollupsAsOf } from '../db/rollups.ts';
import type { AppEnv } from '../env.ts';
import { ApiError, validationError } from '../errors.ts';
import { alertView, detectAlerts, enqueueDeliveries } from '../insights/alerts.ts';
import { countriesView, funnelView, segmentsView } from '../insights/audience.ts';
import { benchmarkView, comparableReleases, cumulative, releaseDayOf, typicalCurve } from '../insights/benchmark.ts';
import { reachDrivers } from '../insights/reach.ts';
import { MAX_WEBHOOKS_PER_ARTIST, newSecret, SIGNATURE_HEADER, webhookUrlProblem } from '../insights/webhooks.ts';
import { errorResponse } from '../schemas/error.ts';
import {
  AlertsQuery,
  AlertsSchema,
  ArtistParams,
  AudienceDepthSchema,
  BenchmarkSchema,
  DeliveriesQuery,
  DeliveriesSchema,
  InsightRangeQuery,
  ReachDriversSchema,
  ReachQuery,
  RunAlertsBody,
  RunAlertsSchema,
  TimelineSchema,
  TrackParams,
  WebhookBody,
  WebhookCreatedSchema,
  WebhookParams,
  WebhookPingSchema,
  WebhooksSchema,
} from '../schemas/insights.ts';
import { newRouter } from './router.ts';
import { bearerAuth } from './security.ts';

/** Artist insights (reach drivers, alerts, webhooks, release benchmark, audience depth, track timeline), mounted under /v1. */
export const insights = newRouter();

const TAG = 'Artist insights';
const errors = {
  400: errorResponse('Invalid parameter (details.issues[].path names it)'),
  403: errorResponse('The key is not bound to this artist, or its role may not do this'),
  404: errorResponse('No such artist, track or webhook'),
} as const;
const json = <T extends z.ZodType>(description: string, schema: T) => ({ description, content: { 'application/json': { schema } } });
const period = (r: DayRange) => ({ from: dayToIso(r.from), to: dayToIso(r.to) });

/**
 * The artist in the URL opened through the key's binding (403 for an artist outside it, whether or
 * not it exists, 404 when missing), with how fresh the rollups of the days read are.
 */
async function openArtistDays(c: Context<AppEnv>, artistId: string, days: DayRange | null): Promise<{ db: Db; asOf: string }> {
  const db = createDb(c.env.DB);
  const now = Date.now();
  const [, asOf] = await Promise.all([
    openArtist(c.get('principal'), db, artistId),
    days ? rollupsAsOf(db, days, now) : Promise.resolve(now),
  ]);
  const iso = new Date(asOf).toISOString();
  if (days) c.header(AS_OF_HEADER, iso);
  return { db, asOf: iso };
}

/** A track of the artist in the URL; another artist's track is "not found", exactly like a missing one. */
async function trackOf(db: Db, artistId: string, trackId: string) {
  const track = await artistOfTrack(db, trackId);
  if (!track || track.artistId !== artistId) throw new ApiError(404, 'track_not_found', `Artist ${artistId} has no track ${trackId}`);
  return track;
}

/** The period to compare with: the same length as `range`, from `compare_from`, or just before `range`. */
function compareRange(q: { compare_from?: string | undefined }, range: DayRange): DayRange {
  if (!q.compare_from) return previousRange(range);
  const from = isoToDay(q.compare_from);
  return { from, to: from + rangeLength(range) - 1 };
}

insights.openapi(
  createRoute({
    ...allow('admin', 'artist', 'marketer'),
    method: 'get',
    path: '/artists/{id}/insights/reach',
    operationId: 'getArtistReachDrivers',
    tags: [TAG],
    summary: 'What drives your reach: the change in algorithmic streams split into impressions and conversion, per surface and track',
    description:
      'Algorithmic streams = impressions × conversion. Each surface’s and track’s change is split by log shares (LMDI), so ' +
      '`contribution.impressions + contribution.conversion + contribution.unattributed = contribution.total` for every row and in total. ' +
      'Completion (completions ÷ streams) is reported beside it. `sentences` says the same in plain language.',
    security: bearerAuth,
    request: { params: ArtistParams, query: ReachQuery },
    responses: { 200: json('The decomposition and its sentences', ReachDriversSchema), ...errors },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const q = c.req.valid('query');
    const range = resolveRange(q, Date.now());
    const compare = compareRange(q, range);
    const { db, asOf } = await openArtistDays(c, id, { from: Math.min(range.from, compare.from), to: Math.max(range.to, compare.to) });
    const rows = await reachRows(db, id, range, compare);
    const drivers = reachDrivers({ ...rows, period: period(range) });
    return c.json({ artist_id: id, period: period(range), compare_period: period(compare), as_of: asOf, ...drivers }, 200);
  },
);

insights.openapi(
  createRoute({
    ...allow('admin', 'artist', 'marketer'),
    method: 'get',
    path: '/artists/{id}/alerts',
    operationId: 'listArtistAlerts',
    tags: [TAG],
    summary: 'Unusual days: a metric outside median ± 3 MAD of the artist’s own 28 days before (newest first)',
    security: bearerAuth,
    request: { params: ArtistParams, query: AlertsQuery },
    responses: { 200: json('Alerts whose day lies in the period', AlertsSchema), ...errors },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const q = c.req.valid('query');
    const range = resolveRange(q, Date.now());
    const { db } = await openArtistDays(c, id, null);
    const rows = await alertsOf(db, id, range, 1000);
    const alerts = rows.filter((a) => !q.metric || a.metric === q.metric).map(alertView);
    return c.json({ artist_id: id, period: period(range), alerts }, 200);
  },
);

insights.openapi(
  createRoute({
    ...allow('admin'),
    method: 'post',
    path: '/admin/insights/alerts/run',
    operationId: 'runAlertDetection',
    tags: [TAG],
    summary: 'Detect alerts of one day now (the daily job does yesterday on its own) and queue their webhook deliveries',
    security: bearerAuth,
    request: { body: { content: { 'application/json': { schema: RunAlertsBody } }, required: false } },
    responses: { 200: json('The alerts added (a day already examined adds nothing)', RunAlertsSchema), 400: errors[400], 403: errors[403] },
  }),
  async (c) => {
    const parsed = RunAlertsBody.safeParse((await c.req.json().catch(() => null)) ?? {});
    if (!parsed.success) {
      throw validationError(parsed.error.issues.map((i) => ({ path: ['json', ...i.path].join('.'), code: i.code, message: i.message })));
    }
    const now = Date.now();
    const day = parsed.data.day ? isoToDay(parsed.data.day) : epochDay(now) - 1;
    const { alerts, deliveries } = await detectAlerts({ db: createDb(c.env.DB), queue: c.env.WEBHOOKS }, [day], now);
    return c.json({ date: dayToIso(day), alerts: alerts.map(alertView), deliveries }, 200);
  },
);

// ---- Webhooks ----------------------------------------------------------------------------------

const webhookView = (w: { id: string; artistId: string; url: string; createdAt: number }) => ({
  id: w.id,
  artist_id: w.artistId,
  url: w.url,
  created_at: new Date(w.createdAt).toISOString(),
});

insights.openapi(
  createRoute({
    ...allow('admin', 'artist', 'marketer'),
    method: 'post',
    path: '/artists/{id}/webhooks',
    operationId: 'createArtistWebhook',
    tags: [TAG],
    summary: 'Register a URL that receives the artist’s alerts, signed with a secret shown only in this answer',
    description:
      'Each delivery is a POST of JSON with `Backbeat-Signature: t=<unix seconds>,v1=<hex>`, the hex being HMAC-SHA256(secret, `<t>.<raw body>`). ' +
      'A non-2xx answer, a redirect or a timeout (10 s) is retried after 30 s, 1, 2 and 4 minutes; after 5 attempts the delivery is `failed` ' +
      '(the dead-letter list: GET …/webhooks/deliveries?status=failed).',
    security: bearerAuth,
    request: { params: ArtistParams, body: { content: { 'application/json': { schema: WebhookBody } }, required: true } },
    responses: {
      201: json('The webhook and its secret (never shown again)', WebhookCreatedSchema),
      ...errors,
      409: errorResponse(`The artist already has ${MAX_WEBHOOKS_PER_ARTIST} webhooks`),
    },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const { url } = c.req.valid('json');
    const { db } = await openArtistDays(c, id, null);
    const problem = webhookUrlProblem(url);
    if (problem) throw validationError([{ path: 'json.url', ...problem }]);
    if ((await webhooksOf(db, id)).length >= MAX_WEBHOOKS_PER_ARTIST) {
      throw new ApiError(409, 'too_many_webhooks', `Artist ${id} already has ${MAX_WEBHOOKS_PER_ARTIST} webhooks; delete one first`);
    }
    const hook = {
      id: `wh_${crypto.randomUUID()}`,
      artistId: id,
      url,
      secret: newSecret(),
      createdBy: c.get('principal').keyId,
      createdAt: Date.now(),
    };
    await insertWebhook(db, hook);
    return c.json(
      {
        ...webhookView(hook),
        secret: hook.secret,
        signature: { header: SIGNATURE_HEADER, scheme: 't=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>' },
      },
      201,
    );
  },
);

insights.openapi(
  createRoute({
    ...allow('admin', 'artist', 'marketer'),
    method: 'get',
    path: '/artists/{id}/webhooks',
    operationId: 'listArtistWebhooks',
    tags: [TAG],
    summary: 'The artist’s webhooks (never their secrets)',
    security: bearerAuth,
    request: { params: ArtistParams },
    responses: { 200: json('Webhooks, oldest first', WebhooksSchema), ...errors },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const { db } = await openArtistDays(c, id, null);
    return c.json({ artist_id: id, webhooks: (await webhooksOf(db, id)).map(webhookView) }, 200);
  },
);

insights.openapi(
  createRoute({
    ...allow('admin', 'artist', 'marketer'),
    method: 'get',
    path: '/artists/{id}/webhooks/deliveries',
    operationId: 'listArtistWebhookDeliveries',
    tags: [TAG],
    summary: 'Deliveries to the artist’s webhooks, newest first; status=failed is the dead-letter list',
    security: bearerAuth,
    request: { params: ArtistParams, query: DeliveriesQuery },
    responses: { 200: json('Deliveries', DeliveriesSchema), ...errors },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const q = c.req.valid('query');
    const { db } = await openArtistDays(c, id, null);
    const rows = await deliveriesOf(db, id, q.status ?? null, q.limit);
    const deliveries = rows.map((d) => ({
      id: d.id,
      webhook_id: d.webhookId,
      event: d.event,
      status: d.status,
      attempts: d.attempts,
      last_status: d.lastStatus,
      last_error: d.lastError,
      created_at: new Date(d.createdAt).toISOString(),
      updated_at: new Date(d.updatedAt).toISOString(),
      payload: JSON.parse(d.payload) as unknown,
    }));
    return c.json({ artist_id: id, deliveries }, 200);
  },
);

insights.openapi(
  createRoute({
    ...allow('admin', 'artist', 'marketer'),
    method: 'delete',
    path: '/artists/{id}/webhooks/{webhookId}',
    operationId: 'deleteArtistWebhook',
    tags: [TAG],
    summary: 'Delete a webhook and its deliveries (pending ones are dropped)',
    security: bearerAuth,
    request: { params: WebhookParams },
    responses: { 204: { description: 'Deleted' }, ...errors },
  }),
  async (c) => {
    const { id, webhookId } = c.req.valid('param');
    const { db } = await openArtistDays(c, id, null);
    if (!(await deleteWebhook(db, id, webhookId))) throw new ApiError(404, 'webhook_not_found', `Artist ${id} has no webhook ${webhookId}`);
    return c.body(null, 204);
  },
);

insights.openapi(
  createRoute({
    ...allow('admin', 'artist', 'marketer'),
    method: 'post',
    path: '/artists/{id}/webhooks/{webhookId}/test',
    operationId: 'testArtistWebhook',
    tags: [TAG],
    summary: 'Queue a signed `webhook.ping` delivery to one webhook, to check the receiver and its signature check',
    security: bearerAuth,
    request: { params: WebhookParams },
    responses: { 202: json('Queued; follow it in …/webhooks/deliveries', WebhookPingSchema), ...errors },
  }),
  async (c) => {
    const { id, webhookId } = c.req.valid('param');
    const { db } = await openArtistDays(c, id, null);
    if (!(await webhooksOf(db, id)).some((w) => w.id === webhookId)) {
      throw new ApiError(404, 'webhook_not_found', `Artist ${id} has no webhook ${webhookId}`);
    }
    const now = Date.now();
    const deliveryId = `dl_${crypto.randomUUID()}`;
    const payload = JSON.stringify({ id: deliveryId, event: 'webhook.ping', created_at: new Date(now).toISOString(), artist_id: id });
    await enqueueDeliveries({ db, queue: c.env.WEBHOOKS }, [
      { id: deliveryId, webhookId, artistId: id, event: 'webhook.ping', payload, createdAt: now },
    ]);
    return c.json({ delivery_id: deliveryId }, 202);
  },
);

// ---- Tracks --------------------------------------------------------------------------------------

insights.openapi(
  createRoute({
    ...allow('admin', 'artist', 'marketer'),
    method: 'get',
    path: '/artists/{id}/tracks/{trackId}/benchmark',
    operationId: 'getTrackReleaseBenchmark',
    tags: [TAG],
    summary: 'A release’s first 24 hours and first 7 days (cumulative streams) against the artist’s typical release',
    security: bearerAuth,
    request: { params: TrackParams },
    responses: { 200: json('The curves; hourly is null outside the raw-event hot window', BenchmarkSchema), ...errors },
  }),
  async (c) => {
    const { id, trackId } = c.req.valid('param');
    const now = Date.now();
    const today = epochDay(now);
    const { db, asOf } = await openArtistDays(c, id, { from: today - 400, to: today });
    const track = await trackOf(db, id, trackId);
    const all = await releasesOf(db, id);
    const self = all.find((r) => r.trackId === trackId);
    const release = self ? releaseDayOf(self) : null;
    if (!release) {
      throw new ApiError(404, 'release_not_found', `Track ${trackId} has no release date and has never been streamed`);
    }
    const others = comparableReleases(all, trackId, today);
    const hotFrom = today - hotWindowDays(c.env);
    const hourlyOk = (day: number) => day >= hotFrom;
    const windows = [{ trackId, from: release.day }, ...others.map((o) => ({ trackId: o.trackId, from: o.day }))];
    const hourWindows = windows.filter((w) => hourlyOk(w.from)).map((w) => ({ trackId: w.trackId, startMs: w.from * DAY_MS }));
    const [daily, hourly] = await Promise.all([
      dailyStreamsFrom(db, windows, BENCHMARK.days),
      hourlyStreamsFrom(db, hourWindows, BENCHMARK.hours),
    ]);
    const dailyOf = (t: string) =>
      cumulative(
        daily.filter((r) => r.trackId === t).map((r) => ({ slot: r.day, count: r.streams })),
        BENCHMARK.days,
      );
    const hourlyOf = (t: string) =>
      cumulative(
        hourly.filter((r) => r.trackId === t).map((r) => ({ slot: r.hour, count: r.streams })),
        BENCHMARK.hours,
      );
    const hourlyOthers = others.filter((o) => hourlyOk(o.day));
    const view = benchmarkView({
      release,
      elapsedDays: Math.max(0, Math.min(BENCHMARK.days, today - release.day + 1)),
      elapsedHours: Math.max(0, Math.min(BENCHMARK.hours, Math.ceil((now - release.day * DAY_MS) / 3_600_000))),
      track: { daily: dailyOf(trackId), hourly: hourlyOk(release.day) ? hourlyOf(trackId) : null },
      typical: {
        daily: typicalCurve(
          others.map((o) => dailyOf(o.trackId)),
          BENCHMARK.days,
        ),
        hourly: hourlyOk(release.day)
          ? typicalCurve(
              hourlyOthers.map((o) => hourlyOf(o.trackId)),
              BENCHMARK.hours,
            )
          : null,
        dailyReleases: others.length,
        hourlyReleases: hourlyOk(release.day) ? hourlyOthers.length : 0,
      },
    });
    return c.json({ artist_id: id, track_id: trackId, title: track.title, as_of: asOf, ...view }, 200);
  },
);

insights.openapi(
  createRoute({
    ...allow('admin', 'artist', 'marketer'),
    method: 'get',
    path: '/artists/{id}/tracks/{trackId}/timeline',
    operationId: 'getTrackTimeline',
    tags: [TAG],
    summary: 'One track day by day: streams, plays started, skips, completions and net saves (no gaps)',
    security: bearerAuth,
    request: { params: TrackParams, query: InsightRangeQuery },
    responses: { 200: json('One point per day', TimelineSchema), ...errors },
  }),
  async (c) => {
    const { id, trackId } = c.req.valid('param');
    const range = resolveRange(c.req.valid('query'), Date.now());
    const { db, asOf } = await openArtistDays(c, id, range);
    const track = await trackOf(db, id, trackId);
    const byDay = await countersByBucket(db, { artistId: id, trackId }, range, 'day');
    const points = bucketsOf(range, 'day').map((d) => {
      const k = byDay.get(d) ?? ZERO_COUNTERS;
      return {
        date: dayToIso(d),
        streams: k.streams,
        plays_started: k.playsStarted,
        skips: k.skips,
        skip_rate: ratio(k.skips, k.playsStarted),
        completions: k.completions,
        saves: k.saves - k.unsaves,
      };
    });
    return c.json({ artist_id: id, track_id: trackId, title: track.title, period: period(range), as_of: asOf, points }, 200);
  },
);

// ---- Audience depth ------------------------------------------------------------------------------

insights.openapi(
  createRoute({
    ...allow('admin', 'artist', 'marketer'),
    method: 'get',
    path: '/artists/{id}/insights/audience',
    operationId: 'getArtistAudienceDepth',
    tags: [TAG],
    summary: 'Countries, engagement segments with their share of streams, and the listener → saver → repeat-listener funnel',
    security: bearerAuth,
    request: { params: ArtistParams, query: InsightRangeQuery },
    responses: { 200: json('The audience in depth', AudienceDepthSchema), ...errors },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const now = Date.now();
    const range = resolveRange(c.req.valid('query'), now);
    const before = { from: range.from - PREVIOUSLY_ACTIVE_DAYS, to: range.from - 1 };
    const { db, asOf } = await openArtistDays(c, id, { from: before.from, to: range.to });
    // "Programmed" reads raw events: only the part of the period inside the hot window.
    const hot = { from: Math.max(range.from, epochDay(now) - hotWindowDays(c.env)), to: range.to };
    const hasHot = hot.from <= hot.to;
    const [countries, listeners, previous, programmed] = await Promise.all([
      countriesOf(db, id, range),
      listenerDepth(db, id, range),
      previouslyActive(db, id, before, range),
      hasHot ? programmedStreams(db, id, hot.from * DAY_MS, (hot.to + 1) * DAY_MS) : Promise.resolve(null),
    ]);
    return c.json(
      {
        artist_id: id,
        period: period(range),
        as_of: asOf,
        listeners: listeners.length,
        streams: listeners.reduce((a, l) => a + l.streams, 0),
        countries: countriesView(countries),
        segments: segmentsView(listeners, previous, programmed),
        programmed_basis: hasHot ? period(hot) : null,
        funnel: funnelView(listeners),
      },
      200,
    );
  },
);
