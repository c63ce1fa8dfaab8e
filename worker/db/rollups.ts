import { DAY_MS } from '../../contract/events.ts';
import { localClock } from '../analytics/clock.ts';
import { SKIP_POSITION_BINS } from '../analytics/definitions.ts';
import type { Db } from './client.ts';
import { completionSql, countedSkipSql, playSql, streamSql } from './event-rules.ts';
import { yieldToOthers } from './slices.ts';

// The definitions, spelled in SQL over `ev` (events joined with their track). Each predicate is 0 or
// 1, never NULL: a comparison with a missing column (no source, no rec_id) is NULL in SQL, and a sum
// of NULLs would break the rollups' NOT NULL columns for every artist.
const known = (predicate: string) => `coalesce(${predicate}, 0)`;
const PLAY = playSql('ev');
const STREAM = known(streamSql('ev'));
const COMPLETION = known(completionSql('ev', 'ev.duration_ms'));
const COUNTED_SKIP = known(countedSkipSql('ev'));
const ALGORITHMIC_STREAM = known(`${STREAM} AND (ev.rec_id IS NOT NULL OR ev.source IS 'algorithmic')`);
const SKIP_DECILE = `min(${SKIP_POSITION_BINS - 1}, max(0, (ev.ms_played * ${SKIP_POSITION_BINS}) / ev.duration_ms))`;

/**
 * Which raw rows a rollup statement reads:
 * - `day`: the rows of one UTC day (?2 ≤ ts < ?3, the day is ?1), for every artist or for the artists
 *   of the JSON array ?4, leaving out rows whose batch delta is still pending (that delta will add them);
 * - `batches`: the rows of the pending batches listed in ?1 (events) and ?2 (impressions), JSON arrays;
 * - `listener`: the rows of the listener ?1 that the rollups hold (their batch delta is not pending);
 * - `archived`: archived event rows given as the JSON array ?1 (no impressions: served lists stay in D1).
 */
type Source = { kind: 'day'; someArtists: boolean } | { kind: 'batches' } | { kind: 'listener' } | { kind: 'archived' };

const EV_COLS = `e.type, e.user_id, e.track_id, e.ts, e.ts / ${DAY_MS} AS day, e.ms_played, e.source, e.surface, e.rec_id, t.artist_id, t.duration_ms`;
const IMP_COLS = `i.user_id, i.track_id, i.served_at / ${DAY_MS} AS day, t.artist_id, coalesce(l.surface, 'unknown') AS surface`;
const NOT_PENDING = (batchCol: string) => `NOT EXISTS (SELECT 1 FROM rollup_pending p WHERE p.batch_id = ${batchCol})`;
const PENDING_OF = (param: string, kind: string) =>
  `json_each(${param}) b JOIN rollup_pending p ON p.batch_id = b.value AND p.kind = '${kind}'`;

/** The artist ids of a bound JSON array, for `artist_id IN …`. */
const ARTISTS_OF = (param: string) => `(SELECT value FROM json_each(${param}))`;

