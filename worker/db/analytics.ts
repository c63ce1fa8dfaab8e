import type { Counters } from '../analytics/definitions.ts';
import type { DayRange } from '../analytics/period.ts';
import type { Db } from './client.ts';

/** Sums of track_daily columns, named like `Counters`. */
const COUNTER_SUMS = `coalesce(sum(d.plays_started), 0) AS playsStarted, coalesce(sum(d.plays), 0) AS plays,
  coalesce(sum(d.streams), 0) AS streams, coalesce(sum(d.completions), 0) AS completions, coalesce(sum(d.skips), 0) AS skips,
  coalesce(sum(d.saves), 0) AS saves, coalesce(sum(d.unsaves), 0) AS unsaves, coalesce(sum(d.playlist_adds), 0) AS playlistAdds,
  coalesce(sum(d.playlist_removes), 0) AS playlistRemoves, coalesce(sum(d.impressions), 0) AS impressions,
  coalesce(sum(d.algorithmic_streams), 0) AS algorithmicStreams`;

export const ZERO_COUNTERS: Counters = {
  playsStarted: 0,
  plays: 0,
  streams: 0,
  completions: 0,
  skips: 0,
  saves: 0,
  unsaves: 0,
  playlistAdds: 0,
  playlistRemoves: 0,
  impressions: 0,
  algorithmicStreams: 0,
};

/** What is counted over: one artist's tracks, or one track. */
export type Scope = { artistId: string; trackId?: undefined } | { artistId: string; trackId: string };

function scopeFilter(scope: Scope): { sql: string; arg: string } {
  return scope.trackId === undefined ? { sql: 'd.artist_id = ?1', arg: scope.artistId } : { sql: 'd.track_id = ?1', arg: scope.trackId };
}

/** Counters per bucket (bucket = day, or Monday of the ISO week) over `range`. */
export async function countersByBucket(db: Db, scope: Scope, range: DayRange, granularity: 'day' | 'week'): Promise<Map<number, Counters>> {
  const f = scopeFilter(scope);
  const bucket = granularity === 'week' ? 'd.day - ((d.day + 3) % 7)' : 'd.day';
  const { results } = await db.$client
    .prepare(`SELECT ${bucket} AS bucket, ${COUNTER_SUMS} FROM track_daily d WHERE ${f.sql} AND d.day BETWEEN ?2 AND ?3 GROUP BY bucket`)
    .bind(f.arg, range.from, range.to)
    .all<Counters & { bucket: number }>();
  return new Map(results.map(({ bucket, ...c }) => [bucket, c]));
}

/** Counters summed over `range`. */
export async function countersOver(db: Db, scope: Scope, range: DayRange): Promise<Counters> {
  const f = scopeFilter(scope);
  const row = await db.$client
    .prepare(`SELECT ${COUNTER_SUMS} FROM track_daily d WHERE ${f.sql} AND d.day BETWEEN ?2 AND ?3`)
    .bind(f.arg, range.from, range.to)
    .first<Counters>();
  return row ?? ZERO_COUNTERS;
}

export interface DistinctUsers {
  listeners: number;
  reach: number;
}

/**
 * Distinct users of an artist in [?3, ?4], split at day ?2: `cur` counts users active on or after ?2,
 * `prev` before it. Walks the partial (artist_id, user_id, day) index in user order, so no temporary
 * b-tree is built however many rows a popular artist has.
 */
const distinctSplit = (index: string, active: string) => `SELECT coalesce(sum(c), 0) AS cur, coalesce(sum(p), 0) AS prev FROM (
  SELECT max(day >= ?2) AS c, max(day < ?2) AS p FROM artist_user_daily INDEXED BY ${index}
  WHERE artist_id = ?1 AND ${active} AND day BETWEEN ?3 AND ?4 GROUP BY user_id)`;
const LISTENERS_SPLIT = distinctSplit('artist_user_daily_listeners_idx', 'streams > 0');
const REACH_SPLIT = distinctSplit('artist_user_daily_reach_idx', 'impressions > 0');

export interface PeriodTotals {
  counters: Counters;
  users: DistinctUsers;
}

