/** Request and response schemas of the artist insights API: reach drivers, alerts, webhooks, benchmark, audience depth. */
import { z } from '@hono/zod-openapi';
import { ALERT_METRIC_NAMES, type AlertMetric } from '../analytics/definitions.ts';
import { ArtistParams, AsOf, RangeQuery, TrackParams } from './analytics.ts';
import { Id } from './event.ts';

const LABEL = '[a-z][a-z0-9]{0,30}(-[a-z0-9]{1,30}){0,3}';
// A port is 1–65535.
const PORT = '(:([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?';
const URL_TAIL = `${PORT}(/[A-Za-z0-9._~/-]*)?(\\?[A-Za-z0-9._~=&-]*)?$`;
/** The webhook URLs the API takes: https to a host name, or plain http to localhost or 127.0.0.1. */
export const WEBHOOK_URL_PATTERN = `^(https://${LABEL}(\\.${LABEL})*|https?://(localhost|127\\.0\\.0\\.1))${URL_TAIL}`;

const IsoDate = z.iso
  .date()
  .refine((d) => d >= '2000-01-01' && d <= '2099-12-31', { message: 'must be a day from 2000-01-01 to 2099-12-31' })
  .openapi({ example: '2026-11-01', description: 'UTC day, YYYY-MM-DD' });
const Rate = z.number().nullable().openapi({ description: 'null when the denominator is 0' });
const Period = z.object({ from: IsoDate, to: IsoDate }).openapi('InsightPeriod');

export { ArtistParams, TrackParams };
export const InsightRangeQuery = RangeQuery.omit({ format: true });

export const ReachQuery = InsightRangeQuery.extend({
  compare_from: IsoDate.optional().openapi({
    description:
      'First day of the period to compare with; it has the same length as the period (default: the period of equal length just before)',
  }),
});

const Compared = z
  .object({
    previous: z.number().nullable(),
    current: z.number().nullable(),
    change: z.number().nullable().openapi({ description: '(current − previous) ÷ |previous|; null when previous is 0 or unknown' }),
  })
  .openapi('ComparedValue');

const Contribution = z
  .object({
    total: z.number().openapi({ description: 'Change in algorithmic streams (current − previous)' }),
    impressions: z.number().openapi({ description: 'Streams the change in impressions accounts for' }),
    conversion: z.number().openapi({ description: 'Streams the change in conversion accounts for' }),
    unattributed: z.number().openapi({ description: 'Streams with no impression in either period' }),
  })
  .openapi('ReachContribution', { description: 'impressions + conversion + unattributed = total (rounded to 0.01)' });

const Funnel = { algorithmic_streams: Compared, impressions: Compared, conversion: Compared };

export const ReachDriversSchema = z
  .object({
    artist_id: z.string(),
    period: Period,
    compare_period: Period,
    as_of: AsOf,
    totals: z.object({ ...Funnel, completion: Compared }),
    contribution: Contribution,
    surfaces: z.array(
      z
        .object({
          surface: z.string(),
          label: z.string(),
          ...Funnel,
          contribution: Contribution,
          top_track: z
            .object({
              track_id: z.string(),
              title: z.string(),
              new_release: z.boolean(),
              impressions: Compared,
              algorithmic_streams: Compared,
            })
            .nullable()
            .openapi({ description: 'The track that moved this surface’s main factor most, in the direction of its change' }),
        })
        .openapi('SurfaceDriver'),
    ),
    tracks: z.array(
      z
        .object({
          track_id: z.string(),
          title: z.string(),
          release_date: z.string().nullable(),
          new_release: z.boolean().openapi({ description: 'Released within the current period' }),
          ...Funnel,
          completion: Compared,
          contribution: Contribution,
        })
        .openapi('TrackDriver'),
    ),
    sentences: z.array(z.string()).openapi({ description: 'The same numbers in plain language, headline first' }),
  })
  .openapi('ReachDrivers');

export const AlertMetricEnum = z.enum(ALERT_METRIC_NAMES as [AlertMetric, ...AlertMetric[]]);

export const AlertSchema = z
  .object({
    id: z.string(),
    artist_id: z.string(),
    date: IsoDate,
    metric: z.string().openapi({ description: `One of ${ALERT_METRIC_NAMES.join(', ')}` }),
    direction: z.enum(['up', 'down']),
    value: z.number(),
    median: z.number().openapi({ description: 'Median of the 28 days before' }),
    low: z.number(),
    high: z.number(),
    sentence: z.string(),
    detected_at: z.iso.datetime(),
  })
  .openapi('Alert');

export const AlertsQuery = InsightRangeQuery.extend({ metric: AlertMetricEnum.optional() });
export const AlertsSchema = z.object({ artist_id: z.string(), period: Period, alerts: z.array(AlertSchema) }).openapi('AlertList');

export const RunAlertsBody = z
  .strictObject({
    day: IsoDate.optional().openapi({ description: 'Day to examine (default: yesterday, UTC); today examines the day so far' }),
  })
  .openapi('RunAlertsRequest');
export const RunAlertsSchema = z
  .object({ date: IsoDate, alerts: z.array(AlertSchema), deliveries: z.number().int() })
  .openapi('RunAlertsResult');

