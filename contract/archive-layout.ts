/**
 * The events archive's layout in R2, once, for the Worker that writes it (worker/archive/) and the
 * trainer that reads it (models/data/read-local-archive.ts). Pure.
 *
 * - Keys: `events/day=YYYY-MM-DD/part-<32 hex digits>.parquet`, hive-style so DuckDB and Spark read
 *   `day` as a column; the digits are the first half of the XOR of the parts' event ids' SHA-256, so
 *   the same rows always land under the same key.
 * - Columns: every column of D1's `events` table, by SQLite affinity (INTEGER → INT64, TEXT → UTF-8
 *   string, REAL → DOUBLE), each optional. The `event_archive` table of D1 lists the committed parts
 *   (`key`, `day`, `rows`, `sha256`); an object it does not list is an orphan and is never read.
 */
import { DAY_MS } from './events.ts';

export const ARCHIVE_PREFIX = 'events/';

/** The columns the trainer reads from an archived event (the writer keeps every column). */
export const TRAINER_COLUMNS = ['event_id', 'user_id', 'track_id', 'type', 'ts', 'ms_played'] as const;

/** `YYYY-MM-DD` of an epoch day. */
export function dayString(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The prefix holding one day's parts. @example dayPrefix(20_000) // 'events/day=2024-10-04/' */
export function dayPrefix(day: number): string {
  return `${ARCHIVE_PREFIX}day=${dayString(day)}/`;
}

/** The key of the part holding the event ids whose digest is `idDigestHex`. */
export function partKey(day: number, idDigestHex: string): string {
  return `${dayPrefix(day)}part-${idDigestHex.slice(0, 32)}.parquet`;
}

/** The epoch day of a part's key, or null for a key outside the layout. */
export function dayOfKey(key: string): number | null {
  const m = /^events\/day=(\d{4}-\d{2}-\d{2})\//.exec(key);
  if (!m) return null;
  const ms = Date.parse(`${m[1]}T00:00:00Z`);
  return Number.isNaN(ms) ? null : ms / DAY_MS;
}
