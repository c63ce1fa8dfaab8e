import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { localClock } from '../analytics/clock.ts';
import { allow } from '../auth/scope.ts';
import { type ActiveBoost, activeBoostsForUser } from '../campaigns/boosts.ts';
import { createDb, type Db } from '../db/client.ts';
import type { EditorialRow } from '../db/editorial.ts';
import { insertServedList, listenerHistory } from '../db/recs.ts';
import { findUser } from '../db/users.ts';
import { slotsForRequest, slottedPlaylists } from '../editorial/slots.ts';
import type { AppEnv } from '../env.ts';
import { ApiError } from '../errors.ts';
import { INTERLEAVED_ARM, seededCoin, seedOf, teamDraft } from '../experiments/interleave.ts';
import { type Logger, logger } from '../log.ts';
import type { ListeningContext } from '../recs/context.ts';
import { type Recommendation, type RecommendOptions, recommend } from '../recs/recommend.ts';
import { servingStateFor, withArmSettings } from '../recs/serving-state.ts';
import { PhaseTimer } from '../recs/timing.ts';
import { pokeRollups } from '../rollups/applier.ts';
import { errorResponse } from '../schemas/error.ts';
import { Id } from '../schemas/event.ts';
import { NextQuerySchema, RecommendationBodySchema, RecommendationQuerySchema, RecommendationSchema } from '../schemas/recommendations.ts';
import { newRouter } from './router.ts';
import { bearerAuth } from './security.ts';

export const recommendations = newRouter();

const responses = {
  200: {
    description: 'The list',
    headers: z.object({
      'Server-Timing': z.string().openapi({ example: 'model;dur=0.00, history;dur=2.00, score;dur=2.00, rerank;dur=1.00, total;dur=5.00' }),
    }),
    content: { 'application/json': { schema: RecommendationSchema } },
  },
  400: errorResponse('Invalid parameters (details.issues name the field)'),
  403: errorResponse('Only app and admin keys read recommendations'),
  503: errorResponse('No model is active yet'),
} as const;

const params = z.object({ userId: Id.openapi({ param: { name: 'userId', in: 'path' }, example: 'u-42' }) });

/** Local hour and weekday (0 = Sunday, as the context takes it) in `timeZone`. */
function localTimeContext(now: number, timeZone: string): ListeningContext {
  const { hour, weekday } = localClock(now, timeZone);
  return { hour, weekday: (weekday + 1) % 7 };
}

/** Campaign boosts when the campaigns module can answer; a recommendation never fails because of a campaign. */
async function boostsOf(db: Db, userId: string, now: number, log: Logger): Promise<ActiveBoost[]> {
  try {
    return await activeBoostsForUser(db, userId, now);
  } catch (err) {
    log.error('campaign boosts unavailable', err);
    return [];
  }
}

/** Editorial slots live now; a recommendation never fails because of editorial curation. */
async function editorialOf(db: Db, now: number, log: Logger): Promise<EditorialRow[]> {
  try {
    return await slottedPlaylists(db, now);
  } catch (err) {
    log.error('editorial slots unavailable', err);
    return [];
  }
}

/** The request fields GET (query) and POST (body) share, already validated. */
type RequestFields = Pick<
  z.output<typeof RecommendationBodySchema>,
  | 'limit'
  | 'surface'
  | 'exclude'
  | 'exclude_artists'
  | 'seed_artists'
  | 'seed_genres'
  | 'exploration'
  | 'max_per_artist'
  | 'diversity'
  | 'recent_hours'
  | 'familiar'
>;

