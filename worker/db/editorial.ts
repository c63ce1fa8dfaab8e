import type { Db } from './client.ts';
import { countedSkipSql, streamSql } from './event-rules.ts';

export type EditorialStatus = 'draft' | 'published' | 'archived';

export interface EditorialTarget {
  genres: string[];
  countries: string[];
  activities: string[];
}

export interface EditorialRow {
  id: string;
  title: string;
  description: string;
  status: EditorialStatus;
  tracks: Array<{ track_id: string; added_at: number }>;
  target: EditorialTarget;
  slot: { position: number; surfaces: string[] } | null;
  startsAt: number | null;
  endsAt: number | null;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
  publishedAt: number | null;
}

interface Raw {
  id: string;
  title: string;
  description: string;
  status: EditorialStatus;
  tracks: string;
  target: string;
  slot_position: number | null;
  slot_surfaces: string;
  starts_at: number | null;
  ends_at: number | null;
  created_by: string;
  created_at: number;
  updated_at: number;
  published_at: number | null;
}

const COLUMNS =
  'id, title, description, status, tracks, target, slot_position, slot_surfaces, starts_at, ends_at, created_by, created_at, updated_at, published_at';

function fromRaw(r: Raw): EditorialRow {
  const target = JSON.parse(r.target) as Partial<EditorialTarget>;
  return {
    id: r.id,
    title: r.title,
    description: r.description,
    status: r.status,
    tracks: JSON.parse(r.tracks) as EditorialRow['tracks'],
    target: { genres: target.genres ?? [], countries: target.countries ?? [], activities: target.activities ?? [] },
    slot: r.slot_position === null ? null : { position: r.slot_position, surfaces: JSON.parse(r.slot_surfaces) as string[] },
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    publishedAt: r.published_at,
  };
}

function toParams(p: EditorialRow): unknown[] {
  return [
    p.id,
    p.title,
    p.description,
    p.status,
    JSON.stringify(p.tracks),
    JSON.stringify(p.target),
    p.slot?.position ?? null,
    JSON.stringify(p.slot?.surfaces ?? ['home']),
    p.startsAt,
    p.endsAt,
    p.createdBy,
    p.createdAt,
    p.updatedAt,
    p.publishedAt,
  ];
}

export async function insertEditorial(db: Db, p: EditorialRow): Promise<void> {
  await db.$client
    .prepare(`INSERT INTO editorial_playlists (${COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)`)
    .bind(...toParams(p))
    .run();
}

/** Replaces every editable column of an existing playlist (the id and creation stay). */
export async function updateEditorial(db: Db, p: EditorialRow): Promise<void> {
  await db.$client
    .prepare(
      `UPDATE editorial_playlists SET title = ?2, description = ?3, status = ?4, tracks = ?5, target = ?6, slot_position = ?7,
         slot_surfaces = ?8, starts_at = ?9, ends_at = ?10, updated_at = ?13, published_at = ?14 WHERE id = ?1`,
    )
    .bind(...toParams(p))
    .run();
}

export async function findEditorial(db: Db, id: string): Promise<EditorialRow | null> {
  const r = await db.$client.prepare(`SELECT ${COLUMNS} FROM editorial_playlists WHERE id = ?1`).bind(id).first<Raw>();
  return r ? fromRaw(r) : null;
}

/** Playlists with one of `statuses`, newest change first. */
export async function listEditorial(db: Db, statuses: readonly EditorialStatus[]): Promise<EditorialRow[]> {
  const { results } = await db.$client
    .prepare(
      `SELECT ${COLUMNS} FROM editorial_playlists WHERE status IN (SELECT value FROM json_each(?1)) ORDER BY updated_at DESC, id LIMIT 500`,
    )
    .bind(JSON.stringify(statuses))
    .all<Raw>();
  return results.map(fromRaw);
}

