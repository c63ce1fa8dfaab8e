/** Request and response schemas of the artist analytics API (named, for the OpenAPI document). */
import { z } from '@hono/zod-openapi';
import { METRIC_NAMES, type MetricName } from '../analytics/definitions.ts';
import { Id } from './event.ts';

/** Days from 2000-01-01 (the earliest event time accepted) to 2099-12-31. */
const IsoDate = z.iso
  .date()
  .refine((d) => d >= '2000-01-01' && d <= '2099-12-31', { message: 'must be a day from 2000-01-01 to 2099-12-31' })
  .openapi({ example: '2026-11-01', description: 'UTC day, YYYY-MM-DD, from 2000-01-01 to 2099-12-31' });
const Rate = z.number().nullable().openapi({ description: 'null when the denominator is 0' });
const Format = z.enum(['json', 'csv']).optional().openapi({ description: 'csv: the same rows as text/csv (or send Accept: text/csv)' });

export const ArtistParams = z.object({ id: Id.openapi({ param: { name: 'id', in: 'path' }, example: 'a-1' }) });
export const TrackParams = ArtistParams.extend({ trackId: Id.openapi({ param: { name: 'trackId', in: 'path' }, example: 't-1001' }) });

export const RangeQuery = z.object({
  from: IsoDate.optional().openapi({ description: 'First day, inclusive (default: 27 days before `to`)' }),
  to: IsoDate.optional().openapi({ description: 'Last day, inclusive (default: today, UTC)' }),
  format: Format,
});

export const MetricEnum = z.enum(METRIC_NAMES as [MetricName, ...MetricName[]]);

export const TimeseriesQuery = RangeQuery.extend({
  metric: MetricEnum.default('streams'),
  granularity: z.enum(['day', 'week']).default('day'),
});

const TRACK_SORT = ['title', ...METRIC_NAMES.filter((m) => m !== 'listeners' && m !== 'algorithmic_reach')] as const;
export const TracksQuery = RangeQuery.extend({
  sort: z.enum(TRACK_SORT as unknown as [string, ...string[]]).default('streams'),
  order: z.enum(['asc', 'desc']).default('desc'),
});

const PeriodSchema = z.object({ from: IsoDate, to: IsoDate }).openapi('Period');

/** Every analytics answer says how fresh it is; the same instant is in the `Backbeat-As-Of` header (CSV too). */
export const AsOf = z.iso.datetime().openapi({
  description:
    'Every event acknowledged before this instant is counted. Usually a second or two behind now; further behind while a catalogue change is being re-derived.',
  example: '2026-11-24T14:32:05.000Z',
});

export const MetricValueSchema = z
  .object({
    value: z.number().nullable(),
    previous: z.number().nullable(),
    change: z.number().nullable().openapi({ description: '(value − previous) ÷ |previous|' }),
  })
  .openapi('MetricValue');

/** Streams of one `context.source` and their share of all streams (the product brief's source mix). */
const SourceShareSchema = z.object({ source: z.string(), streams: z.number().int(), share: z.number() }).openapi('SourceShare');

export const OverviewSchema = z
  .object({
    artist_id: z.string(),
    period: PeriodSchema,
    as_of: AsOf,
    previous_period: PeriodSchema,
    metrics: z.object(Object.fromEntries(METRIC_NAMES.map((m) => [m, MetricValueSchema])) as Record<MetricName, typeof MetricValueSchema>),
    source_mix: z.array(SourceShareSchema),
  })
  .openapi('ArtistOverview');

export const TimeseriesSchema = z
  .object({
    artist_id: z.string(),
    metric: MetricEnum,
    granularity: z.enum(['day', 'week']),
    period: PeriodSchema,
    as_of: AsOf,
    points: z.array(z.object({ date: IsoDate, value: z.number().nullable() }).openapi('TimeseriesPoint')),
  })
  .openapi('ArtistTimeseries');