// For some artists the CROSS JOIN makes SQLite walk their tracks and then the (track_id, ts)
// indexes, instead of every event of the day.
function rowsOf(src: Source): string {
  if (src.kind === 'batches') {
    return `ev AS (SELECT ${EV_COLS} FROM ${PENDING_OF('?1', 'events')}
        JOIN events e ON e.batch_id = p.batch_id JOIN tracks t ON t.id = e.track_id),
      imp AS (SELECT ${IMP_COLS} FROM ${PENDING_OF('?2', 'impressions')}
        JOIN rec_items i ON i.rec_id = p.batch_id JOIN tracks t ON t.id = i.track_id LEFT JOIN rec_lists l ON l.rec_id = i.rec_id)`;
  }
  if (src.kind === 'listener') {
    return `ev AS (SELECT ${EV_COLS} FROM events e JOIN tracks t ON t.id = e.track_id WHERE e.user_id = ?1 AND ${NOT_PENDING('e.batch_id')}),
      imp AS (SELECT ${IMP_COLS} FROM rec_items i JOIN tracks t ON t.id = i.track_id LEFT JOIN rec_lists l ON l.rec_id = i.rec_id
        WHERE i.user_id = ?1 AND ${NOT_PENDING('i.rec_id')})`;
  }
  if (src.kind === 'archived') {
    const col = (c: string) => `j.value ->> '${c}' AS ${c}`;
    return `ev AS (SELECT ${['type', 'user_id', 'track_id', 'ts'].map(col).join(', ')}, (j.value ->> 'ts') / ${DAY_MS} AS day,
        ${['ms_played', 'source', 'surface', 'rec_id'].map(col).join(', ')}, t.artist_id, t.duration_ms
        FROM json_each(?1) j JOIN tracks t ON t.id = j.value ->> 'track_id'),
      imp AS (SELECT NULL AS user_id, NULL AS track_id, NULL AS day, NULL AS artist_id, NULL AS surface WHERE false)`;
  }
  const a = src.someArtists;
  return `ev AS (SELECT ${EV_COLS}
        FROM ${a ? 'tracks t CROSS JOIN events e ON e.track_id = t.id' : 'events e JOIN tracks t ON t.id = e.track_id'}
        WHERE e.ts >= ?2 AND e.ts < ?3 ${a ? `AND t.artist_id IN ${ARTISTS_OF('?4')}` : ''} AND ${NOT_PENDING('e.batch_id')}),
      imp AS (SELECT ${IMP_COLS}
        FROM ${a ? 'tracks t CROSS JOIN rec_items i ON i.track_id = t.id' : 'rec_items i JOIN tracks t ON t.id = i.track_id'}
        LEFT JOIN rec_lists l ON l.rec_id = i.rec_id
        WHERE i.served_at >= ?2 AND i.served_at < ?3 ${a ? `AND t.artist_id IN ${ARTISTS_OF('?4')}` : ''} AND ${NOT_PENDING('i.rec_id')})`;
}

/** `col = col + excluded.col` for each column: deltas add; after a day's delete they simply insert. */
const adding = (table: string, cols: readonly string[]) => cols.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(', ');

const TRACK_COUNTERS = [
  'play_starts',
  'plays',
  'streams',
  'completions',
  'skips',
  'ms_played',
  'saves',
  'unsaves',
  'playlist_adds',
  'playlist_removes',
  'shares',
  'impressions',
  'algorithmic_streams',
] as const;

/** Per (track, day): artist_id, plays_started and TRACK_COUNTERS, in that order, of the rows `src` reads. */
const TRACK_DAILY_ROWS = (src: Source) => `WITH ${rowsOf(src)}, parts AS (
  SELECT ev.track_id, ev.day, ev.artist_id,
    sum(ev.type = 'play_start') AS ps, sum(${PLAY}) AS plays, sum(${STREAM}) AS streams, sum(${COMPLETION}) AS completions,
    sum(${COUNTED_SKIP}) AS skips, sum(CASE WHEN ${PLAY} THEN ev.ms_played ELSE 0 END) AS ms,
    sum(ev.type = 'save') AS saves, sum(ev.type = 'unsave') AS unsaves, sum(ev.type = 'playlist_add') AS adds,
    sum(ev.type = 'playlist_remove') AS removes, sum(ev.type = 'share') AS shares, 0 AS impressions, sum(${ALGORITHMIC_STREAM}) AS algo
  FROM ev GROUP BY ev.track_id, ev.day
  UNION ALL
  SELECT track_id, day, artist_id, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, count(*), 0 FROM imp GROUP BY track_id, day)
SELECT track_id, day, artist_id, max(sum(ps), sum(plays)), sum(ps), sum(plays), sum(streams), sum(completions), sum(skips), sum(ms),
  sum(saves), sum(unsaves), sum(adds), sum(removes), sum(shares), sum(impressions), sum(algo)
FROM parts GROUP BY track_id, day`;

const TRACK_DAILY = (src: Source) => `INSERT INTO track_daily (track_id, day, artist_id, plays_started, ${TRACK_COUNTERS.join(', ')})
${TRACK_DAILY_ROWS(src)}
ON CONFLICT (track_id, day) DO UPDATE SET artist_id = excluded.artist_id,
  plays_started = max(track_daily.play_starts + excluded.play_starts, track_daily.plays + excluded.plays),
  ${adding('track_daily', TRACK_COUNTERS)}`;