/**
 * Counters, listeners and reach of `range` and of the `previous` range just before it, in one D1
 * round trip (three statements).
 *
 * @example await periodTotals(db, 'a-1', { from: 20_400, to: 20_406 }, { from: 20_393, to: 20_399 })
 */
export async function periodTotals(
  db: Db,
  artistId: string,
  range: DayRange,
  previous: DayRange,
): Promise<{ current: PeriodTotals; previous: PeriodTotals }> {
  const d1 = db.$client;
  const args = [artistId, range.from, previous.from, range.to];
  const [counters, listeners, reach] = await d1.batch<Record<string, number>>([
    d1
      .prepare(
        `SELECT d.day >= ?2 AS cur, ${COUNTER_SUMS} FROM track_daily d WHERE d.artist_id = ?1 AND d.day BETWEEN ?3 AND ?4 GROUP BY cur`,
      )
      .bind(...args),
    d1.prepare(LISTENERS_SPLIT).bind(...args),
    d1.prepare(REACH_SPLIT).bind(...args),
  ]);
  const byPeriod = (cur: number): Counters => {
    const row = counters?.results.find((r) => r.cur === cur);
    if (!row) return ZERO_COUNTERS;
    const { cur: _, ...c } = row;
    return c as unknown as Counters;
  };
  const l = listeners?.results[0] ?? { cur: 0, prev: 0 };
  const r = reach?.results[0] ?? { cur: 0, prev: 0 };
  return {
    current: { counters: byPeriod(1), users: { listeners: l.cur ?? 0, reach: r.cur ?? 0 } },
    previous: { counters: byPeriod(0), users: { listeners: l.prev ?? 0, reach: r.prev ?? 0 } },
  };
}

/** Listeners (≥ 1 stream) and algorithmic reach (≥ 1 impression) of an artist over `range`. */
export async function distinctUsersOver(db: Db, artistId: string, range: DayRange): Promise<DistinctUsers> {
  const d1 = db.$client;
  const args = [artistId, range.from, range.from, range.to];
  const [listeners, reach] = await d1.batch<{ cur: number }>([
    d1.prepare(LISTENERS_SPLIT).bind(...args),
    d1.prepare(REACH_SPLIT).bind(...args),
  ]);
  return { listeners: listeners?.results[0]?.cur ?? 0, reach: reach?.results[0]?.cur ?? 0 };
}

/**
 * Listeners and reach per bucket (distinct within each bucket). Days read the per-day rollup; weeks
 * count distinct users over the week's artist_user_daily rows.
 */
export async function distinctUsersByBucket(
  db: Db,
  artistId: string,
  range: DayRange,
  granularity: 'day' | 'week',
): Promise<Map<number, DistinctUsers>> {
  const d1 = db.$client;
  if (granularity === 'day') {
    const { results } = await d1
      .prepare('SELECT day AS bucket, listeners, reach FROM artist_daily WHERE artist_id = ?1 AND day BETWEEN ?2 AND ?3')
      .bind(artistId, range.from, range.to)
      .all<DistinctUsers & { bucket: number }>();
    return new Map(results.map(({ bucket, ...u }) => [bucket, u]));
  }
  const perWeek = (active: string) =>
    d1
      .prepare(
        `SELECT day - ((day + 3) % 7) AS bucket, count(DISTINCT user_id) AS n FROM artist_user_daily
         WHERE artist_id = ?1 AND ${active} AND day BETWEEN ?2 AND ?3 GROUP BY bucket`,
      )
      .bind(artistId, range.from, range.to);
  const [listeners, reach] = await d1.batch<{ bucket: number; n: number }>([perWeek('streams > 0'), perWeek('impressions > 0')]);
  const out = new Map<number, DistinctUsers>();
  const at = (b: number) => {
    let u = out.get(b);
    if (!u) {
      u = { listeners: 0, reach: 0 };
      out.set(b, u);
    }
    return u;
  };
  for (const r of listeners?.results ?? []) at(r.bucket).listeners = r.n;
  for (const r of reach?.results ?? []) at(r.bucket).reach = r.n;
  return out;
}

export interface TrackCounters extends Counters {
  trackId: string;
  title: string;
  durationMs: number;
}

