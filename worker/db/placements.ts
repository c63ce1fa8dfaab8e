import type { Db } from './client.ts';
import { streamSql } from './event-rules.ts';

/** Surfaces whose lists are playlists (generated ones); home lists and up next are not. */
export const PLAYLIST_SURFACES = ['daily_mix', 'discover_weekly', 'release_radar', 'radio'] as const;

export interface PlacementRow {
  type: 'editorial' | 'generated' | 'user';
  /** `served`: placed in lists served to listeners; `played`: played from the playlist (context.playlist_id). */
  via: 'served' | 'played';
  /** Editorial playlist id, the generated playlist's surface, or the app's playlist id. */
  playlistId: string;
  trackId: string;
  firstSeen: number;
  lastSeen: number;
  /** 0-based best and mean position where served (null where the playlist is not a served list). */
  bestPosition: number | null;
  meanPosition: number | null;
  impressions: number;
  listeners: number;
  streams: number;
  /** Net playlist adds (user playlists). */
  adds: number;
}

const STREAM = streamSql('e');

/**
 * Every playlist that carried one of the artist's tracks in [from, to):
 * - served playlists: generated ones (rec_lists on a playlist surface) and editorial slots (rec_items
 *   with a playlist id): impressions, listeners served, positions, and the streams played at that
 *   list and position;
 * - playlists played from (context.playlist_id: editorial playlists and listeners' own ones, the
 *   latter also through playlist_add / playlist_remove): streams, listeners who streamed, net adds.
 * A raw read over the artist's tracks (indexed by track and time), not a rollup: fine at the scale of
 * the demo and of a mid-sized artist's month.
 */
export async function artistPlacements(db: Db, artistId: string, from: number, to: number): Promise<PlacementRow[]> {
  const d1 = db.$client;
  const [served, played] = await d1.batch<Record<string, number | string | null>>([
    d1
      .prepare(
        `WITH shown AS (
           SELECT ri.rec_id, ri.position, ri.track_id, ri.user_id, ri.served_at, ri.playlist_id, l.surface
           FROM rec_items ri JOIN rec_lists l ON l.rec_id = ri.rec_id
           WHERE ri.track_id IN (SELECT id FROM tracks WHERE artist_id = ?1) AND ri.served_at >= ?2 AND ri.served_at < ?3
             AND (ri.playlist_id IS NOT NULL OR l.surface IN (SELECT value FROM json_each(?4)))),
         streamed AS (
           SELECT s.rec_id, s.position, count(*) AS n FROM shown s
           JOIN events e ON e.rec_id = s.rec_id AND e.position = s.position AND e.track_id = s.track_id
           WHERE ${STREAM}
           GROUP BY s.rec_id, s.position)
         SELECT CASE WHEN s.playlist_id IS NOT NULL THEN 'editorial' ELSE 'generated' END AS type, 'served' AS via,
                coalesce(s.playlist_id, s.surface) AS playlistId, s.track_id AS trackId,
                min(s.served_at) AS firstSeen, max(s.served_at) AS lastSeen, min(s.position) AS bestPosition,
                avg(s.position) AS meanPosition, count(*) AS impressions, count(DISTINCT s.user_id) AS listeners,
                coalesce(sum(st.n), 0) AS streams, 0 AS adds
         FROM shown s LEFT JOIN streamed st ON st.rec_id = s.rec_id AND st.position = s.position
         GROUP BY 1, 3, 4`,
      )
      .bind(artistId, from, to, JSON.stringify(PLAYLIST_SURFACES)),
    d1
      .prepare(
        `SELECT CASE WHEN e.playlist_id IN (SELECT id FROM editorial_playlists) THEN 'editorial' ELSE 'user' END AS type, 'played' AS via,
                e.playlist_id AS playlistId, e.track_id AS trackId, min(e.ts) AS firstSeen, max(e.ts) AS lastSeen,
                NULL AS bestPosition, NULL AS meanPosition, 0 AS impressions,
                count(DISTINCT CASE WHEN ${STREAM} THEN e.user_id END) AS listeners,
                coalesce(sum(${STREAM}), 0) AS streams,
                sum(e.type = 'playlist_add') - sum(e.type = 'playlist_remove') AS adds
         FROM events e
         WHERE e.track_id IN (SELECT id FROM tracks WHERE artist_id = ?1) AND e.ts >= ?2 AND e.ts < ?3 AND e.playlist_id IS NOT NULL
         GROUP BY 1, 3, 4`,
      )
      .bind(artistId, from, to),
  ]);
  return [...(served?.results ?? []), ...(played?.results ?? [])].map((r) => ({
    type: r.type as PlacementRow['type'],
    via: r.via as PlacementRow['via'],
    playlistId: String(r.playlistId),
    trackId: String(r.trackId),
    firstSeen: Number(r.firstSeen),
    lastSeen: Number(r.lastSeen),
    bestPosition: r.bestPosition === null ? null : Number(r.bestPosition),
    meanPosition: r.meanPosition === null ? null : Number(r.meanPosition),
    impressions: Number(r.impressions),
    listeners: Number(r.listeners),
    streams: Number(r.streams),
    adds: Number(r.adds),
  }));
}