// Funnel saves count only saves the app attributed to a surface; a save from the library has none.
const BREAKDOWN_COUNTERS = ['streams', 'impressions', 'saves', 'count'] as const;
/** Per (track, day, dim, key): artist_id and BREAKDOWN_COUNTERS of the rows `src` reads. */
const BREAKDOWN_ROWS = (src: Source) => `WITH ${rowsOf(src)}, parts AS (
  SELECT ev.track_id, ev.day, ev.artist_id, 'source' AS dim, coalesce(ev.source, 'unknown') AS key, 1 AS streams, 0 AS impressions,
    0 AS saves, 1 AS n
  FROM ev WHERE ${STREAM}
  UNION ALL
  SELECT ev.track_id, ev.day, ev.artist_id, 'surface', coalesce(ev.surface, 'unknown'), ${ALGORITHMIC_STREAM}, 0, ev.type = 'save', 1
  FROM ev WHERE ${ALGORITHMIC_STREAM} OR (ev.type = 'save' AND ev.surface IS NOT NULL)
  UNION ALL
  SELECT track_id, day, artist_id, 'surface', surface, 0, 1, 0, 1 FROM imp
  UNION ALL
  SELECT ev.track_id, ev.day, ev.artist_id, 'skip_decile', CAST(${SKIP_DECILE} AS TEXT), 0, 0, 0, 1 FROM ev WHERE ev.type = 'skip')
SELECT track_id, day, dim, key, artist_id, sum(streams), sum(impressions), sum(saves), sum(n)
FROM parts GROUP BY track_id, day, dim, key`;

const BREAKDOWN = (src: Source) => `INSERT INTO track_daily_breakdown (track_id, day, dim, key, artist_id, ${BREAKDOWN_COUNTERS.join(', ')})
${BREAKDOWN_ROWS(src)}
ON CONFLICT (track_id, day, dim, key) DO UPDATE SET artist_id = excluded.artist_id,
  ${adding('track_daily_breakdown', BREAKDOWN_COUNTERS)}`;

const USER_COUNTERS = ['plays', 'streams', 'completions', 'saves', 'unsaves', 'impressions'] as const;
/** Per (artist, day, user): the activity the rows add. */
const USER_PARTS = (src: Source) => `${rowsOf(src)}, parts AS (
  SELECT ev.artist_id, ev.day, ev.user_id, sum(${PLAY}) AS plays, sum(${STREAM}) AS streams, sum(${COMPLETION}) AS completions,
    sum(ev.type = 'save') AS saves, sum(ev.type = 'unsave') AS unsaves, 0 AS impressions
  FROM ev GROUP BY ev.artist_id, ev.day, ev.user_id
  UNION ALL
  SELECT artist_id, day, user_id, 0, 0, 0, 0, 0, count(*) FROM imp GROUP BY artist_id, day, user_id),
  au AS (SELECT artist_id, day, user_id, sum(plays) AS plays, sum(streams) AS streams, sum(completions) AS completions,
    sum(saves) AS saves, sum(unsaves) AS unsaves, sum(impressions) AS impressions FROM parts GROUP BY artist_id, day, user_id)`;

const ARTIST_USER = (src: Source) => `INSERT INTO artist_user_daily (artist_id, day, user_id, ${USER_COUNTERS.join(', ')})
WITH ${USER_PARTS(src)}
SELECT artist_id, day, user_id, ${USER_COUNTERS.join(', ')} FROM au WHERE true
ON CONFLICT (artist_id, day, user_id) DO UPDATE SET ${adding('artist_user_daily', USER_COUNTERS)}`;

/**
 * Distinct listeners and reach grow by the users whose day goes from no stream (no impression) to
 * some. Runs before ARTIST_USER in the same transaction, so it sees the rows before the delta.
 */
const ARTIST_DAILY_DELTA = `INSERT INTO artist_daily (artist_id, day, listeners, reach)
WITH ${USER_PARTS({ kind: 'batches' })}
SELECT au.artist_id, au.day, sum(au.streams > 0 AND coalesce(a.streams, 0) = 0), sum(au.impressions > 0 AND coalesce(a.impressions, 0) = 0)
FROM au LEFT JOIN artist_user_daily a ON a.artist_id = au.artist_id AND a.day = au.day AND a.user_id = au.user_id
GROUP BY au.artist_id, au.day
ON CONFLICT (artist_id, day) DO UPDATE SET ${adding('artist_daily', ['listeners', 'reach'])}`;