async function serve(c: Context<AppEnv>, userId: string, req: RequestFields, listening: ListeningContext | undefined, nowPlaying?: string) {
  const opts: RecommendOptions = {
    nowPlaying,
    limit: req.limit,
    context: listening,
    exclude: req.exclude,
    excludeArtists: req.exclude_artists,
    seedArtists: req.seed_artists,
    seedGenres: req.seed_genres,
    exploration: req.exploration,
    maxPerArtist: req.max_per_artist,
    diversity: req.diversity,
    recentHours: req.recent_hours,
    familiar: req.familiar,
  };
  const surface = req.surface ?? null;
  const timer = new PhaseTimer();
  const now = Date.now();
  const db = createDb(c.env.DB);
  const log = logger({ requestId: c.get('requestId') });
  const background = (p: Promise<unknown>) => c.executionCtx.waitUntil(p);
  // The history reads do not depend on the model: run together, they overlap its catalogue delta read.
  const [serving, [events, boosts, user, editorialRows]] = await Promise.all([
    servingStateFor(db, c.env.MODELS, userId, now, background, log).then((state) => {
      timer.mark('model');
      return state;
    }),
    Promise.all([listenerHistory(db, userId, now), boostsOf(db, userId, now, log), findUser(db, userId), editorialOf(db, now, log)]),
  ]);
  const { model, catalogue, experiment } = serving;
  timer.mark('history');
  if (nowPlaying !== undefined) {
    const i = catalogue.indexOf.get(nowPlaying);
    if (i === undefined || catalogue.listed[i] !== 1) throw new ApiError(404, 'track_not_found', `No track with id ${nowPlaying}`);
  }
  // No context sent: the local time where the listener is, when their time zone is known.
  if (!listening && user?.timezone) opts.context = localTimeContext(now, user.timezone);
  const contextFrom = listening ? ('request' as const) : opts.context ? ('time_zone' as const) : null;
  const editorial = slotsForRequest(editorialRows, { surface, country: user?.country ?? null, now });
  const recId = `rec_${crypto.randomUUID().replaceAll('-', '')}`;
  const input = { model, catalogue, events, boosts, now, editorial };
  let rec: Recommendation;
  let items: Array<Recommendation['items'][number] & { arm?: string }>;
  let tag: { id: string; arm: string } | null = null;
  if (experiment?.mode === 'interleave') {
    // Both arms rank for this listener; team draft merges them and each item remembers its arm.
    const [a, b] = [
      await recommend(input, withArmSettings(opts, experiment.a.settings), timer),
      await recommend({ ...input, ...experiment.challenger }, withArmSettings(opts, experiment.b.settings), timer),
    ];
    const drafted = teamDraft(a.items, b.items, opts.limit, (it) => it.trackId, seededCoin(await seedOf(recId)));
    rec = a;
    items = drafted.map((d) => ({ ...d.item, arm: d.team === 'a' ? experiment.a.name : experiment.b.name }));
    tag = { id: experiment.id, arm: INTERLEAVED_ARM };
  } else {
    rec = await recommend(input, experiment ? withArmSettings(opts, experiment.arm.settings) : opts, timer);
    items = rec.items;
    tag = experiment ? { id: experiment.id, arm: experiment.arm.name } : null;
  }
  // Mood and heart rate are health data: they steer this list and are never stored. The log keeps
  // only which sensor signals were present, so their effect can still be measured.
  const { mood, heart_rate, resting_heart_rate, ...kept } = opts.context ?? {};
  const sensors = [mood && 'mood', heart_rate !== undefined && 'heart_rate'].filter((s): s is string => typeof s === 'string');
  const context = JSON.stringify({
    ...kept,
    ...(sensors.length > 0 ? { sensors } : {}),
    activity: rec.activity,
    cold_start: rec.coldStart,
    ...(rec.fallback ? { fallback: rec.fallback } : {}),
    ...(rec.holdoutCampaigns.length > 0 ? { holdout_campaigns: rec.holdoutCampaigns } : {}),
  });
  // Logged after the response: impressions must not add to the user's wait.
  background(
    insertServedList(db, {
      recId,
      userId,
      modelVersion: model.version,
      experimentId: tag?.id ?? null,
      arm: tag?.arm ?? null,
      surface,
      context,
      servedAt: now,
      items: items.map((it) => ({
        trackId: it.trackId,
        score: it.score,
        source: it.source,
        reason: it.reason,
        campaignId: it.campaignId,
        playlistId: it.playlistId,
        arm: it.arm ?? null,
      })),
    })
      .then(() => pokeRollups(c.env))
      .catch((err: unknown) => log.error('impression log failed', err, { recId })),
  );
  c.header('Server-Timing', timer.header());
  return c.json(
    {
      rec_id: recId,
      model_version: model.version,
      experiment: tag,
      user_id: userId,
      cold_start: rec.coldStart,
      fallback: rec.fallback,
      context: { activity: rec.activity, weather: opts.context?.weather ?? null, from: contextFrom },
      items: items.map((it) => ({
        track_id: it.trackId,
        score: it.score,
        reason: it.reason,
        source: it.source,
        campaign_id: it.campaignId,
        playlist_id: it.playlistId,
      })),
    },
    200,
  );
}

