import { localClock } from '../analytics/clock.ts';
import { COMPLETION_SHARE, DAY_MS, SKIP_BEFORE_MS, SKIP_POSITION_BINS, STREAM_MIN_MS } from '../analytics/definitions.ts';
import type { Db } from './client.ts';

// The definitions, spelled in SQL over `ev` (events of the day joined with their track). Each
// predicate is 0 or 1, never NULL: a comparison with a missing column (no source, no rec_id) is
// NULL in SQL, and a sum of NULLs would break the rollups' NOT NULL columns for every artist.
const known = (predicate: string) => `coalesce(${predicate}, 0)`;
const PLAY = `ev.type IN ('play_end', 'skip')`;
const STREAM = known(`${PLAY} AND ev.ms_played >= ${STREAM_MIN_MS}`);
const COMPLETION = known(`${PLAY} AND ev.ms_played >= ${COMPLETION_SHARE} * ev.duration_ms`);
const COUNTED_SKIP = known(`ev.type = 'skip' AND ev.ms_played < ${SKIP_BEFORE_MS}`);
const ALGORITHMIC_STREAM = known(`${STREAM} AND (ev.rec_id IS NOT NULL OR ev.source IS 'algorithmic')`);
const SKIP_DECILE = `min(${SKIP_POSITION_BINS - 1}, max(0, (ev.ms_played * ${SKIP_POSITION_BINS}) / ev.duration_ms))`;

// ?1 day, ?2 and ?3 its bounds in ms, ?4 the artist when one artist is refreshed. For one artist the
// CROSS JOIN makes SQLite walk the artist's tracks and then the (track_id, ts) indexes, instead of
// every event of the day.
const evOf = (oneArtist: boolean) => `ev AS (
  SELECT e.type, e.user_id, e.track_id, e.ts, e.ms_played, e.source, e.surface, e.rec_id, t.artist_id, t.duration_ms
  FROM ${oneArtist ? 'tracks t CROSS JOIN events e ON e.track_id = t.id' : 'events e JOIN tracks t ON t.id = e.track_id'}
  WHERE e.ts >= ?2 AND e.ts < ?3 ${oneArtist ? 'AND t.artist_id = ?4' : ''})`;
const impOf = (oneArtist: boolean) => `imp AS (
  SELECT i.user_id, i.track_id, t.artist_id, coalesce(l.surface, 'unknown') AS surface
  FROM ${oneArtist ? 'tracks t CROSS JOIN rec_items i ON i.track_id = t.id' : 'rec_items i JOIN tracks t ON t.id = i.track_id'}
  LEFT JOIN rec_lists l ON l.rec_id = i.rec_id
  WHERE i.served_at >= ?2 AND i.served_at < ?3 ${oneArtist ? 'AND t.artist_id = ?4' : ''})`;

const TRACK_DAILY = (
  a: boolean,
) => `INSERT INTO track_daily (track_id, day, artist_id, plays_started, plays, streams, completions, skips, ms_played,
  saves, unsaves, playlist_adds, playlist_removes, shares, impressions, algorithmic_streams)
WITH ${evOf(a)}, ${impOf(a)}, parts AS (
  SELECT ev.track_id, ev.artist_id,
    sum(ev.type = 'play_start') AS ps, sum(${PLAY}) AS plays, sum(${STREAM}) AS streams, sum(${COMPLETION}) AS completions,
    sum(${COUNTED_SKIP}) AS skips, sum(CASE WHEN ${PLAY} THEN ev.ms_played ELSE 0 END) AS ms,
    sum(ev.type = 'save') AS saves, sum(ev.type = 'unsave') AS unsaves, sum(ev.type = 'playlist_add') AS adds,
    sum(ev.type = 'playlist_remove') AS removes, sum(ev.type = 'share') AS shares, 0 AS impressions, sum(${ALGORITHMIC_STREAM}) AS algo
  FROM ev GROUP BY ev.track_id
  UNION ALL
  SELECT track_id, artist_id, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, count(*), 0 FROM imp GROUP BY track_id)
SELECT track_id, ?1, artist_id, max(sum(ps), sum(plays)), sum(plays), sum(streams), sum(completions), sum(skips), sum(ms),
  sum(saves), sum(unsaves), sum(adds), sum(removes), sum(shares), sum(impressions), sum(algo)
FROM parts GROUP BY track_id`;