export const TrackMetricsSchema = z
  .object({
    streams: z.number().int(),
    plays_started: z.number().int(),
    completion_rate: Rate,
    skip_rate: Rate,
    saves: z.number().int(),
    saves_per_1000_streams: Rate,
    playlist_adds: z.number().int(),
    playlist_adds_per_1000_streams: Rate,
    algorithmic_impressions: z.number().int(),
    algorithmic_streams: z.number().int(),
    conversion: Rate,
  })
  .openapi('TrackMetrics');

export const TrackRowSchema = TrackMetricsSchema.extend({ track_id: z.string(), title: z.string(), duration_ms: z.number().int() }).openapi(
  'TrackRow',
);

export const TrackTableSchema = z
  .object({
    artist_id: z.string(),
    period: PeriodSchema,
    as_of: AsOf,
    sort: z.string(),
    order: z.enum(['asc', 'desc']),
    tracks: z.array(TrackRowSchema),
  })
  .openapi('ArtistTrackTable');

export const TrackDetailSchema = z
  .object({
    track_id: z.string(),
    artist_id: z.string(),
    title: z.string(),
    duration_ms: z.number().int(),
    period: PeriodSchema,
    as_of: AsOf,
    metrics: TrackMetricsSchema,
    skip_positions: z.array(
      z
        .object({ bin: z.number().int(), from_share: z.number(), to_share: z.number(), skips: z.number().int() })
        .openapi('SkipPositionBin', { description: 'Skips whose ms_played ÷ duration falls in [from_share, to_share)' }),
    ),
    source_mix: z.array(SourceShareSchema),
  })
  .openapi('TrackDetail');

export const AudienceSchema = z
  .object({
    artist_id: z.string(),
    period: PeriodSchema,
    as_of: AsOf,
    listeners: z.number().int(),
    new_listeners: z.number().int(),
    returning_listeners: z.number().int(),
    tiers: z.array(
      z.object({ tier: z.enum(['super', 'engaged', 'light']), listeners: z.number().int(), share: z.number() }).openapi('EngagementTier'),
    ),
    clock: z
      .array(
        z
          .object({ weekday: z.number().int().openapi({ description: '0 = Monday' }), hour: z.number().int(), streams: z.number().int() })
          .openapi('ClockCell'),
      )
      .openapi({ description: 'All 168 cells, weekday-major' }),
  })
  .openapi('ArtistAudience');

export const ReachSchema = z
  .object({
    artist_id: z.string(),
    period: PeriodSchema,
    as_of: AsOf,
    reach: z.number().int(),
    funnel: z.array(
      z
        .object({
          surface: z.string(),
          impressions: z.number().int(),
          streams: z.number().int(),
          saves: z.number().int(),
          conversion: Rate,
        })
        .openapi('SurfaceFunnel', { description: 'streams are algorithmic streams from that surface' }),
    ),
    series: z.array(
      z
        .object({ date: IsoDate, impressions: z.number().int(), reach: z.number().int(), algorithmic_streams: z.number().int() })
        .openapi('ReachPoint'),
    ),
  })
  .openapi('ArtistReach');

export const RefreshBody = z
  .strictObject({
    max_days: z.number().int().min(1).max(400).default(31).openapi({ description: 'Most marked days to recompute in this call' }),
    stale_from: IsoDate.optional().openapi({ description: 'Mark days stale first, e.g. after importing old impressions' }),
    stale_to: IsoDate.optional(),
  })
  .refine((b) => !b.stale_from || !b.stale_to || b.stale_from <= b.stale_to, {
    path: ['stale_to'],
    message: 'stale_to must not be before stale_from',
  })
  .openapi('AnalyticsRefreshRequest');
export const RefreshSchema = z
  .object({
    refreshed: z.number().int(),
    remaining: z.number().int(),
    failed: z
      .array(z.object({ day: z.number().int(), error: z.string() }))
      .openapi({ description: 'Days whose recompute failed (epoch days); they stay stale and are retried by the next run' }),
    batches_applied: z.number().int().openapi({ description: 'Pending ingest batches and served lists whose delta was added' }),
    failed_batches: z
      .array(z.object({ batchId: z.string(), error: z.string() }))
      .openapi({ description: 'Batches whose delta failed; they stay pending (and hold back as_of) and are retried by the next refresh' }),
  })
  .openapi('AnalyticsRefreshResult');