/** Published playlists with a slot, whatever their schedule (the caller checks it against its clock). */
export async function slottedEditorial(db: Db): Promise<EditorialRow[]> {
  const { results } = await db.$client
    .prepare(
      `SELECT ${COLUMNS} FROM editorial_playlists WHERE status = 'published' AND slot_position IS NOT NULL
       ORDER BY slot_position, published_at, id`,
    )
    .all<Raw>();
  return results.map(fromRaw);
}

/** Titles and artists of `ids` (those still in the catalogue). */
export async function trackLabels(
  db: Db,
  ids: readonly string[],
): Promise<Map<string, { title: string; artistId: string; artistName: string }>> {
  if (ids.length === 0) return new Map();
  const { results } = await db.$client
    .prepare(
      `SELECT t.id AS id, t.title AS title, t.artist_id AS artistId, a.name AS artistName
       FROM tracks t JOIN artists a ON a.id = t.artist_id WHERE t.id IN (SELECT value FROM json_each(?1))`,
    )
    .bind(JSON.stringify(ids))
    .all<{ id: string; title: string; artistId: string; artistName: string }>();
  return new Map(results.map((r) => [r.id, r]));
}

export interface EditorialTrackStats {
  trackId: string;
  impressions: number;
  streams: number;
  saves: number;
  skips: number;
  starts: number;
}

/**
 * What a playlist brought in [from, to): its slot impressions (rec_items under its id), and the
 * events of its listeners that came from it: plays of a slot's track at the slot's list and position
 * (rec_id + position), or plays with context.playlist_id = the playlist.
 */
export async function editorialStats(
  db: Db,
  playlistId: string,
  from: number,
  to: number,
): Promise<{ listeners: number; tracks: EditorialTrackStats[] }> {
  const d1 = db.$client;
  const [listeners, perTrack] = await d1.batch<Record<string, number | string>>([
    d1
      .prepare(
        `SELECT count(*) AS n FROM (
           SELECT user_id FROM rec_items WHERE playlist_id = ?1 AND served_at >= ?2 AND served_at < ?3
           UNION SELECT user_id FROM events WHERE playlist_id = ?1 AND ts >= ?2 AND ts < ?3)`,
      )
      .bind(playlistId, from, to),
    d1
      .prepare(
        `WITH shown AS (
           SELECT rec_id, position, track_id FROM rec_items WHERE playlist_id = ?1 AND served_at >= ?2 AND served_at < ?3),
         came AS (
           SELECT e.event_id, e.track_id, e.type, e.ms_played FROM events e JOIN shown s ON e.rec_id = s.rec_id AND e.position = s.position
           WHERE e.ts >= ?2 AND e.ts < ?3
           UNION
           SELECT event_id, track_id, type, ms_played FROM events WHERE playlist_id = ?1 AND ts >= ?2 AND ts < ?3),
         imp AS (SELECT track_id, count(*) AS impressions FROM shown GROUP BY track_id),
         ev AS (
           SELECT track_id,
                  coalesce(sum(${streamSql('')}), 0) AS streams,
                  sum(type = 'save') AS saves,
                  coalesce(sum(${countedSkipSql('')}), 0) AS skips,
                  sum(type = 'play_start') AS starts
           FROM came GROUP BY track_id)
         SELECT k.track_id AS trackId, coalesce(imp.impressions, 0) AS impressions, coalesce(ev.streams, 0) AS streams,
                coalesce(ev.saves, 0) AS saves, coalesce(ev.skips, 0) AS skips, coalesce(ev.starts, 0) AS starts
         FROM (SELECT track_id FROM imp UNION SELECT track_id FROM ev) k
         LEFT JOIN imp ON imp.track_id = k.track_id LEFT JOIN ev ON ev.track_id = k.track_id
         ORDER BY streams DESC, impressions DESC, k.track_id`,
      )
      .bind(playlistId, from, to),
  ]);
  return {
    listeners: Number(listeners?.results[0]?.n ?? 0),
    tracks: (perTrack?.results ?? []).map((r) => ({
      trackId: String(r.trackId),
      impressions: Number(r.impressions),
      streams: Number(r.streams),
      saves: Number(r.saves),
      skips: Number(r.skips),
      starts: Number(r.starts),
    })),
  };
}
