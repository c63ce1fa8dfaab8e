import { z } from '@hono/zod-openapi';
import { Id } from './event.ts';

/*
 * The recommendation API's vocabulary: the lists its enums are made of and its defaults. The
 * recommender (worker/recs/) reads them from here, so the wire and the code cannot drift.
 */

export const ACTIVITIES = ['focus', 'workout', 'sleep', 'party', 'commute', 'relax'] as const;
export type Activity = (typeof ACTIVITIES)[number];

/** Weather as the client reports it (its own weather source; nothing is looked up here). */
export const WEATHERS = ['clear', 'clouds', 'rain', 'snow', 'storm', 'fog', 'hot', 'cold'] as const;
export type Weather = (typeof WEATHERS)[number];

/** How the listener is moving, as the phone's motion sensors classify it (the classification only). */
export const MOTIONS = ['still', 'walking', 'running', 'driving'] as const;
export type Motion = (typeof MOTIONS)[number];

/** Sensor signals are derived on the device: the API takes the derived values, never raw sensor data. */
const ON_DEVICE = 'Derived on the device; raw sensor data (camera, microphone, heart-rate or motion samples) never leaves it.';
const SENSOR_TEXT = {
  mood: `The listener's mood, either or both of valence and arousal. ${ON_DEVICE}`,
  valence: `Mood valence, 0 = negative … 1 = positive (e.g. from a facial-expression or voice model). ${ON_DEVICE}`,
  arousal: `Mood arousal, 0 = calm … 1 = excited (e.g. from a facial-expression or voice model). ${ON_DEVICE}`,
  heartRate: `Heart rate now, in bpm (30–230). ${ON_DEVICE}`,
  restingHeartRate: `The listener's resting heart rate in bpm (30–120), used with heart_rate (60 when not sent). ${ON_DEVICE}`,
};
/** Bounds of the sensor signals; GET coerces its query strings into the same ranges. */
const unit = () => z.number().min(0).max(1);
const bpm = (max: number) => z.number().min(30).max(max);
const unitQuery = () => z.coerce.number().min(0).max(1);
const bpmQuery = (max: number) => z.coerce.number().min(30).max(max);
const MotionField = z.enum(MOTIONS).openapi({ description: `How the listener is moving. ${ON_DEVICE}` });

/** Where a served item came from: the one list the API's enums and the impression log use. */
export const REC_SOURCES = [
  'model',
  'content',
  'neighbours',
  'popular',
  'seed',
  'exploration',
  'familiar',
  'campaign',
  'editorial',
] as const;
export type Source = (typeof REC_SOURCES)[number];

export const DEFAULT_OPTIONS = { limit: 20, exploration: 0.1, maxPerArtist: 2, diversity: 0.3, recentHours: 7 * 24, familiar: 0 } as const;

export const MAX_LIMIT = 100;
const MAX_LIST = 500;

const Limit = z.coerce
  .number()
  .int()
  .min(1)
  .max(MAX_LIMIT)
  .default(DEFAULT_OPTIONS.limit)
  .openapi({ description: 'Items to return (1..100)' });
const Exploration = z.coerce
  .number()
  .min(0)
  .max(0.5)
  .default(DEFAULT_OPTIONS.exploration)
  .openapi({ description: 'Share of slots reserved for under-exposed artists and new releases' });
const MaxPerArtist = z.coerce
  .number()
  .int()
  .min(1)
  .max(MAX_LIMIT)
  .default(DEFAULT_OPTIONS.maxPerArtist)
  .openapi({ description: 'Cap of tracks per artist' });
const Diversity = z.coerce
  .number()
  .min(0)
  .max(1)
  .default(DEFAULT_OPTIONS.diversity)
  .openapi({ description: 'MMR weight of novelty against relevance (0..1)' });
const RecentHours = z.coerce
  .number()
  .min(0)
  .max(24 * 30)
  .default(DEFAULT_OPTIONS.recentHours)
  .openapi({ description: 'Tracks played within this many hours are left out (default 7 days), except in familiar slots' });
const Familiar = z.coerce.number().min(0).max(1).default(DEFAULT_OPTIONS.familiar).openapi({
  description: "Share of slots for the listener's own favourites (0 = only tracks new to them, 1 = a Daily-Mix of favourites)",
});
const Surface = z.string().trim().min(1).max(64).optional().openapi({ example: 'home' });

export const ContextSchema = z
  .strictObject({
    hour: z.number().int().min(0).max(23).optional().openapi({ description: "Listener's local hour" }),
    weekday: z.number().int().min(0).max(6).optional().openapi({ description: '0 = Sunday … 6 = Saturday (local)' }),
    activity: z.enum(ACTIVITIES).optional(),
    text: z.string().trim().min(1).max(200).optional().openapi({ example: 'play something to help me focus' }),
    weather: z.enum(WEATHERS).optional().openapi({ description: 'The weather where the listener is, as the app knows it' }),
    mood: z
      .strictObject({
        valence: unit().optional().openapi({ description: SENSOR_TEXT.valence }),
        arousal: unit().optional().openapi({ description: SENSOR_TEXT.arousal }),
      })
      .optional()
      .openapi({ description: SENSOR_TEXT.mood }),
    heart_rate: bpm(230).optional().openapi({ description: SENSOR_TEXT.heartRate }),
    resting_heart_rate: bpm(120).optional().openapi({ description: SENSOR_TEXT.restingHeartRate }),
    motion: MotionField.optional(),
  })
  .openapi('RecommendationContext');

