/**
 * Cold tier of the raw listening events.
 *
 * Days older than the hot window (`EVENTS_HOT_DAYS`) move from `events` to the ARCHIVE R2 bucket as
 * Parquet, one or more parts per UTC day (worker/archive/events-archive.ts). This manifest is the
 * commit point, like a Delta or Iceberg log: a part exists for readers only once its row is here, and
 * that row is written in the same D1 batch that deletes its events. An object in R2 without a row is
 * an orphan of a crashed run, rewritten under the same key by the next one.
 */
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const eventArchive = sqliteTable(
  'event_archive',
  {
    /** The R2 object key: `events/day=YYYY-MM-DD/part-<digest of the event ids>.parquet`. */
    key: text('key').primaryKey(),
    /** Epoch day, `floor(ts / 86 400 000)`, UTC. */
    day: integer('day').notNull(),
    rows: integer('rows').notNull(),
    bytes: integer('bytes').notNull(),
    /** Hex SHA-256 of the object's bytes. */
    sha256: text('sha256').notNull(),
    /** Order-independent digest of the part's event ids (hex XOR of their SHA-256), for verification. */
    eventIdHash: text('event_id_hash').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('event_archive_day_idx').on(t.day)],
);
