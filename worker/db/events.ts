import type { EventInput } from '../schemas/event.ts';
import type { Db } from './client.ts';

/**
 * Stores a batch of validated events and creates users seen for the first time, atomically, with a
 * `rollup_pending` row for the batch when any event was new: the rollup applier adds the batch's
 * delta once (worker/db/rollups.ts). Committed together, a crash can neither lose the delta nor
 * count it twice.
 *
 * The batch travels as one JSON parameter expanded by json_each: one statement per table however
 * large the batch, well inside D1's 100-bound-parameter limit, and the primary key on event_id makes
 * every retry a no-op. Returns how many events were new.
 */
export async function insertEvents(
  db: Db,
  batch: readonly EventInput[],
  now: number,
  batchId = `b_${crypto.randomUUID()}`,
): Promise<{ stored: number }> {
  if (batch.length === 0) return { stored: 0 };
  const rows = batch.map((e) => ({
    event_id: e.event_id,
    user_id: e.user_id,
    track_id: e.track_id,
    type: e.type,
    ts: e.ts,
    ms_played: e.ms_played ?? null,
    source: e.context?.source ?? null,
    surface: e.context?.surface ?? null,
    rec_id: e.context?.rec_id ?? null,
    position: e.context?.position ?? null,
    playlist_id: e.context?.playlist_id ?? null,
    device: e.context?.device ?? null,
  }));
  const d1 = db.$client;
  const [, inserted] = await d1.batch([
    d1
      .prepare(
        // First seen: the listener's earliest event, however late it arrives (a backfill, a profile sent first).
        `INSERT INTO users (id, first_seen_at)
         SELECT value ->> '$.user_id', min(min(value ->> '$.ts'), ?2) FROM json_each(?1) WHERE true GROUP BY value ->> '$.user_id'
         ON CONFLICT (id) DO UPDATE SET first_seen_at = min(users.first_seen_at, excluded.first_seen_at)`,
      )
      .bind(JSON.stringify(rows), now),
    d1
      .prepare(
        `INSERT INTO events (event_id, user_id, track_id, type, ts, ms_played, source, surface, rec_id, position, playlist_id, device,
                             received_at, batch_id)
         SELECT value ->> '$.event_id', value ->> '$.user_id', value ->> '$.track_id', value ->> '$.type', value ->> '$.ts',
                value ->> '$.ms_played', value ->> '$.source', value ->> '$.surface', value ->> '$.rec_id', value ->> '$.position',
                value ->> '$.playlist_id', value ->> '$.device', ?2, ?3
         FROM json_each(?1) WHERE true
         ON CONFLICT (event_id) DO NOTHING
         RETURNING 1`,
      )
      .bind(JSON.stringify(rows), now, batchId),
    d1
      .prepare(
        `INSERT INTO rollup_pending (batch_id, kind, received_at)
         SELECT ?1, 'events', ?2 WHERE EXISTS (SELECT 1 FROM events WHERE batch_id = ?1)`,
      )
      .bind(batchId, now),
  ]);
  // RETURNING yields a row per event actually inserted (a resent event_id inserts nothing).
  return { stored: inserted?.results.length ?? 0 };
}
