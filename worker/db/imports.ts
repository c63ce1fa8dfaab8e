/** Listening-history imports: the catalogue the matcher reads, and the listens it could not place. */
import type { CatalogueRow, Platform } from '../imports/index.ts';
import type { Db } from './client.ts';

/** Every catalogue track as the matcher reads it (title and artist name). */
export async function catalogueForMatching(db: Db): Promise<CatalogueRow[]> {
  const { results } = await db.$client
    .prepare('SELECT t.id AS track_id, t.title AS title, a.name AS artist_name FROM tracks t JOIN artists a ON a.id = t.artist_id')
    .all<CatalogueRow>();
  return results;
}

export interface UnmatchedListen {
  eventId: string;
  userId: string;
  platform: Platform;
  trackName: string;
  artistName: string;
  isrc: string | null;
  platformTrackId: string | null;
  ts: number;
  msPlayed: number | null;
}

/** Keeps unmatched listens, idempotently by event id; returns how many were new. */
export async function insertUnmatched(db: Db, rows: readonly UnmatchedListen[], now: number): Promise<number> {
  if (rows.length === 0) return 0;
  const res = await db.$client
    .prepare(
      `INSERT OR IGNORE INTO import_unmatched (event_id, user_id, platform, track_name, artist_name, isrc, platform_track_id, ts, ms_played, imported_at)
       SELECT value ->> '$.eventId', value ->> '$.userId', value ->> '$.platform', value ->> '$.trackName', value ->> '$.artistName',
              value ->> '$.isrc', value ->> '$.platformTrackId', value ->> '$.ts', value ->> '$.msPlayed', ?2
       FROM json_each(?1)`,
    )
    .bind(JSON.stringify(rows), now)
    .run();
  return res.meta.changes;
}

/** A listener's unmatched listens per source track, most listened first. */
export async function unmatchedTracks(
  db: Db,
  userId: string,
  limit: number,
): Promise<Array<{ platform: string; track_name: string; artist_name: string; listens: number; last_ts: number }>> {
  const { results } = await db.$client
    .prepare(
      `SELECT platform, track_name, artist_name, count(*) AS listens, max(ts) AS last_ts FROM import_unmatched
       WHERE user_id = ?1 GROUP BY platform, track_name, artist_name ORDER BY listens DESC, last_ts DESC LIMIT ?2`,
    )
    .bind(userId, limit)
    .all<{ platform: string; track_name: string; artist_name: string; listens: number; last_ts: number }>();
  return results;
}
