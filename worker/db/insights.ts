/**
 * Queries of the insights (worker/insights/, worker/routes/insights.ts, the alert and webhook jobs).
 * Reads go to the rollups; only the hourly release curve and "programmed" listeners read raw events,
 * which exist for the hot window alone.
 */
import { DAY_MS } from '../../contract/events.ts';
import type { DayRange } from '../analytics/period.ts';
import type { Db } from './client.ts';
import { streamSql } from './event-rules.ts';

// ---------------------------------------------------------------------------------------------
// What drives reach

/** One track's counters in the compared period (`p`) and the current one (`c`). */
export interface TrackReachRow {
  trackId: string;
  title: string;
  releaseDate: string | null;
  pImpressions: number;
  pAlgorithmicStreams: number;
  pStreams: number;
  pCompletions: number;
  cImpressions: number;
  cAlgorithmicStreams: number;
  cStreams: number;
  cCompletions: number;
}

/** One (surface, track) pair's impressions and algorithmic streams in both periods. */
export interface SurfaceReachRow {
  surface: string;
  trackId: string;
  pImpressions: number;
  pStreams: number;
  cImpressions: number;
  cStreams: number;
}

const inP = (col: string) => `coalesce(sum(CASE WHEN d.day BETWEEN ?2 AND ?3 THEN ${col} END), 0)`;
const inC = (col: string) => `coalesce(sum(CASE WHEN d.day BETWEEN ?4 AND ?5 THEN ${col} END), 0)`;

/**
 * Per track and per (surface, track): the funnel of `compare` and of `current` (the periods may
 * overlap). One round trip.
 */
export async function reachRows(
  db: Db,
  artistId: string,
  current: DayRange,
  compare: DayRange,
): Promise<{ tracks: TrackReachRow[]; surfaces: SurfaceReachRow[] }> {
  const d1 = db.$client;
  const args = [artistId, compare.from, compare.to, current.from, current.to];
  const days = '(d.day BETWEEN ?2 AND ?3 OR d.day BETWEEN ?4 AND ?5)';
  const [tracks, surfaces] = await d1.batch<Record<string, unknown>>([
    d1
      .prepare(
        `SELECT t.id AS trackId, t.title AS title, t.release_date AS releaseDate,
           ${inP('d.impressions')} AS pImpressions, ${inP('d.algorithmic_streams')} AS pAlgorithmicStreams,
           ${inP('d.streams')} AS pStreams, ${inP('d.completions')} AS pCompletions,
           ${inC('d.impressions')} AS cImpressions, ${inC('d.algorithmic_streams')} AS cAlgorithmicStreams,
           ${inC('d.streams')} AS cStreams, ${inC('d.completions')} AS cCompletions
         FROM tracks t JOIN track_daily d ON d.track_id = t.id AND ${days}
         WHERE t.artist_id = ?1 GROUP BY t.id`,
      )
      .bind(...args),
    d1
      .prepare(
        `SELECT d.key AS surface, d.track_id AS trackId,
           ${inP('d.impressions')} AS pImpressions, ${inP('d.streams')} AS pStreams,
           ${inC('d.impressions')} AS cImpressions, ${inC('d.streams')} AS cStreams
         FROM track_daily_breakdown d INDEXED BY track_daily_breakdown_artist_idx
         WHERE d.artist_id = ?1 AND d.dim = 'surface' AND ${days}
         GROUP BY d.key, d.track_id`,
      )
      .bind(...args),
  ]);
  return {
    tracks: (tracks?.results ?? []) as unknown as TrackReachRow[],
    surfaces: (surfaces?.results ?? []) as unknown as SurfaceReachRow[],
  };
}

// ---------------------------------------------------------------------------------------------
// Alerts

/** One artist's day as the alert detector reads it. */
export interface ArtistDayRow {
  artistId: string;
  day: number;
  streams: number;
  playsStarted: number;
  skips: number;
  netSaves: number;
  reach: number;
}

/**
 * Artists with streams on at least `minActiveDays` days of [from, to]: the only ones that can alert.
 */
export async function activeArtists(db: Db, range: DayRange, minActiveDays: number): Promise<string[]> {
  const { results } = await db.$client
    .prepare(
      `SELECT artist_id AS artistId FROM track_daily WHERE day BETWEEN ?1 AND ?2 AND streams > 0
       GROUP BY artist_id HAVING count(DISTINCT day) >= ?3`,
    )
    .bind(range.from, range.to, minActiveDays)
    .all<{ artistId: string }>();
  return results.map((r) => r.artistId);
}