// Funnel saves count only saves the app attributed to a surface; a save from the library has none.
const BREAKDOWN = (
  a: boolean,
) => `INSERT INTO track_daily_breakdown (track_id, day, dim, key, artist_id, streams, impressions, saves, count)
WITH ${evOf(a)}, ${impOf(a)}, parts AS (
  SELECT ev.track_id, ev.artist_id, 'source' AS dim, coalesce(ev.source, 'unknown') AS key, 1 AS streams, 0 AS impressions, 0 AS saves, 1 AS n
  FROM ev WHERE ${STREAM}
  UNION ALL
  SELECT ev.track_id, ev.artist_id, 'surface', coalesce(ev.surface, 'unknown'), ${ALGORITHMIC_STREAM}, 0, ev.type = 'save', 1
  FROM ev WHERE ${ALGORITHMIC_STREAM} OR (ev.type = 'save' AND ev.surface IS NOT NULL)
  UNION ALL
  SELECT track_id, artist_id, 'surface', surface, 0, 1, 0, 1 FROM imp
  UNION ALL
  SELECT ev.track_id, ev.artist_id, 'skip_decile', CAST(${SKIP_DECILE} AS TEXT), 0, 0, 0, 1 FROM ev WHERE ev.type = 'skip')
SELECT track_id, ?1, dim, key, artist_id, sum(streams), sum(impressions), sum(saves), sum(n)
FROM parts GROUP BY track_id, dim, key`;

const ARTIST_USER = (
  a: boolean,
) => `INSERT INTO artist_user_daily (artist_id, day, user_id, plays, streams, completions, saves, unsaves, impressions)
WITH ${evOf(a)}, ${impOf(a)}, parts AS (
  SELECT ev.artist_id, ev.user_id, sum(${PLAY}) AS plays, sum(${STREAM}) AS streams, sum(${COMPLETION}) AS completions,
    sum(ev.type = 'save') AS saves, sum(ev.type = 'unsave') AS unsaves, 0 AS impressions
  FROM ev GROUP BY ev.artist_id, ev.user_id
  UNION ALL
  SELECT artist_id, user_id, 0, 0, 0, 0, 0, count(*) FROM imp GROUP BY artist_id, user_id)
SELECT artist_id, ?1, user_id, sum(plays), sum(streams), sum(completions), sum(saves), sum(unsaves), sum(impressions)
FROM parts GROUP BY artist_id, user_id`;

/** Streams of the day per artist, listener zone and UTC hour; the zone is resolved in JS. */
const CLOCK_SOURCE = (a: boolean) => `WITH ${evOf(a)}
SELECT ev.artist_id AS artistId, u.timezone AS timezone, ev.ts / 3600000 AS utcHour, count(*) AS streams
FROM ev LEFT JOIN users u ON u.id = ev.user_id WHERE ${STREAM}
GROUP BY ev.artist_id, u.timezone, ev.ts / 3600000`;

const CLOCK_INSERT = `INSERT INTO artist_clock_daily (artist_id, day, weekday, hour, streams)
SELECT value ->> '$[0]', ?2, value ->> '$[1]', value ->> '$[2]', value ->> '$[3]' FROM json_each(?1) WHERE true`;

// Derived from the artist_user_daily rows the same batch has just written.
const ARTIST_DAILY = (a: boolean) => `INSERT INTO artist_daily (artist_id, day, listeners, reach)
SELECT artist_id, day, sum(streams > 0), sum(impressions > 0) FROM artist_user_daily
WHERE day = ?1 ${a ? 'AND artist_id = ?2' : ''} GROUP BY artist_id`;