// A day recompute derives it from the artist_user_daily rows the same batch has just written.
const ARTIST_DAILY = (someArtists: boolean) => `INSERT INTO artist_daily (artist_id, day, listeners, reach)
SELECT artist_id, day, sum(streams > 0), sum(impressions > 0) FROM artist_user_daily
WHERE day = ?1 ${someArtists ? `AND artist_id IN ${ARTISTS_OF('?2')}` : ''} GROUP BY artist_id`;

/** Streams per artist, listener zone and UTC hour; the zone is resolved in JS. */
const CLOCK_SOURCE = (src: Source) => `WITH ${rowsOf(src)}
SELECT ev.artist_id AS artistId, u.timezone AS timezone, ev.ts / 3600000 AS utcHour, count(*) AS streams
FROM ev LEFT JOIN users u ON u.id = ev.user_id WHERE ${STREAM}
GROUP BY ev.artist_id, u.timezone, ev.ts / 3600000`;

/** ?1 the clockRows JSON; `guard` decides whether they are added at all. */
const CLOCK_UPSERT = (guard = 'true') => `INSERT INTO artist_clock_daily (artist_id, day, weekday, hour, streams)
SELECT value ->> '$[0]', value ->> '$[1]', value ->> '$[2]', value ->> '$[3]', value ->> '$[4]' FROM json_each(?1) WHERE ${guard}
ON CONFLICT (artist_id, day, weekday, hour) DO UPDATE SET streams = artist_clock_daily.streams + excluded.streams`;

type ClockSourceRow = { artistId: string; timezone: string | null; utcHour: number; streams: number };

/**
 * [artist, UTC day, local weekday, local hour, streams] rows. The listening clock is resolved per UTC
 * hour: in zones with a half-hour offset the streams of a UTC hour go to the local hour containing
 * its middle.
 */
function clockRows(source: readonly ClockSourceRow[]): (string | number)[][] {
  const clock = new Map<string, number>();
  for (const r of source) {
    const { weekday, hour } = localClock(r.utcHour * 3_600_000 + 1_800_000, r.timezone);
    const key = JSON.stringify([r.artistId, Math.floor(r.utcHour / 24), weekday, hour]);
    clock.set(key, (clock.get(key) ?? 0) + r.streams);
  }
  return [...clock].map(([key, streams]) => [...(JSON.parse(key) as [string, number, number, number]), streams]);
}

const ROLLUP_TABLES = ['track_daily', 'track_daily_breakdown', 'artist_user_daily', 'artist_daily', 'artist_clock_daily'] as const;
const TRACK_KEYED: ReadonlySet<string> = new Set(['track_daily', 'track_daily_breakdown']);

/**
 * Re-derives the rollup rows of one UTC day (of some artists, or of everyone) from the raw events and
 * impressions of that day, in one atomic batch: delete, then insert. Rows whose batch delta is still
 * pending are left out: applying that delta adds them. Running it twice gives the same rows. This is
 * also the reference the incremental path is tested against. With `artists` (one id or a list), only
 * their rows are re-derived, in one batch: the slices of a sliced refresh (refreshDirtyDays).
 *
 * @example await recomputeDay(db, 20_416) // 2025-11-24, every artist
 */