/** Daily counters and reach of the listed artists over `range` (days without activity are absent). */
export async function artistDays(db: Db, artistIds: readonly string[], range: DayRange): Promise<ArtistDayRow[]> {
  if (artistIds.length === 0) return [];
  const { results } = await db.$client
    .prepare(
      `WITH a AS (SELECT value AS id FROM json_each(?1)),
       c AS (SELECT d.artist_id, d.day, sum(d.streams) AS streams, sum(d.plays_started) AS playsStarted, sum(d.skips) AS skips,
               sum(d.saves - d.unsaves) AS netSaves
             FROM a CROSS JOIN track_daily d ON d.artist_id = a.id AND d.day BETWEEN ?2 AND ?3 GROUP BY d.artist_id, d.day)
       SELECT c.artist_id AS artistId, c.day AS day, c.streams AS streams, c.playsStarted AS playsStarted, c.skips AS skips,
         c.netSaves AS netSaves, coalesce(ad.reach, 0) AS reach
       FROM c LEFT JOIN artist_daily ad ON ad.artist_id = c.artist_id AND ad.day = c.day`,
    )
    .bind(JSON.stringify(artistIds), range.from, range.to)
    .all<ArtistDayRow>();
  return results;
}

export interface AlertRow {
  id: string;
  artistId: string;
  day: number;
  metric: string;
  direction: 'up' | 'down';
  value: number;
  median: number;
  mad: number;
  low: number;
  high: number;
  detectedAt: number;
}

/** Inserts alerts; (artist, day, metric) already alerted is left alone. Returns the rows inserted. */
export async function insertAlerts(db: Db, alerts: readonly AlertRow[]): Promise<AlertRow[]> {
  if (alerts.length === 0) return [];
  const d1 = db.$client;
  const inserted: AlertRow[] = [];
  // 50 rows × 11 columns per statement stays under D1's 100 bound parameters… so bind JSON instead.
  for (let i = 0; i < alerts.length; i += 200) {
    const chunk = alerts.slice(i, i + 200);
    const { results } = await d1
      .prepare(
        `INSERT INTO insight_alerts (id, artist_id, day, metric, direction, value, median, mad, low, high, detected_at)
         SELECT value ->> '$.id', value ->> '$.artistId', value ->> '$.day', value ->> '$.metric', value ->> '$.direction',
           value ->> '$.value', value ->> '$.median', value ->> '$.mad', value ->> '$.low', value ->> '$.high', value ->> '$.detectedAt'
         FROM json_each(?1) WHERE true
         ON CONFLICT (artist_id, day, metric) DO NOTHING
         RETURNING id`,
      )
      .bind(JSON.stringify(chunk))
      .all<{ id: string }>();
    const ids = new Set(results.map((r) => r.id));
    inserted.push(...chunk.filter((a) => ids.has(a.id)));
  }
  return inserted;
}

/** Alerts of an artist whose day lies in `range`, newest day first. */
export async function alertsOf(db: Db, artistId: string, range: DayRange, limit: number): Promise<AlertRow[]> {
  const { results } = await db.$client
    .prepare(
      `SELECT id, artist_id AS artistId, day, metric, direction, value, median, mad, low, high, detected_at AS detectedAt
       FROM insight_alerts WHERE artist_id = ?1 AND day BETWEEN ?2 AND ?3 ORDER BY day DESC, metric LIMIT ?4`,
    )
    .bind(artistId, range.from, range.to, limit)
    .all<AlertRow>();
  return results;
}

// ---------------------------------------------------------------------------------------------
// Webhooks

export interface WebhookRow {
  id: string;
  artistId: string;
  url: string;
  createdAt: number;
}

export async function insertWebhook(
  db: Db,
  w: { id: string; artistId: string; url: string; secret: string; createdBy: string; createdAt: number },
): Promise<void> {
  await db.$client
    .prepare('INSERT INTO webhooks (id, artist_id, url, secret, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)')
    .bind(w.id, w.artistId, w.url, w.secret, w.createdBy, w.createdAt)
    .run();
}

/** An artist's webhooks, oldest first; never their secrets. */
export async function webhooksOf(db: Db, artistId: string): Promise<WebhookRow[]> {
  const { results } = await db.$client
    .prepare('SELECT id, artist_id AS artistId, url, created_at AS createdAt FROM webhooks WHERE artist_id = ?1 ORDER BY created_at, id')
    .bind(artistId)
    .all<WebhookRow>();
  return results;
}

/** Deletes a webhook of the artist with its deliveries; false when the artist has no such webhook. */
export async function deleteWebhook(db: Db, artistId: string, webhookId: string): Promise<boolean> {
  const d1 = db.$client;
  const [, gone] = await d1.batch([
    d1
      .prepare('DELETE FROM webhook_deliveries WHERE webhook_id = ?1 AND EXISTS (SELECT 1 FROM webhooks WHERE id = ?1 AND artist_id = ?2)')
      .bind(webhookId, artistId),
    d1.prepare('DELETE FROM webhooks WHERE id = ?1 AND artist_id = ?2').bind(webhookId, artistId),
  ]);
  return (gone?.meta.changes ?? 0) > 0;
}