const ROLLUP_TABLES = ['track_daily', 'track_daily_breakdown', 'artist_user_daily', 'artist_daily', 'artist_clock_daily'] as const;
const TRACK_KEYED: ReadonlySet<string> = new Set(['track_daily', 'track_daily_breakdown']);

/**
 * Re-derives the rollup rows of one UTC day (of one artist, or of everyone) from the raw events and
 * impressions of that day, in one atomic batch: delete, then insert. Running it twice gives the same
 * rows, which is what makes duplicates and late events harmless.
 *
 * The listening clock is resolved per UTC hour: in zones with a half-hour offset the streams of a
 * UTC hour go to the local hour containing its middle.
 *
 * @example await recomputeDay(db, 20_416) // 2025-11-24, every artist
 */
export async function recomputeDay(db: Db, day: number, artistId?: string): Promise<void> {
  const d1 = db.$client;
  const one = artistId !== undefined;
  const args: unknown[] = [day, day * DAY_MS, (day + 1) * DAY_MS, ...(one ? [artistId] : [])];
  const { results: clockSource } = await d1
    .prepare(CLOCK_SOURCE(one))
    .bind(...args)
    .all<{ artistId: string; timezone: string | null; utcHour: number; streams: number }>();
  const clock = new Map<string, number>();
  for (const r of clockSource) {
    const { weekday, hour } = localClock(r.utcHour * 3_600_000 + 1_800_000, r.timezone);
    const key = JSON.stringify([r.artistId, weekday, hour]);
    clock.set(key, (clock.get(key) ?? 0) + r.streams);
  }
  const clockRows = [...clock].map(([key, streams]) => [...(JSON.parse(key) as [string, number, number]), streams]);
  // For one artist, rows keyed by track are deleted by the artist's current tracks as well: a track
  // moved here from another artist still has rows under its old artist id.
  const scopeOf = (t: (typeof ROLLUP_TABLES)[number]) =>
    !one
      ? 'day = ?1'
      : TRACK_KEYED.has(t)
        ? 'day = ?1 AND (artist_id = ?2 OR track_id IN (SELECT id FROM tracks WHERE artist_id = ?2))'
        : 'day = ?1 AND artist_id = ?2';
  await d1.batch([
    ...ROLLUP_TABLES.map((t) => d1.prepare(`DELETE FROM ${t} WHERE ${scopeOf(t)}`).bind(day, ...(one ? [artistId] : []))),
    d1.prepare(TRACK_DAILY(one)).bind(...args),
    d1.prepare(BREAKDOWN(one)).bind(...args),
    d1.prepare(ARTIST_USER(one)).bind(...args),
    d1.prepare(ARTIST_DAILY(one)).bind(day, ...(one ? [artistId] : [])),
    d1.prepare(CLOCK_INSERT).bind(JSON.stringify(clockRows), day),
  ]);
}

const WATERMARK_KEY = 'analytics.rollup_watermark';
/**
 * A write whose timestamp was taken up to this long before it committed is still seen. Ingestion
 * takes its timestamp right before one batch insert, so seconds are plenty; a long overlap would
 * make every call re-mark the days of a bulk import until it expires.
 */
const WATERMARK_OVERLAP_MS = 10_000;

/**
 * Marks stale the UTC days of every event received, and every impression served, since the last
 * call (with an overlap for writes still in flight). Re-marking a day only costs a recompute, so
 * the overlap is safe. Triggers would be simpler, but D1 counts trigger writes in `meta.changes`,
 * which ingestion reports as stored events.
 *
 * @example await markStaleDays(db, Date.now())
 */