export async function recomputeDay(db: Db, day: number, artists?: string | readonly string[]): Promise<void> {
  const d1 = db.$client;
  const some = artists !== undefined;
  const list = some ? JSON.stringify(typeof artists === 'string' ? [artists] : artists) : null;
  const src: Source = { kind: 'day', someArtists: some };
  const args: unknown[] = [day, day * DAY_MS, (day + 1) * DAY_MS, ...(some ? [list] : [])];
  const { results } = await d1
    .prepare(CLOCK_SOURCE(src))
    .bind(...args)
    .all<ClockSourceRow>();
  // For some artists, rows keyed by track are deleted by the artists' current tracks as well: a track
  // moved here from another artist still has rows under its old artist id. Two deletes rather than
  // one with OR, so each walks an index instead of the whole day's rows.
  const scopesOf = (t: (typeof ROLLUP_TABLES)[number]) =>
    !some
      ? ['day = ?1']
      : [
          `artist_id IN ${ARTISTS_OF('?2')} AND day = ?1`,
          ...(TRACK_KEYED.has(t) ? [`track_id IN (SELECT id FROM tracks WHERE artist_id IN ${ARTISTS_OF('?2')}) AND day = ?1`] : []),
        ];
  await d1.batch([
    ...ROLLUP_TABLES.flatMap((t) =>
      scopesOf(t).map((scope) => d1.prepare(`DELETE FROM ${t} WHERE ${scope}`).bind(day, ...(some ? [list] : []))),
    ),
    d1.prepare(TRACK_DAILY(src)).bind(...args),
    d1.prepare(BREAKDOWN(src)).bind(...args),
    d1.prepare(ARTIST_USER(src)).bind(...args),
    d1.prepare(ARTIST_DAILY(some)).bind(day, ...(some ? [list] : [])),
    d1.prepare(CLOCK_UPSERT()).bind(JSON.stringify(clockRows(results))),
  ]);
}

/** Pending batches one transaction applies; a batch is one ingest request (≤ 500 events) or one served list. */
export const BATCHES_PER_DELTA = 64;

export interface DeltaResult {
  /** Batches whose delta was added. */
  applied: number;
  /** Batches whose delta failed on its own; they keep their pending row, with the error. */
  failed: { batchId: string; error: string }[];
}

/**
 * Adds the rollup delta of pending batches, oldest first, in transactions of up to
 * BATCHES_PER_DELTA batches. Each transaction deletes the pending rows of the batches it adds, and
 * every statement reads only batches that are still pending, so a batch is added exactly once
 * however often this runs. Callers serialise it (the RollupApplier Durable Object is the one
 * writer): the listening clock is resolved in JS between a read and the transaction.
 *
 * A transaction that fails is retried batch by batch, so one bad batch cannot hold up the rest; a
 * batch that fails alone keeps its pending row with the error and is skipped until `retryFailed`.
 *
 * @example await applyPendingDeltas(db, { maxBatches: 1000 }) // { applied: 12, failed: [] }
 */
export async function applyPendingDeltas(db: Db, opts: { maxBatches: number; retryFailed?: boolean }): Promise<DeltaResult> {
  const d1 = db.$client;
  const { results: pending } = await d1
    .prepare(
      `SELECT batch_id AS batchId, kind FROM rollup_pending ${opts.retryFailed ? '' : 'WHERE error IS NULL'}
       ORDER BY received_at, batch_id LIMIT ?1`,
    )
    .bind(opts.maxBatches)
    .all<PendingBatch>();
  const result: DeltaResult = { applied: 0, failed: [] };
  const attempt = async (batches: PendingBatch[]): Promise<unknown> => {
    try {
      await applyDelta(db, batches);
      result.applied += batches.length;
      return null;
    } catch (err) {
      return err ?? new Error('unknown failure');
    }
  };
  for (let i = 0; i < pending.length; i += BATCHES_PER_DELTA) {
    const chunk = pending.slice(i, i + BATCHES_PER_DELTA);
    if ((await attempt(chunk)) === null) continue;
    for (const one of chunk) {
      const err = await attempt([one]);
      if (err === null) continue;
      const error = err instanceof Error ? err.message : String(err);
      result.failed.push({ batchId: one.batchId, error });
      await d1.prepare('UPDATE rollup_pending SET error = ?2 WHERE batch_id = ?1').bind(one.batchId, error).run();
    }
  }
  return result;
}

interface PendingBatch {
  batchId: string;
  kind: 'events' | 'impressions';
}

