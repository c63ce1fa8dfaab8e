/**
 * Alerts: every artist's unusual days (band.ts) written once to insight_alerts, and a webhook
 * delivery queued for each new alert and each of the artist's webhooks. Run by the daily job and by
 * the admin route; rerunning a day adds nothing.
 */
import { ALERT_BAND, ALERT_METRICS, type AlertMetric } from '../analytics/definitions.ts';
import { dayToIso } from '../analytics/period.ts';
import type { Db } from '../db/client.ts';
import {
  type AlertRow,
  activeArtists,
  artistDays,
  insertAlerts,
  insertDeliveries,
  type NewDelivery,
  webhooksOfArtists,
} from '../db/insights.ts';
import { type DayCounters, detectDay } from './band.ts';

/** Artists read per query. */
const ARTISTS_PER_READ = 100;
/** Messages per Queue.sendBatch (the platform's limit). */
const MESSAGES_PER_SEND = 100;

/** The body of a webhook queue message. */
export interface DeliveryMessage {
  delivery_id: string;
}

/** What the detector writes to. */
export interface AlertDeps {
  db: Db;
  queue: Queue<DeliveryMessage>;
}

function formatValue(metric: AlertMetric, v: number): string {
  return metric === 'skip_rate' ? `${Math.round(v * 100)} %` : Math.round(v).toLocaleString('en-US');
}

/**
 * One line an artist reads.
 *
 * @example alertSentence({ metric: 'streams', direction: 'up', day: 20_791, value: 480, median: 120, low: 80, high: 160 })
 * // "Streams on 2026-12-04: 480, well above your usual 120 (normal range 80–160)."
 */
export function alertSentence(a: Pick<AlertRow, 'metric' | 'direction' | 'day' | 'value' | 'median' | 'low' | 'high'>): string {
  const metric = a.metric as AlertMetric;
  const def = ALERT_METRICS[metric];
  const label = def?.label ?? a.metric;
  const f = (v: number) => (def ? formatValue(metric, v) : String(v));
  const low = Math.max(a.low, metric === 'skip_rate' || metric === 'streams' || metric === 'algorithmic_reach' ? 0 : a.low);
  return `${label} on ${dayToIso(a.day)}: ${f(a.value)}, well ${a.direction === 'up' ? 'above' : 'below'} your usual ${f(a.median)} (normal range ${f(low)}–${f(a.high)}).`;
}

/** The alert as the API and webhooks show it. */
export function alertView(a: AlertRow) {
  return {
    id: a.id,
    artist_id: a.artistId,
    date: dayToIso(a.day),
    metric: a.metric,
    direction: a.direction,
    value: a.value,
    median: a.median,
    low: a.low,
    high: a.high,
    sentence: alertSentence(a),
    detected_at: new Date(a.detectedAt).toISOString(),
  };
}

/**
 * Detects the listed days for every artist that could alert, stores new alerts and queues their
 * webhook deliveries. Returns what it added.
 */
export async function detectAlerts(
  deps: AlertDeps,
  days: readonly number[],
  now: number,
): Promise<{ alerts: AlertRow[]; deliveries: number }> {
  if (days.length === 0) return { alerts: [], deliveries: 0 };
  const first = Math.min(...days) - ALERT_BAND.baselineDays;
  const last = Math.max(...days);
  const artists = await activeArtists(deps.db, { from: first, to: last - 1 }, ALERT_BAND.minActiveDays);
  const found: AlertRow[] = [];
  for (let i = 0; i < artists.length; i += ARTISTS_PER_READ) {
    const rows = await artistDays(deps.db, artists.slice(i, i + ARTISTS_PER_READ), { from: first, to: last });
    const byArtist = new Map<string, Map<number, DayCounters>>();
    for (const { artistId, day, ...c } of rows) {
      const m = byArtist.get(artistId) ?? new Map<number, DayCounters>();
      byArtist.set(artistId, m);
      m.set(day, c);
    }
    for (const [artistId, byDay] of byArtist) {
      for (const day of days) {
        for (const { metric, outlier } of detectDay(byDay, day)) {
          found.push({
            id: `al_${crypto.randomUUID()}`,
            artistId,
            day,
            metric,
            direction: outlier.direction,
            value: outlier.value,
            median: outlier.median,
            mad: outlier.mad,
            low: outlier.low,
            high: outlier.high,
            detectedAt: now,
          });
        }
      }
    }
  }
  const alerts = await insertAlerts(deps.db, found);
  const deliveries = await queueAlertDeliveries(deps, alerts, now);
  return { alerts, deliveries };
}

/** One pending delivery per (new alert, webhook of its artist), stored, then queued. */
async function queueAlertDeliveries(deps: AlertDeps, alerts: readonly AlertRow[], now: number): Promise<number> {
  if (alerts.length === 0) return 0;
  const hooks = await webhooksOfArtists(deps.db, [...new Set(alerts.map((a) => a.artistId))]);
  const deliveries: NewDelivery[] = [];
  for (const a of alerts) {
    for (const h of hooks) {
      if (h.artistId !== a.artistId) continue;
      const id = `dl_${crypto.randomUUID()}`;
      const payload = JSON.stringify({ id, event: 'alert.created', created_at: new Date(now).toISOString(), alert: alertView(a) });
      deliveries.push({ id, webhookId: h.id, artistId: a.artistId, event: 'alert.created', payload, createdAt: now });
    }
  }
  await enqueueDeliveries(deps, deliveries);
  return deliveries.length;
}

/** Stores deliveries as pending, then hands them to the queue (a lost send leaves a visible pending row). */
export async function enqueueDeliveries(deps: AlertDeps, deliveries: readonly NewDelivery[]): Promise<void> {
  await insertDeliveries(deps.db, deliveries);
  for (let i = 0; i < deliveries.length; i += MESSAGES_PER_SEND) {
    await deps.queue.sendBatch(deliveries.slice(i, i + MESSAGES_PER_SEND).map((d) => ({ body: { delivery_id: d.id } })));
  }
}