export const WebhookParams = ArtistParams.extend({
  webhookId: Id.openapi({ param: { name: 'webhookId', in: 'path' }, example: 'wh_4b1c9e2a-6f0d-4e55-9a7b-2f3c1d8e9a10' }),
});
export const WebhookBody = z
  .strictObject({
    url: z
      .string()
      .max(2048)
      .regex(new RegExp(WEBHOOK_URL_PATTERN), {
        message: 'must be an https URL (plain http only to localhost or 127.0.0.1), with no user name or password',
      })
      .openapi({
        description: 'https only (plain http to localhost or 127.0.0.1 for tests)',
        example: 'https://example.com/hooks/backbeat',
      }),
  })
  .openapi('WebhookRequest');

const WebhookSchema = z.object({ id: z.string(), artist_id: z.string(), url: z.string(), created_at: z.iso.datetime() }).openapi('Webhook');
export const WebhookCreatedSchema = WebhookSchema.extend({
  secret: z.string().openapi({ description: 'The signing secret. Shown this once: store it now.' }),
  signature: z.object({ header: z.string(), scheme: z.string() }),
}).openapi('WebhookCreated');
export const WebhookPingSchema = z.object({ delivery_id: z.string() }).openapi('WebhookPing');
export const WebhooksSchema = z.object({ artist_id: z.string(), webhooks: z.array(WebhookSchema) }).openapi('WebhookList');

export const DeliveriesQuery = z.object({
  status: z.enum(['pending', 'delivered', 'failed']).optional().openapi({ description: 'failed: the dead-letter list' }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const DeliveriesSchema = z
  .object({
    artist_id: z.string(),
    deliveries: z.array(
      z
        .object({
          id: z.string(),
          webhook_id: z.string(),
          event: z.string(),
          status: z.enum(['pending', 'delivered', 'failed']),
          attempts: z.number().int(),
          last_status: z.number().int().nullable().openapi({ description: 'HTTP status of the last attempt; null when no answer' }),
          last_error: z.string().nullable(),
          created_at: z.iso.datetime(),
          updated_at: z.iso.datetime(),
          payload: z.unknown().openapi({ description: 'The JSON body sent' }),
        })
        .openapi('WebhookDelivery'),
    ),
  })
  .openapi('WebhookDeliveries');

const BenchPoint = {
  streams: z.number().nullable().openapi({ description: 'Cumulative; null for slots not reached yet' }),
  typical: z.number().nullable(),
};
const BenchAt = z.object({ streams: z.number().nullable(), typical: z.number().nullable(), ratio: Rate }).openapi('BenchmarkAt');

export const BenchmarkSchema = z
  .object({
    artist_id: z.string(),
    track_id: z.string(),
    title: z.string(),
    as_of: AsOf,
    release_date: IsoDate,
    release_basis: z.enum(['release_date', 'first_stream']),
    first_24h: BenchAt,
    first_7d: BenchAt,
    hourly: z
      .array(z.object({ hour: z.number().int(), ...BenchPoint }).openapi('BenchmarkHour'))
      .nullable()
      .openapi({ description: 'Hours 1–24; null when the first 24 h are older than the raw-event hot window' }),
    daily: z.array(z.object({ day: z.number().int(), date: IsoDate, ...BenchPoint }).openapi('BenchmarkDay')),
    releases_compared: z.object({ hourly: z.number().int(), daily: z.number().int() }),
    sentence: z.string(),
  })
  .openapi('ReleaseBenchmark');

export const AudienceDepthSchema = z
  .object({
    artist_id: z.string(),
    period: Period,
    as_of: AsOf,
    listeners: z.number().int(),
    streams: z.number().int(),
    countries: z.array(
      z
        .object({
          country: z.string().openapi({ description: 'ISO 3166-1 alpha-2, or unknown' }),
          listeners: z.number().int(),
          streams: z.number().int(),
          listener_share: z.number(),
          stream_share: z.number(),
        })
        .openapi('CountryShare'),
    ),
    segments: z.array(
      z
        .object({
          segment: z.enum(['super', 'moderate', 'light', 'previously_active', 'programmed']),
          listeners: z.number().int(),
          listener_share: Rate,
          streams: z.number().int(),
          stream_share: Rate,
        })
        .openapi('AudienceSegment'),
    ),
    programmed_basis: z.union([Period, z.null()]).openapi({
      description: 'Days the programmed segment was counted over (the hot window part of the period)',
    }),
    funnel: z.array(
      z.object({ step: z.enum(['listeners', 'savers', 'repeat_listeners']), users: z.number().int(), rate: Rate }).openapi('FunnelStep'),
    ),
  })
  .openapi('AudienceDepth');

export const TimelineSchema = z
  .object({
    artist_id: z.string(),
    track_id: z.string(),
    title: z.string(),
    period: Period,
    as_of: AsOf,
    points: z.array(
      z
        .object({
          date: IsoDate,
          streams: z.number().int(),
          plays_started: z.number().int(),
          skips: z.number().int(),
          skip_rate: Rate,
          completions: z.number().int(),
          saves: z.number().int().openapi({ description: 'Net saves' }),
        })
        .openapi('TimelinePoint'),
    ),
  })
  .openapi('TrackTimeline');