async function applyDelta(db: Db, batches: readonly PendingBatch[]): Promise<void> {
  const d1 = db.$client;
  const ids = (kind: string) => JSON.stringify(batches.filter((b) => b.kind === kind).map((b) => b.batchId));
  const args = [ids('events'), ids('impressions')];
  const all = JSON.stringify(batches.map((b) => b.batchId));
  const src: Source = { kind: 'batches' };
  const { results } = await d1
    .prepare(CLOCK_SOURCE(src))
    .bind(...args)
    .all<ClockSourceRow>();
  await d1.batch([
    d1.prepare(ARTIST_DAILY_DELTA).bind(...args),
    d1.prepare(ARTIST_USER(src)).bind(...args),
    d1.prepare(TRACK_DAILY(src)).bind(...args),
    d1.prepare(BREAKDOWN(src)).bind(...args),
    // The clock rows were read outside the transaction: add them only if every batch is still pending.
    d1
      .prepare(CLOCK_UPSERT('(SELECT count(*) FROM rollup_pending p JOIN json_each(?2) b ON p.batch_id = b.value) = json_array_length(?2)'))
      .bind(JSON.stringify(clockRows(results)), all),
    d1.prepare('DELETE FROM rollup_pending WHERE batch_id IN (SELECT value FROM json_each(?1))').bind(all),
  ]);
}

/**
 * Marks days for a recompute from the raw rows: the upsert tail of an
 * `INSERT INTO analytics_dirty_days (day, version, marked_at) SELECT …` whose rows are (day, 1, now).
 * A day marked again keeps its first `marked_at`, the oldest change its rollups do not show yet.
 */
export const MARK_DAYS_UPSERT = 'ON CONFLICT (day) DO UPDATE SET version = analytics_dirty_days.version + 1';

/** Marks every day of an inclusive range stale, e.g. after importing old impressions. */
export async function markDaysStale(db: Db, from: number, to: number, now: number): Promise<void> {
  await db.$client
    .prepare(
      `WITH RECURSIVE d(day) AS (SELECT ?1 UNION ALL SELECT day + 1 FROM d WHERE day < ?2)
       INSERT INTO analytics_dirty_days (day, version, marked_at) SELECT day, 1, ?3 FROM d WHERE true
       ${MARK_DAYS_UPSERT}`,
    )
    .bind(from, to, now)
    .run();
}

export interface RefreshResult {
  refreshed: number;
  remaining: number;
  /** Days whose recompute threw: their marks stay, so the next run retries them. */
  failed: { day: number; error: string }[];
}

/**
 * Recomputes up to `maxDays` marked days for everyone (most recent first), clearing each mark only
 * if it was not marked again meanwhile. Days already archived to R2 are never recomputed. One day that fails is reported and retried by the next run;
 * it never stops the others. Like the deltas, it must run serialised with them (RollupApplier).
 *
 * @example await refreshDirtyDays(db, { maxDays: 31 }) // { refreshed: 3, remaining: 0, failed: [] }
 */
/** Artists per slice of a day's refresh: one short transaction each, with a yield between slices. */
export const REFRESH_SLICE_ARTISTS = 4;
/** A day with fewer events is refreshed in one batch (tens of milliseconds). */
const LIGHT_DAY_EVENTS = 20_000;

/**
 * `recomputeDay` for every artist, REFRESH_SLICE_ARTISTS at a time, yielding between slices
 * (db/slices.ts), for a heavy day: 400 000 plays in one transaction held every other request for seconds.
 * Each artist's rows are exact when its slice commits; the day's dirty mark is cleared by the caller
 * only after the last slice.
 */
async function recomputeDayInSlices(db: Db, day: number): Promise<void> {
  const page = db.$client.prepare('SELECT id FROM artists WHERE id > ?1 ORDER BY id LIMIT ?2');
  let after = '';
  for (;;) {
    const { results } = await page.bind(after, REFRESH_SLICE_ARTISTS).all<{ id: string }>();
    const last = results.at(-1);
    if (!last) return;
    await recomputeDay(
      db,
      day,
      results.map((r) => r.id),
    );
    after = last.id;
    await yieldToOthers();
  }
}