/** Every track of the artist with its counters over `range` (zeros for tracks without activity). */
export async function trackCounters(db: Db, artistId: string, range: DayRange): Promise<TrackCounters[]> {
  const { results } = await db.$client
    .prepare(
      `SELECT t.id AS trackId, t.title AS title, t.duration_ms AS durationMs, ${COUNTER_SUMS}
       FROM tracks t LEFT JOIN track_daily d ON d.track_id = t.id AND d.day BETWEEN ?2 AND ?3
       WHERE t.artist_id = ?1 GROUP BY t.id`,
    )
    .bind(artistId, range.from, range.to)
    .all<TrackCounters>();
  return results;
}

export interface BreakdownRow {
  dim: string;
  key: string;
  streams: number;
  impressions: number;
  saves: number;
  count: number;
}

/** Breakdown rows (`source`, `surface`, `skip_decile`) of a track or an artist over `range`. */
export async function breakdownOver(db: Db, scope: Scope, dims: readonly string[], range: DayRange): Promise<BreakdownRow[]> {
  const f = scopeFilter(scope);
  const { results } = await db.$client
    .prepare(
      `SELECT d.dim AS dim, d.key AS key, sum(d.streams) AS streams, sum(d.impressions) AS impressions, sum(d.saves) AS saves, sum(d.count) AS count
       FROM track_daily_breakdown d
       WHERE ${f.sql} AND d.dim IN (SELECT value FROM json_each(?4)) AND d.day BETWEEN ?2 AND ?3
       GROUP BY d.dim, d.key`,
    )
    .bind(f.arg, range.from, range.to, JSON.stringify(dims))
    .all<BreakdownRow>();
  return results;
}

/** Streams by local weekday × hour over `range`. */
export async function listeningClock(
  db: Db,
  artistId: string,
  range: DayRange,
): Promise<{ weekday: number; hour: number; streams: number }[]> {
  const { results } = await db.$client
    .prepare(
      `SELECT weekday, hour, sum(streams) AS streams FROM artist_clock_daily
       WHERE artist_id = ?1 AND day BETWEEN ?2 AND ?3 GROUP BY weekday, hour`,
    )
    .bind(artistId, range.from, range.to)
    .all<{ weekday: number; hour: number; streams: number }>();
  return results;
}

export interface ListenerActivity {
  userId: string;
  streams: number;
  completions: number;
  netSaves: number;
  /** First day the user ever streamed the artist. */
  firstStreamDay: number;
}

/** Every listener of the artist in `range`, with their activity in it and their first-ever stream day. */
export async function listenersOf(db: Db, artistId: string, range: DayRange): Promise<ListenerActivity[]> {
  const { results } = await db.$client
    .prepare(
      `SELECT user_id AS userId,
              sum(CASE WHEN day >= ?2 THEN streams ELSE 0 END) AS streams,
              sum(CASE WHEN day >= ?2 THEN completions ELSE 0 END) AS completions,
              sum(CASE WHEN day >= ?2 THEN saves - unsaves ELSE 0 END) AS netSaves,
              min(CASE WHEN streams > 0 THEN day END) AS firstStreamDay
       FROM artist_user_daily WHERE artist_id = ?1 AND day <= ?3
       GROUP BY user_id HAVING sum(CASE WHEN day >= ?2 THEN streams ELSE 0 END) > 0`,
    )
    .bind(artistId, range.from, range.to)
    .all<ListenerActivity>();
  return results;
}

/** The track's artist, or null when the track is unknown. */
export async function artistOfTrack(db: Db, trackId: string): Promise<{ artistId: string; title: string; durationMs: number } | null> {
  return db.$client
    .prepare('SELECT artist_id AS artistId, title, duration_ms AS durationMs FROM tracks WHERE id = ?1')
    .bind(trackId)
    .first<{ artistId: string; title: string; durationMs: number }>();
}

/** True when the artist exists. */
export async function artistExists(db: Db, artistId: string): Promise<boolean> {
  const row = await db.$client.prepare('SELECT 1 AS ok FROM artists WHERE id = ?1').bind(artistId).first();
  return row !== null;
}
