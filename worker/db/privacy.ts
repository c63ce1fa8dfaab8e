import type { Db } from './client.ts';

/**
 * A listener's rows, table by table, for erasure (GDPR Art. 17) and export (Art. 15, 20). Aggregates
 * that hold the listener only as a count (rollups) are corrected by `listenerShareRemoval` in
 * db/rollups.ts; the archive's Parquet parts are rewritten by worker/archive/events-archive.ts.
 */

/**
 * The settings row an erasure holds while it rewrites the archive; the archive commits no part while
 * it is held (worker/archive/events-archive.ts). Its value is the lease's end, ms.
 */
export const ERASURE_LEASE_KEY = 'erasure_lease';

/** Every table with rows keyed by the listener, in the order an erasure deletes them (children first). */
export const LISTENER_TABLES = [
  'events',
  'rec_items',
  'rec_lists',
  'generated_playlists',
  'campaign_members',
  'import_unmatched',
  'users',
] as const;
export type ListenerTable = (typeof LISTENER_TABLES)[number];

const keyOf = (table: ListenerTable) => (table === 'users' ? 'id' : 'user_id');

/**
 * The deletes of an erasure, for the same D1 batch as the rollup correction (which must run first:
 * it reads the rows these delete). Served lists leave `rollup_pending` with them, so no delta waits
 * on a list that is gone.
 */
export function listenerDeletes(db: Db, userId: string): { table: ListenerTable | 'rollup_pending'; statement: D1PreparedStatement }[] {
  const d1 = db.$client;
  return [
    {
      table: 'rollup_pending',
      statement: d1
        .prepare(`DELETE FROM rollup_pending WHERE kind = 'impressions' AND batch_id IN (SELECT rec_id FROM rec_lists WHERE user_id = ?1)`)
        .bind(userId),
    },
    ...LISTENER_TABLES.map((table) => ({
      table,
      statement: d1.prepare(`DELETE FROM ${table} WHERE ${keyOf(table)} = ?1`).bind(userId),
    })),
  ];
}

/** Takes the erasure lease until `until` (ms); false while another erasure holds it. */
export async function takeErasureLease(db: Db, now: number, until: number): Promise<boolean> {
  const result = await db.$client
    .prepare(
      `INSERT INTO settings (key, value, updated_at) VALUES (?1, ?2, ?3)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
       WHERE CAST(settings.value AS INTEGER) <= ?3`,
    )
    .bind(ERASURE_LEASE_KEY, String(until), now)
    .run();
  return result.meta.changes > 0;
}

export async function releaseErasureLease(db: Db): Promise<void> {
  await db.$client.prepare('DELETE FROM settings WHERE key = ?1').bind(ERASURE_LEASE_KEY).run();
}

/** Rows of one listener in one table, in pages of `limit` (by rowid), for a streamed export. */
export async function listenerRows(
  db: Db,
  table: ListenerTable,
  userId: string,
  after: number,
  limit: number,
): Promise<{ rowid: number; row: Record<string, unknown> }[]> {
  const { results } = await db.$client
    .prepare(`SELECT rowid AS _rowid, * FROM ${table} WHERE ${keyOf(table)} = ?1 AND rowid > ?2 ORDER BY rowid LIMIT ?3`)
    .bind(userId, after, limit)
    .all<Record<string, unknown> & { _rowid: number }>();
  return results.map(({ _rowid, ...row }) => ({ rowid: _rowid, row }));
}

/** The listener's per-artist, per-day activity as the rollups hold it (the taste segments read). */
export async function listenerActivity(db: Db, userId: string): Promise<Record<string, unknown>[]> {
  const { results } = await db.$client
    .prepare(
      'SELECT artist_id, day, plays, streams, completions, saves, unsaves, impressions FROM artist_user_daily WHERE user_id = ?1 ORDER BY day, artist_id',
    )
    .bind(userId)
    .all<Record<string, unknown>>();
  return results;
}

/** True when any table holds a row of the listener (a profile, an event, a served list or an unmatched import). */
export async function hasListenerData(db: Db, userId: string): Promise<boolean> {
  const row = await db.$client
    .prepare(
      `SELECT EXISTS (SELECT 1 FROM users WHERE id = ?1) OR EXISTS (SELECT 1 FROM events WHERE user_id = ?1)
         OR EXISTS (SELECT 1 FROM rec_lists WHERE user_id = ?1) OR EXISTS (SELECT 1 FROM import_unmatched WHERE user_id = ?1) AS found`,
    )
    .bind(userId)
    .first<{ found: number }>();
  return row?.found === 1;
}