export async function refreshDirtyDays(db: Db, opts: { maxDays: number }): Promise<RefreshResult> {
  const d1 = db.$client;
  // An archived day's raw events are in R2, not D1: its rollups are final (deltas of late backfills
  // still add to them), and a recompute from D1 would wipe them. Its marks are dropped.
  await d1.prepare('DELETE FROM analytics_dirty_days WHERE day IN (SELECT day FROM event_archive)').run();
  const { results } = await d1
    .prepare('SELECT day, version FROM analytics_dirty_days ORDER BY day DESC LIMIT ?1')
    .bind(opts.maxDays)
    .all<{ day: number; version: number }>();
  // A light day (most of them) is one batch: slicing it would only add round trips. One statement
  // finds the heavy ones, each day's count stopping at LIGHT_DAY_EVENTS.
  const { results: heavy } = await d1
    .prepare(
      `SELECT value AS day FROM json_each(?1) WHERE (SELECT count(*) FROM (SELECT 1 FROM events
         WHERE ts >= value * ${DAY_MS} AND ts < (value + 1) * ${DAY_MS} LIMIT ?2)) >= ?2`,
    )
    .bind(JSON.stringify(results.map((r) => r.day)), LIGHT_DAY_EVENTS)
    .all<{ day: number }>();
  const heavyDays = new Set(heavy.map((h) => h.day));
  const failed: RefreshResult['failed'] = [];
  for (const { day, version } of results) {
    try {
      await (heavyDays.has(day) ? recomputeDayInSlices(db, day) : recomputeDay(db, day));
    } catch (err) {
      failed.push({ day, error: err instanceof Error ? err.message : String(err) });
      continue;
    }
    await d1.prepare('DELETE FROM analytics_dirty_days WHERE day = ?1 AND version = ?2').bind(day, version).run();
  }
  const left = await d1.prepare('SELECT count(*) AS n FROM analytics_dirty_days').first<{ n: number }>();
  return { refreshed: results.length - failed.length, remaining: left?.n ?? 0, failed };
}

/**
 * How fresh the rollups of `from…to` are: every event acknowledged before `asOf` is counted. That is
 * `now`, unless a delta is still pending (then just before the oldest pending batch was received) or
 * a day of the range awaits a recompute (then just before it was first marked). Two index lookups.
 *
 * @example await rollupsAsOf(db, { from: 20_400, to: 20_424 }, Date.now()) // 1795548815000
 */
export async function rollupsAsOf(db: Db, range: { from: number; to: number }, now: number): Promise<number> {
  const row = await db.$client
    .prepare(
      `SELECT (SELECT min(received_at) FROM rollup_pending) AS pending,
              (SELECT min(marked_at) FROM analytics_dirty_days WHERE day BETWEEN ?1 AND ?2) AS marked`,
    )
    .bind(range.from, range.to)
    .first<{ pending: number | null; marked: number | null }>();
  const oldest = Math.min(row?.pending ?? now + 1, row?.marked ?? now + 1);
  return Math.min(now, oldest - 1);
}

const subtracting = (table: string, cols: readonly string[]) => cols.map((c) => `${c} = ${table}.${c} - c.${c}`).join(', ');

const TRACK_SUBTRACT = (
  src: Source,
) => `WITH c(track_id, day, artist_id, plays_started, ${TRACK_COUNTERS.join(', ')}) AS (${TRACK_DAILY_ROWS(src)})
UPDATE track_daily SET plays_started = max(track_daily.play_starts - c.play_starts, track_daily.plays - c.plays),
  ${subtracting('track_daily', TRACK_COUNTERS)}
FROM c WHERE track_daily.track_id = c.track_id AND track_daily.day = c.day`;

const BREAKDOWN_SUBTRACT = (
  src: Source,
) => `WITH c(track_id, day, dim, key, artist_id, ${BREAKDOWN_COUNTERS.join(', ')}) AS (${BREAKDOWN_ROWS(src)})
UPDATE track_daily_breakdown SET ${subtracting('track_daily_breakdown', BREAKDOWN_COUNTERS)}
FROM c WHERE track_daily_breakdown.track_id = c.track_id AND track_daily_breakdown.day = c.day
  AND track_daily_breakdown.dim = c.dim AND track_daily_breakdown.key = c.key`;

const CLOCK_SUBTRACT = `UPDATE artist_clock_daily SET streams = artist_clock_daily.streams - c.streams
FROM (SELECT value ->> '$[0]' AS artist_id, value ->> '$[1]' AS day, value ->> '$[2]' AS weekday, value ->> '$[3]' AS hour,
  value ->> '$[4]' AS streams FROM json_each(?1)) c
WHERE artist_clock_daily.artist_id = c.artist_id AND artist_clock_daily.day = c.day
  AND artist_clock_daily.weekday = c.weekday AND artist_clock_daily.hour = c.hour`;