export interface NewDelivery {
  id: string;
  webhookId: string;
  artistId: string;
  event: string;
  payload: string;
  createdAt: number;
}

/** Pending deliveries of `event` to every webhook of each artist: one per (webhook, payload). */
export async function insertDeliveries(db: Db, deliveries: readonly NewDelivery[]): Promise<void> {
  if (deliveries.length === 0) return;
  const d1 = db.$client;
  for (let i = 0; i < deliveries.length; i += 200) {
    await d1
      .prepare(
        `INSERT INTO webhook_deliveries (id, webhook_id, artist_id, event, payload, status, attempts, created_at, updated_at)
         SELECT value ->> '$.id', value ->> '$.webhookId', value ->> '$.artistId', value ->> '$.event', value ->> '$.payload',
           'pending', 0, value ->> '$.createdAt', value ->> '$.createdAt'
         FROM json_each(?1)`,
      )
      .bind(JSON.stringify(deliveries.slice(i, i + 200)))
      .run();
  }
}

/** Webhooks (id, artist) of the listed artists. */
export async function webhooksOfArtists(db: Db, artistIds: readonly string[]): Promise<{ id: string; artistId: string }[]> {
  if (artistIds.length === 0) return [];
  const { results } = await db.$client
    .prepare('SELECT id, artist_id AS artistId FROM webhooks WHERE artist_id IN (SELECT value FROM json_each(?1))')
    .bind(JSON.stringify(artistIds))
    .all<{ id: string; artistId: string }>();
  return results;
}

/** A delivery with what sending it needs; null when it (or its webhook) no longer exists. */
export async function deliveryToSend(
  db: Db,
  deliveryId: string,
): Promise<{ id: string; status: string; attempts: number; payload: string; event: string; url: string; secret: string } | null> {
  return db.$client
    .prepare(
      `SELECT d.id, d.status, d.attempts, d.payload, d.event, w.url, w.secret
       FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE d.id = ?1`,
    )
    .bind(deliveryId)
    .first();
}

/** Records one attempt's outcome. */
export async function recordAttempt(
  db: Db,
  a: {
    id: string;
    attempts: number;
    status: 'pending' | 'delivered' | 'failed';
    lastStatus: number | null;
    lastError: string | null;
    at: number;
  },
): Promise<void> {
  await db.$client
    .prepare('UPDATE webhook_deliveries SET attempts = ?2, status = ?3, last_status = ?4, last_error = ?5, updated_at = ?6 WHERE id = ?1')
    .bind(a.id, a.attempts, a.status, a.lastStatus, a.lastError, a.at)
    .run();
}

export interface DeliveryRow {
  id: string;
  webhookId: string;
  event: string;
  payload: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
}

/** An artist's deliveries, newest first, optionally of one status. */
export async function deliveriesOf(db: Db, artistId: string, status: string | null, limit: number): Promise<DeliveryRow[]> {
  const { results } = await db.$client
    .prepare(
      `SELECT id, webhook_id AS webhookId, event, payload, status, attempts, last_status AS lastStatus, last_error AS lastError,
         created_at AS createdAt, updated_at AS updatedAt
       FROM webhook_deliveries WHERE artist_id = ?1 AND (?2 IS NULL OR status = ?2) ORDER BY created_at DESC, id LIMIT ?3`,
    )
    .bind(artistId, status, limit)
    .all<DeliveryRow>();
  return results;
}

// ---------------------------------------------------------------------------------------------
// Release benchmark

export interface ReleaseRow {
  trackId: string;
  title: string;
  releaseDate: string | null;
  /** First day the track was streamed, null when never. */
  firstStreamDay: number | null;
}

/** Every track of the artist with its release date and first streamed day. */
export async function releasesOf(db: Db, artistId: string): Promise<ReleaseRow[]> {
  const { results } = await db.$client
    .prepare(
      `SELECT t.id AS trackId, t.title AS title, t.release_date AS releaseDate,
         (SELECT min(d.day) FROM track_daily d WHERE d.track_id = t.id AND d.streams > 0) AS firstStreamDay
       FROM tracks t WHERE t.artist_id = ?1`,
    )
    .bind(artistId)
    .all<ReleaseRow>();
  return results;
}

/** Streams per (track, day) of the listed tracks, each over its own window [from, from + days). */
export async function dailyStreamsFrom(
  db: Db,
  windows: readonly { trackId: string; from: number }[],
  days: number,
): Promise<{ trackId: string; day: number; streams: number }[]> {
  if (windows.length === 0) return [];
  const { results } = await db.$client
    .prepare(
      `SELECT d.track_id AS trackId, d.day - (w.value ->> '$.from') AS day, d.streams AS streams
       FROM json_each(?1) w CROSS JOIN track_daily d
         ON d.track_id = w.value ->> '$.trackId' AND d.day >= w.value ->> '$.from' AND d.day < (w.value ->> '$.from') + ?2`,
    )
    .bind(JSON.stringify(windows), days)
    .all<{ trackId: string; day: number; streams: number }>();
  return results;
}

