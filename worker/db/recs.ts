import { AUDIO_FEATURES } from '../../contract/audio-features.ts';
import { DAY_MS, PLAY_TYPES } from '../../contract/events.ts';
import type { Db } from './client.ts';
import { streamSql } from './event-rules.ts';

/** One event of a user's history, as the recommender needs it. */
export interface HistoryEvent {
  trackId: string;
  type: string;
  ts: number;
  msPlayed: number | null;
}

/**
 * The user's newest events since `since`, newest first: one index range on (user_id, ts), so the
 * cost is bounded by `limit` whatever the size of the events table.
 */
export async function userHistory(db: Db, userId: string, since: number, limit: number): Promise<HistoryEvent[]> {
  const { results } = await db.$client
    .prepare(
      `SELECT track_id AS trackId, type, ts, ms_played AS msPlayed FROM events
       WHERE user_id = ?1 AND ts >= ?2 ORDER BY ts DESC LIMIT ?3`,
    )
    .bind(userId, since, limit)
    .all<HistoryEvent>();
  return results;
}

/** Events read per request: the newest ones carry the taste; older ones have decayed anyway. */
const HISTORY_EVENTS = 500;
const HISTORY_DAYS = 365;

/** What every surface reads of a listener: their newest HISTORY_EVENTS events of the last year. */
export function listenerHistory(db: Db, userId: string, now: number): Promise<HistoryEvent[]> {
  return userHistory(db, userId, now - HISTORY_DAYS * DAY_MS, HISTORY_EVENTS);
}

/** Columns of one catalogue row in the order `catalogueRows` returns them (raw arrays keep 50 000 rows cheap). */
export const CATALOGUE_COLUMNS = [
  'id',
  'artist_id',
  'artist_name',
  'title',
  'duration_ms',
  'release_date',
  'genre',
  'tags',
  ...AUDIO_FEATURES,
] as const;
export type CatalogueColumn = (typeof CATALOGUE_COLUMNS)[number];

const catalogueSelect = () =>
  `SELECT ${CATALOGUE_COLUMNS.map((c) => (c === 'artist_name' ? 'a.name' : `t.${c}`)).join(', ')}, t.updated_at
   FROM tracks t JOIN artists a ON a.id = t.artist_id`;

/**
 * The whole catalogue as raw rows (CATALOGUE_COLUMNS, then updated_at); read once per isolate and
 * cached.
 */
export async function catalogueRows(db: Db): Promise<unknown[][]> {
  return db.$client.prepare(catalogueSelect()).raw();
}

/**
 * Catalogue rows (as catalogueRows) updated after `since`, by tracks_updated_idx: what a cached
 * view lacks, read on every recommendation request, so usually no row.
 */
export async function catalogueRowsSince(db: Db, since: number): Promise<unknown[][]> {
  return db.$client.prepare(`${catalogueSelect()} WHERE t.updated_at > ?1`).bind(since).raw();
}

/** Streams (plays of 30 s or more) and plays started per track since `since`. */
export async function trackPlayCounts(db: Db, since: number): Promise<Array<{ trackId: string; streams: number; starts: number }>> {
  const { results } = await db.$client
    .prepare(
      `SELECT track_id AS trackId,
              coalesce(sum(${streamSql('')}), 0) AS streams,
              sum(type = 'play_start') AS starts
       FROM events WHERE ts >= ?1 AND type IN ('play_start', ${PLAY_TYPES.map((t) => `'${t}'`).join(', ')}) GROUP BY track_id`,
    )
    .bind(since)
    .all<{ trackId: string; streams: number; starts: number }>();
  return results;
}

/** Impressions per track since `since` (how often the recommender showed it). */
export async function trackImpressions(db: Db, since: number): Promise<Array<{ trackId: string; impressions: number }>> {
  const { results } = await db.$client
    .prepare('SELECT track_id AS trackId, count(*) AS impressions FROM rec_items WHERE served_at >= ?1 GROUP BY track_id')
    .bind(since)
    .all<{ trackId: string; impressions: number }>();
  return results;
}

export interface ServedList {
  recId: string;
  userId: string;
  modelVersion: string | null;
  /** The experiment the list was served under and the listener's arm (`interleaved` for team draft). */
  experimentId?: string | null;
  arm?: string | null;
  surface: string | null;
  context: string | null;
  servedAt: number;
  items: Array<{
    trackId: string;
    score: number | null;
    source: string;
    reason: string | null;
    campaignId: string | null;
    playlistId?: string | null;
    /** Interleaved lists: the arm that placed the track. */
    arm?: string | null;
  }>;
}

/**
 * The two statements that store a served list and its impressions (rec_lists, rec_items); with
 * `ignoreExisting` a list whose rec_id is stored already is left as it is.
 */
function servedListStatements(d1: D1Database, list: ServedList, ignoreExisting: boolean): [D1PreparedStatement, D1PreparedStatement] {
  const insert = ignoreExisting ? 'INSERT OR IGNORE' : 'INSERT';
  const items = list.items.map((it, position) => ({
    position,
    track_id: it.trackId,
    score: it.score,
    source: it.source,
    reason: it.reason,
    campaign_id: it.campaignId,
    playlist_id: it.playlistId ?? null,
    arm: it.arm ?? null,
  }));
  return [
    d1
      .prepare(
        `${insert} INTO rec_lists (rec_id, user_id, model_version, surface, context, served_at, experiment_id, arm) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)`,
      )
      .bind(
        list.recId,
        list.userId,
        list.modelVersion,
        list.surface,
        list.context,
        list.servedAt,
        list.experimentId ?? null,
        list.arm ?? null,
      ),
    d1
      .prepare(
        `${insert} INTO rec_items (rec_id, position, track_id, user_id, score, source, reason, campaign_id, playlist_id, arm, served_at)
         SELECT ?2, value ->> '$.position', value ->> '$.track_id', ?3, value ->> '$.score', value ->> '$.source',
                value ->> '$.reason', value ->> '$.campaign_id', value ->> '$.playlist_id', value ->> '$.arm', ?4
         FROM json_each(?1)`,
      )
      .bind(JSON.stringify(items), list.recId, list.userId, list.servedAt),
  ];
}

/**
 * Logs one served list and its impressions atomically (three statements whatever the list length),
 * with a `rollup_pending` row under its rec_id so the rollup applier adds its impressions once.
 */
export async function insertServedList(db: Db, list: ServedList): Promise<void> {
  const d1 = db.$client;
  await d1.batch([
    ...servedListStatements(d1, list, false),
    d1
      .prepare(
        `INSERT INTO rollup_pending (batch_id, kind, received_at)
         SELECT ?1, 'impressions', ?2 WHERE EXISTS (SELECT 1 FROM rec_items WHERE rec_id = ?1)`,
      )
      .bind(list.recId, list.servedAt),
  ]);
}

/**
 * Stores lists served before Backbeat logged them (backfill), idempotently by rec_id: a list stored
 * before is left as it is. No rollup delta is queued: the caller marks the lists' days for a
 * recompute, which counts every stored impression once however often a list is resent.
 * Returns how many lists were new.
 */
export async function importServedLists(db: Db, lists: readonly ServedList[]): Promise<number> {
  const d1 = db.$client;
  const results = await d1.batch(lists.flatMap((list) => servedListStatements(d1, list, true)));
  return results.filter((r, i) => i % 2 === 0 && r.meta.changes === 1).length;
}