const LISTENER_ROWS_OF = (table: string) =>
  `SELECT 1 FROM artist_user_daily a WHERE a.artist_id = ${table}.artist_id AND a.day = ${table}.day AND a.user_id = ?1`;

/**
 * The statements that take one listener out of every rollup, as if they had never listened, to run in
 * one D1 batch before their raw rows are deleted (worker/privacy/erase.ts appends the deletes).
 * Counters are additive, so the listener's share is derived from their own rows with the same SQL
 * that added it (`listener`: their rows in D1 that the rollups hold; `archived`: their rows from the
 * Parquet parts, `archivedChunks` of JSON) and subtracted. Distinct listeners and reach drop by one
 * where the listener's `artist_user_daily` row counted them. A rollup row left with every counter at
 * 0 is deleted: a world without the listener would not have it. Rows whose batch delta is still
 * pending are not in the rollups and are not subtracted; deleting them is enough.
 *
 * @example d1.batch([...(await listenerShareRemoval(db, 'u-1', [])), ...deletes])
 */
export async function listenerShareRemoval(db: Db, userId: string, archivedChunks: readonly string[]): Promise<D1PreparedStatement[]> {
  const d1 = db.$client;
  const sources: { src: Source; arg: string }[] = [
    { src: { kind: 'listener' }, arg: userId },
    ...archivedChunks.map((chunk) => ({ src: { kind: 'archived' } as const, arg: chunk })),
  ];
  const clockSource: ClockSourceRow[] = [];
  for (const { src, arg } of sources) {
    const { results } = await d1.prepare(CLOCK_SOURCE(src)).bind(arg).all<ClockSourceRow>();
    clockSource.push(...results);
  }
  const clock = clockRows(clockSource);
  const { results: hot } = await d1
    .prepare('SELECT track_id AS id FROM events WHERE user_id = ?1 UNION SELECT track_id FROM rec_items WHERE user_id = ?1')
    .bind(userId)
    .all<{ id: string }>();
  const tracks = new Set(hot.map((t) => t.id));
  for (const chunk of archivedChunks) for (const r of JSON.parse(chunk) as { track_id: string }[]) tracks.add(r.track_id);
  const touched = JSON.stringify([...tracks]);
  const allZero = (cols: readonly string[]) => cols.map((c) => `${c} = 0`).join(' AND ');
  return [
    ...sources.flatMap(({ src, arg }) => [d1.prepare(TRACK_SUBTRACT(src)).bind(arg), d1.prepare(BREAKDOWN_SUBTRACT(src)).bind(arg)]),
    d1.prepare(CLOCK_SUBTRACT).bind(JSON.stringify(clock)),
    d1
      .prepare(
        `UPDATE artist_daily SET listeners = artist_daily.listeners - (a.streams > 0), reach = artist_daily.reach - (a.impressions > 0)
         FROM artist_user_daily a WHERE a.user_id = ?1 AND a.artist_id = artist_daily.artist_id AND a.day = artist_daily.day`,
      )
      .bind(userId),
    d1
      .prepare(
        `DELETE FROM artist_daily WHERE EXISTS (${LISTENER_ROWS_OF('artist_daily')})
         AND NOT EXISTS (SELECT 1 FROM artist_user_daily a WHERE a.artist_id = artist_daily.artist_id AND a.day = artist_daily.day AND a.user_id <> ?1)`,
      )
      .bind(userId),
    d1.prepare('DELETE FROM artist_user_daily WHERE user_id = ?1').bind(userId),
    d1
      .prepare(
        `DELETE FROM track_daily WHERE track_id IN (SELECT value FROM json_each(?1)) AND plays_started = 0 AND ${allZero(TRACK_COUNTERS)}`,
      )
      .bind(touched),
    d1
      .prepare(`DELETE FROM track_daily_breakdown WHERE track_id IN (SELECT value FROM json_each(?1)) AND ${allZero(BREAKDOWN_COUNTERS)}`)
      .bind(touched),
    d1
      .prepare("DELETE FROM artist_clock_daily WHERE streams = 0 AND artist_id IN (SELECT value ->> '$[0]' FROM json_each(?1))")
      .bind(JSON.stringify(clock)),
  ];
}