recommendations.openapi(
  createRoute({
    ...allow('app', 'admin'),
    method: 'get',
    path: '/users/{userId}/recommendations',
    operationId: 'getRecommendations',
    tags: ['Recommendations'],
    summary: 'Personalised recommendations',
    description:
      "Scores the catalogue for the user's request-time history (weighted by event type and recency), then applies exclusions, a per-artist cap, diversity, exploration, campaign boosts and the listening context (activity, words, weather, local time, and mood, heart rate and motion as derived on the device: the API takes only those values, raw sensor data never leaves the device). Users without history get seeds or the week's popular tracks. Every list is logged as impressions under its rec_id.",
    security: bearerAuth,
    request: { params, query: RecommendationQuerySchema },
    responses,
  }),
  async (c) => {
    const { userId } = c.req.valid('param');
    const q = c.req.valid('query');
    const sensed = { heart_rate: q.heart_rate, resting_heart_rate: q.resting_heart_rate, motion: q.motion };
    const mood =
      q.mood_valence !== undefined || q.mood_arousal !== undefined ? { valence: q.mood_valence, arousal: q.mood_arousal } : undefined;
    const context: ListeningContext | undefined =
      q.activity !== undefined ||
      q.hour !== undefined ||
      q.weekday !== undefined ||
      q.q !== undefined ||
      q.weather !== undefined ||
      mood !== undefined ||
      Object.values(sensed).some((v) => v !== undefined)
        ? { activity: q.activity, hour: q.hour, weekday: q.weekday, text: q.q, weather: q.weather, mood, ...sensed }
        : undefined;
    return serve(c, userId, q, context);
  },
);

recommendations.openapi(
  createRoute({
    ...allow('app', 'admin'),
    method: 'post',
    path: '/users/{userId}/recommendations',
    operationId: 'postRecommendations',
    tags: ['Recommendations'],
    summary: 'Personalised recommendations (rich request)',
    description:
      'The same list as GET, with the request as a JSON body: context (hour, weekday, activity, free text, weather, and mood, heart rate and motion as derived on the device: raw sensor data never leaves it), exclusions, onboarding seeds and re-ranking knobs. ' +
      'Every field is optional, so `{}` is a valid body and answers what GET answers with its defaults; unknown fields are rejected (400, named in details.issues).',
    security: bearerAuth,
    request: { params, body: { content: { 'application/json': { schema: RecommendationBodySchema } }, required: true } },
    responses,
  }),
  async (c) => {
    const { userId } = c.req.valid('param');
    const b = c.req.valid('json');
    return serve(c, userId, b, b.context);
  },
);

recommendations.openapi(
  createRoute({
    ...allow('app', 'admin'),
    method: 'get',
    path: '/users/{userId}/next',
    operationId: 'getUpNext',
    tags: ['Recommendations'],
    summary: 'Up next: what to play after the current track',
    description:
      "The continuation of the listening session (autoplay, radio) from the track playing now (`after`): it leads the session, so its nearest tracks and the session's order steer the list, with a share of the listener's favourites that fit it (`familiar`, default 0.2). " +
      'The track itself and what was played in the last `recent_hours` are not served. Logged as impressions on surface `up_next` unless another is named.',
    security: bearerAuth,
    request: { params, query: NextQuerySchema },
    responses: {
      200: responses[200],
      400: responses[400],
      403: responses[403],
      404: errorResponse('No track with the id given as `after`'),
      503: responses[503],
    },
  }),
  async (c) => {
    const { userId } = c.req.valid('param');
    const q = c.req.valid('query');
    const context: ListeningContext | undefined =
      q.activity !== undefined || q.weather !== undefined ? { activity: q.activity, weather: q.weather } : undefined;
    return serve(c, userId, { ...q, seed_artists: [], seed_genres: [] }, context, q.after);
  },
);