export async function markStaleDays(db: Db, now: number): Promise<void> {
  const d1 = db.$client;
  const row = await d1.prepare('SELECT value FROM settings WHERE key = ?1').bind(WATERMARK_KEY).first<{ value: string }>();
  const from = Math.max(0, Number(row?.value ?? 0) - WATERMARK_OVERLAP_MS);
  const mark = (table: string, dayOf: string, writtenAt: string) =>
    d1
      .prepare(
        `INSERT INTO analytics_dirty_days (day, version)
         SELECT DISTINCT ${dayOf} / ${DAY_MS}, 1 FROM ${table} WHERE ${writtenAt} > ?1 AND ${writtenAt} <= ?2
         ON CONFLICT (day) DO UPDATE SET version = version + 1`,
      )
      .bind(from, now);
  await d1.batch([
    mark('events', 'ts', 'received_at'),
    mark('rec_items', 'served_at', 'served_at'),
    d1
      .prepare(
        `INSERT INTO settings (key, value, updated_at) VALUES (?1, ?2, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      )
      .bind(WATERMARK_KEY, String(now)),
  ]);
}

/** Marks every day of an inclusive range stale, e.g. after importing old impressions. */
export async function markDaysStale(db: Db, from: number, to: number): Promise<void> {
  await db.$client
    .prepare(
      `WITH RECURSIVE d(day) AS (SELECT ?1 UNION ALL SELECT day + 1 FROM d WHERE day < ?2)
       INSERT INTO analytics_dirty_days (day, version) SELECT day, 1 FROM d WHERE true
       ON CONFLICT (day) DO UPDATE SET version = version + 1`,
    )
    .bind(from, to)
    .run();
}

export interface RefreshResult {
  refreshed: number;
  remaining: number;
  /** Days whose recompute threw: their marks stay, so the next run retries them. */
  failed: { day: number; error: string }[];
}

/**
 * Recomputes up to `maxDays` stale days for everyone (most recent first), clearing each mark only if
 * no new event arrived for that day meanwhile. One day that fails is reported and retried by the next
 * run; it never stops the others. The cron runs this; returns what is left.
 *
 * @example await refreshDirtyDays(db, { maxDays: 31 }) // { refreshed: 3, remaining: 0, failed: [] }
 */
export async function refreshDirtyDays(db: Db, opts: { maxDays: number }): Promise<RefreshResult> {
  const d1 = db.$client;
  await markStaleDays(db, Date.now());
  const { results } = await d1
    .prepare('SELECT day, version FROM analytics_dirty_days ORDER BY day DESC LIMIT ?1')
    .bind(opts.maxDays)
    .all<{ day: number; version: number }>();
  const failed: RefreshResult['failed'] = [];
  for (const { day, version } of results) {
    try {
      await recomputeDay(db, day);
    } catch (err) {
      failed.push({ day, error: err instanceof Error ? err.message : String(err) });
      continue;
    }
    await d1.prepare('DELETE FROM analytics_dirty_days WHERE day = ?1 AND version = ?2').bind(day, version).run();
  }
  const left = await d1.prepare('SELECT count(*) AS n FROM analytics_dirty_days').first<{ n: number }>();
  return { refreshed: results.length - failed.length, remaining: left?.n ?? 0, failed };
}

/** Most days one read recomputes for its artist; older backlogs are the cron's job. */
export const READ_REFRESH_MAX_DAYS = 31;

/**
 * Makes one artist's rollups exact for `from…to` before a read: stale days in the range are
 * recomputed for that artist only (cheap: its tracks' events of those days). Marks stay for the cron,
 * which refreshes every artist. This is what makes reads current in `wrangler dev`, where cron
 * triggers never fire on their own. Returns how many days were recomputed.
 */
export async function freshenArtist(db: Db, artistId: string, from: number, to: number): Promise<number> {
  await markStaleDays(db, Date.now());
  const { results } = await db.$client
    .prepare('SELECT day FROM analytics_dirty_days WHERE day BETWEEN ?1 AND ?2 ORDER BY day DESC LIMIT ?3')
    .bind(from, to, READ_REFRESH_MAX_DAYS)
    .all<{ day: number }>();
  for (const { day } of results) await recomputeDay(db, day, artistId);
  return results.length;
}