/** Streams per (track, hour) of the listed tracks over [start, start + hours) each, from the raw events. */
export async function hourlyStreamsFrom(
  db: Db,
  windows: readonly { trackId: string; startMs: number }[],
  hours: number,
): Promise<{ trackId: string; hour: number; streams: number }[]> {
  if (windows.length === 0) return [];
  const { results } = await db.$client
    .prepare(
      `SELECT e.track_id AS trackId, (e.ts - (w.value ->> '$.startMs')) / 3600000 AS hour, count(*) AS streams
       FROM json_each(?1) w CROSS JOIN events e
         ON e.track_id = w.value ->> '$.trackId' AND e.ts >= w.value ->> '$.startMs' AND e.ts < (w.value ->> '$.startMs') + ?2
       WHERE ${streamSql('e')}
       GROUP BY e.track_id, hour`,
    )
    .bind(JSON.stringify(windows), hours * 3_600_000)
    .all<{ trackId: string; hour: number; streams: number }>();
  return results;
}

// ---------------------------------------------------------------------------------------------
// Audience depth

/** Listeners and streams by listener country over `range`. */
export async function countriesOf(
  db: Db,
  artistId: string,
  range: DayRange,
): Promise<{ country: string; listeners: number; streams: number }[]> {
  const { results } = await db.$client
    .prepare(
      `SELECT coalesce(u.country, 'unknown') AS country, count(DISTINCT a.user_id) AS listeners, sum(a.streams) AS streams
       FROM artist_user_daily a LEFT JOIN users u ON u.id = a.user_id
       WHERE a.artist_id = ?1 AND a.day BETWEEN ?2 AND ?3 AND a.streams > 0
       GROUP BY 1`,
    )
    .bind(artistId, range.from, range.to)
    .all<{ country: string; listeners: number; streams: number }>();
  return results;
}

/** One listener of the period: activity in it. */
export interface ListenerDepth {
  userId: string;
  streams: number;
  completions: number;
  netSaves: number;
  /** Save events (not net of unsaves). */
  saves: number;
  /** UTC days with ≥ 1 stream. */
  activeDays: number;
}

export async function listenerDepth(db: Db, artistId: string, range: DayRange): Promise<ListenerDepth[]> {
  const { results } = await db.$client
    .prepare(
      `SELECT user_id AS userId, sum(streams) AS streams, sum(completions) AS completions, sum(saves - unsaves) AS netSaves,
         sum(saves) AS saves, sum(streams > 0) AS activeDays
       FROM artist_user_daily WHERE artist_id = ?1 AND day BETWEEN ?2 AND ?3
       GROUP BY user_id HAVING sum(streams) > 0`,
    )
    .bind(artistId, range.from, range.to)
    .all<ListenerDepth>();
  return results;
}

/** Users with a stream of the artist in `before` and none in `range`. */
export async function previouslyActive(db: Db, artistId: string, before: DayRange, range: DayRange): Promise<number> {
  const row = await db.$client
    .prepare(
      `SELECT count(*) AS n FROM (
         SELECT user_id FROM artist_user_daily INDEXED BY artist_user_daily_listeners_idx
         WHERE artist_id = ?1 AND streams > 0 AND day BETWEEN ?2 AND ?5
         GROUP BY user_id HAVING max(day BETWEEN ?2 AND ?3) = 1 AND max(day BETWEEN ?4 AND ?5) = 0)`,
    )
    .bind(artistId, before.from, before.to, range.from, range.to)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/**
 * Per listener: streams of the artist in [fromMs, toMs) and how many came through a programmed list
 * (a rec_id, or source algorithmic or editorial). Raw events: the hot window only.
 */
export async function programmedStreams(
  db: Db,
  artistId: string,
  fromMs: number,
  toMs: number,
): Promise<{ userId: string; streams: number; programmed: number }[]> {
  const { results } = await db.$client
    .prepare(
      `SELECT e.user_id AS userId, count(*) AS streams,
         sum(e.rec_id IS NOT NULL OR e.source IN ('algorithmic', 'editorial')) AS programmed
       FROM tracks t CROSS JOIN events e ON e.track_id = t.id
       WHERE t.artist_id = ?1 AND e.ts >= ?2 AND e.ts < ?3 AND ${streamSql('e')}
       GROUP BY e.user_id`,
    )
    .bind(artistId, fromMs, toMs)
    .all<{ userId: string; streams: number; programmed: number }>();
  return results;
}

/** Epoch ms of the start of epoch day `day`. */
export const dayStartMs = (day: number): number => day * DAY_MS;