/** A comma-separated list in a query string. */
export const csv = (what: string) =>
  z
    .string()
    .optional()
    .transform((s) =>
      (s ?? '')
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v.length > 0),
    )
    .pipe(z.array(Id).max(MAX_LIST))
    .openapi({ type: 'string', description: `Comma-separated ${what}` });

export const RecommendationQuerySchema = z.object({
  limit: Limit,
  surface: Surface,
  activity: z.enum(ACTIVITIES).optional(),
  hour: z.coerce.number().int().min(0).max(23).optional(),
  weekday: z.coerce.number().int().min(0).max(6).optional(),
  q: z.string().trim().min(1).max(200).optional().openapi({ description: 'Free-text request, e.g. "help me focus"' }),
  weather: z.enum(WEATHERS).optional().openapi({ description: 'The weather where the listener is, as the app knows it' }),
  mood_valence: unitQuery().optional().openapi({ description: SENSOR_TEXT.valence }),
  mood_arousal: unitQuery().optional().openapi({ description: SENSOR_TEXT.arousal }),
  heart_rate: bpmQuery(230).optional().openapi({ description: SENSOR_TEXT.heartRate }),
  resting_heart_rate: bpmQuery(120).optional().openapi({ description: SENSOR_TEXT.restingHeartRate }),
  motion: MotionField.optional(),
  exclude: csv('track ids to leave out'),
  exclude_artists: csv('artist ids whose tracks are left out'),
  seed_artists: csv('artist ids for users without history'),
  seed_genres: csv('genres for users without history'),
  exploration: Exploration,
  max_per_artist: MaxPerArtist,
  diversity: Diversity,
  recent_hours: RecentHours,
  familiar: Familiar,
});

/** Up next after the track playing now: the session's continuation, with a few favourites that fit. */
export const NextQuerySchema = z.object({
  after: Id.openapi({ description: 'The track playing now', example: 't-611' }),
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(10).openapi({ description: 'Items to return (1..100)' }),
  surface: z.string().trim().min(1).max(64).default('up_next').openapi({ example: 'up_next' }),
  activity: z.enum(ACTIVITIES).optional(),
  weather: z.enum(WEATHERS).optional().openapi({ description: 'The weather where the listener is, as the app knows it' }),
  exclude: csv('track ids to leave out'),
  exclude_artists: csv('artist ids whose tracks are left out'),
  exploration: Exploration,
  max_per_artist: MaxPerArtist,
  diversity: Diversity,
  recent_hours: RecentHours,
  familiar: z.coerce
    .number()
    .min(0)
    .max(1)
    .default(0.2)
    .openapi({ description: "Share of slots for the listener's own favourites that fit the track playing now" }),
});

export const RecommendationBodySchema = z
  .strictObject({
    limit: Limit,
    surface: Surface,
    context: ContextSchema.optional(),
    exclude: z.array(Id).max(MAX_LIST).default([]),
    exclude_artists: z.array(Id).max(MAX_LIST).default([]).openapi({ description: 'Artist ids whose tracks are left out' }),
    seed_artists: z.array(Id).max(MAX_LIST).default([]).openapi({ description: 'Onboarding seeds, used when the user has no history' }),
    seed_genres: z.array(z.string().trim().toLowerCase().min(1).max(64)).max(MAX_LIST).default([]),
    exploration: Exploration,
    max_per_artist: MaxPerArtist,
    diversity: Diversity,
    recent_hours: RecentHours,
    familiar: Familiar,
  })
  .openapi('RecommendationRequest');

export const RecommendationSchema = z
  .object({
    rec_id: z.string().openapi({ description: 'Send it back as context.rec_id (with position) on plays from this list' }),
    model_version: z.string().openapi({ description: "The model that ranked the list (arm A's under interleaving)" }),
    experiment: z
      .object({
        id: z.string(),
        arm: z.string().openapi({ description: "The listener's arm, or `interleaved` when both arms' rankings were merged" }),
      })
      .nullable()
      .openapi({ description: 'The running experiment this list was served under, or null' }),
    user_id: z.string(),
    cold_start: z.enum(['none', 'seeds', 'popular']).openapi({ description: 'How a user without history was served' }),
    fallback: z.enum(['model_scores_not_finite']).nullable().openapi({
      description: 'Why the list is the popularity fallback although the user has history (the model gave no finite score), or null',
    }),
    context: z.object({
      activity: z.string().nullable(),
      weather: z.enum(WEATHERS).nullable(),
      from: z.enum(['request', 'time_zone']).nullable().openapi({
        description:
          "Where the context came from: the request, or (when none was sent) the local time in the listener's time zone; null when nothing steered the list",
      }),
    }),
    items: z.array(
      z.object({
        track_id: z.string(),
        score: z.number().openapi({ description: "The model's score (popularity for the popular fallback); comparable within one list" }),
        reason: z.string().openapi({ example: 'because you played "Blue Hour"' }),
        source: z.enum(REC_SOURCES),
        campaign_id: z.string().nullable(),
        playlist_id: z.string().nullable().openapi({ description: 'The editorial playlist of an `editorial` pick, else null' }),
      }),
    ),
  })
  .openapi('Recommendations');

export const SimilarSchema = z
  .object({
    model_version: z.string(),
    items: z.array(z.object({ id: z.string(), name: z.string(), similarity: z.number() })),
  })
  .openapi('Similar');
