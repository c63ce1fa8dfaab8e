/**
 * Artist insights: alerts (a day outside the artist's own rolling band, worker/insights/alerts.ts),
 * the webhooks an artist registers to hear about them, and every delivery to those webhooks.
 */
import { index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * One metric of one artist on one UTC day outside the band of the 28 days before it. Written by the
 * detect-alerts job (worker/jobs/detect-alerts.ts); (artist, day, metric) is unique, so a rerun of
 * the same day adds nothing.
 */
export const insightAlerts = sqliteTable(
  'insight_alerts',
  {
    id: text('id').primaryKey(),
    artistId: text('artist_id').notNull(),
    /** Epoch day (UTC) of the unusual day. */
    day: integer('day').notNull(),
    /** One of ALERT_METRICS (worker/analytics/definitions.ts). */
    metric: text('metric').notNull(),
    /** `up` (above the band) or `down` (below it). */
    direction: text('direction', { enum: ['up', 'down'] }).notNull(),
    value: real('value').notNull(),
    median: real('median').notNull(),
    /** Median absolute deviation of the baseline days (unscaled). */
    mad: real('mad').notNull(),
    low: real('low').notNull(),
    high: real('high').notNull(),
    detectedAt: integer('detected_at').notNull(),
  },
  (t) => [uniqueIndex('insight_alerts_artist_day_metric_idx').on(t.artistId, t.day, t.metric), index('insight_alerts_day_idx').on(t.day)],
);

/**
 * An artist's registered receiver. The secret is stored in clear because signing needs it (an HMAC
 * key cannot be a hash); it is shown once, in the answer to the registration, and never again.
 */
export const webhooks = sqliteTable(
  'webhooks',
  {
    id: text('id').primaryKey(),
    artistId: text('artist_id').notNull(),
    url: text('url').notNull(),
    secret: text('secret').notNull(),
    /** The API key that registered it (its non-secret id). */
    createdBy: text('created_by').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('webhooks_artist_idx').on(t.artistId)],
);

/**
 * One message to one webhook. `pending` while the queue holds it, `delivered` on a 2xx, `failed`
 * after the last attempt: the failed rows are the dead-letter list. Deleted with their webhook.
 */
export const webhookDeliveries = sqliteTable(
  'webhook_deliveries',
  {
    id: text('id').primaryKey(),
    webhookId: text('webhook_id').notNull(),
    artistId: text('artist_id').notNull(),
    /** What happened, e.g. `alert.created`. */
    event: text('event').notNull(),
    /** The exact JSON body sent (and signed) on every attempt. */
    payload: text('payload').notNull(),
    status: text('status', { enum: ['pending', 'delivered', 'failed'] }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    /** HTTP status of the last attempt, null when it got no answer. */
    lastStatus: integer('last_status'),
    lastError: text('last_error'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    index('webhook_deliveries_artist_idx').on(t.artistId, t.status, t.createdAt),
    index('webhook_deliveries_webhook_idx').on(t.webhookId),
  ],
);
