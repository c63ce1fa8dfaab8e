import { AUDIO_FEATURES, type AudioFeature } from '../../contract/audio-features.ts';
import { DAY_MS } from '../../contract/events.ts';
import type { TrackInput } from '../schemas/track.ts';
import type { Db } from './client.ts';
import { MARK_DAYS_UPSERT } from './rollups.ts';

// What a delta cannot express: a track that is new (its events arrived first), moves to another
// artist, or changes duration (completions depend on it) changes the rollups of every day of its
// history. Those days are marked, before the change, for a recompute from the raw rows.
const MARK_CHANGED_TRACK_DAYS = `WITH changed AS (
    SELECT j.value ->> '$.id' AS id FROM json_each(?1) j LEFT JOIN tracks t ON t.id = j.value ->> '$.id'
    WHERE t.id IS NULL OR t.artist_id <> j.value ->> '$.artist_id' OR t.duration_ms <> j.value ->> '$.duration_ms')
  INSERT INTO analytics_dirty_days (day, version, marked_at)
  SELECT day, 1, ?2 FROM (
    SELECT e.ts / ${DAY_MS} AS day FROM changed JOIN events e ON e.track_id = changed.id
    UNION
    SELECT i.served_at / ${DAY_MS} FROM changed JOIN rec_items i ON i.track_id = changed.id) WHERE true
  ${MARK_DAYS_UPSERT}`;

/**
 * Upserts tracks and their artists in one atomic batch (json_each keeps it to three statements).
 * A re-sent track replaces its previous row; created_at is kept. A new track with earlier events, a
 * move to another artist or a new duration marks the days of its history stale, so rollups follow.
 */
export async function upsertTracks(db: Db, batch: readonly TrackInput[], now: number): Promise<void> {
  if (batch.length === 0) return;
  const artists = new Map<string, string>();
  for (const t of batch) artists.set(t.artist.id, t.artist.name);
  const trackRows = batch.map((t) => ({
    id: t.id,
    artist_id: t.artist.id,
    title: t.title,
    duration_ms: t.duration_ms,
    release_date: t.release_date ?? null,
    genre: t.genre ?? null,
    tags: JSON.stringify(t.tags ?? []),
    ...Object.fromEntries(AUDIO_FEATURES.map((f) => [f, t.audio_features?.[f] ?? null])),
  }));
  const cols = ['artist_id', 'title', 'duration_ms', 'release_date', 'genre', 'tags', ...AUDIO_FEATURES];
  const d1 = db.$client;
  const tracksJson = JSON.stringify(trackRows);
  await d1.batch([
    d1.prepare(MARK_CHANGED_TRACK_DAYS).bind(tracksJson, now),
    d1
      .prepare(
        `INSERT INTO artists (id, name, created_at, updated_at)
         SELECT value ->> '$[0]', value ->> '$[1]', ?2, ?2 FROM json_each(?1) WHERE true
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at`,
      )
      .bind(JSON.stringify([...artists]), now),
    d1
      .prepare(
        `INSERT INTO tracks (id, ${cols.join(', ')}, created_at, updated_at)
         SELECT value ->> '$.id', ${cols.map((c) => `value ->> '$.${c}'`).join(', ')}, ?2, ?2 FROM json_each(?1) WHERE true
         ON CONFLICT (id) DO UPDATE SET ${cols.map((c) => `${c} = excluded.${c}`).join(', ')}, updated_at = excluded.updated_at`,
      )
      .bind(tracksJson, now),
  ]);
}

export interface TrackRow {
  id: string;
  artistId: string;
  artistName: string;
  title: string;
  durationMs: number;
  releaseDate: string | null;
  genre: string | null;
  tags: string[];
  audioFeatures: Record<AudioFeature, number | null>;
  createdAt: number;
  updatedAt: number;
}

export async function findTrack(db: Db, id: string): Promise<TrackRow | null> {
  const row = await db.$client
    .prepare(`SELECT t.*, a.name AS artist_name FROM tracks t JOIN artists a ON a.id = t.artist_id WHERE t.id = ?1`)
    .bind(id)
    .first<Record<string, unknown>>();
  if (!row) return null;
  return {
    id: String(row.id),
    artistId: String(row.artist_id),
    artistName: String(row.artist_name),
    title: String(row.title),
    durationMs: Number(row.duration_ms),
    releaseDate: (row.release_date as string | null) ?? null,
    genre: (row.genre as string | null) ?? null,
    tags: JSON.parse(String(row.tags)) as string[],
    audioFeatures: Object.fromEntries(AUDIO_FEATURES.map((f) => [f, (row[f] as number | null) ?? null])) as Record<
      AudioFeature,
      number | null
    >,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export interface TrackHit {
  id: string;
  title: string;
  artistId: string;
  artistName: string;
  genre: string | null;
  releaseDate: string | null;
}

/**
 * Tracks whose title or artist name contains `q` (case-insensitive), titles that start with it first,
 * then newest releases. A scan of the catalogue: fine for editors' searches at tens of thousands.
 */
/** D1 refuses a LIKE pattern over 50 bytes ("pattern too complex"); `%…%` leaves 48 for the needle. */
const MAX_LIKE_NEEDLE_BYTES = 48;

/** The longest prefix of `q`, LIKE-escaped, whose UTF-8 bytes fit the needle budget (an escape or a character is never split). */
function likeNeedle(q: string): { needle: string; whole: boolean } {
  const encoder = new TextEncoder();
  let needle = '';
  let bytes = 0;
  for (const ch of q) {
    const piece = /[\\%_]/.test(ch) ? `\\${ch}` : ch;
    const size = encoder.encode(piece).length;
    if (bytes + size > MAX_LIKE_NEEDLE_BYTES) return { needle, whole: false };
    needle += piece;
    bytes += size;
  }
  return { needle, whole: true };
}

export async function searchTracks(db: Db, q: string, limit: number): Promise<TrackHit[]> {
  const lower = q.toLowerCase();
  const { needle: escaped, whole } = likeNeedle(lower);
  const { results } = await db.$client
    .prepare(
      `SELECT t.id AS id, t.title AS title, t.artist_id AS artistId, a.name AS artistName, t.genre AS genre, t.release_date AS releaseDate
       FROM tracks t JOIN artists a ON a.id = t.artist_id
       WHERE lower(t.title) LIKE ?1 ESCAPE '\\' OR lower(a.name) LIKE ?1 ESCAPE '\\'
       ORDER BY lower(t.title) LIKE ?2 ESCAPE '\\' DESC, t.release_date DESC, t.id LIMIT ?3`,
    )
    .bind(`%${escaped}%`, `${escaped}%`, whole ? limit : limit * 10)
    .all<TrackHit>();
  // A query longer than the pattern budget matched on its prefix: keep the rows holding all of it.
  if (whole) return results;
  return results.filter((r) => r.title.toLowerCase().includes(lower) || r.artistName.toLowerCase().includes(lower)).slice(0, limit);
}

export interface ArtistRow {
  id: string;
  name: string;
  trackCount: number;
  genres: string[];
  createdAt: number;
}

export async function findArtist(db: Db, id: string): Promise<ArtistRow | null> {
  const d1 = db.$client;
  const [artist, genres] = await d1.batch<Record<string, unknown>>([
    d1
      .prepare(
        `SELECT a.id, a.name, a.created_at, (SELECT count(*) FROM tracks t WHERE t.artist_id = a.id) AS track_count FROM artists a WHERE a.id = ?1`,
      )
      .bind(id),
    d1
      .prepare(`SELECT genre, count(*) AS n FROM tracks WHERE artist_id = ?1 AND genre IS NOT NULL GROUP BY genre ORDER BY n DESC`)
      .bind(id),
  ]);
  const row = artist?.results[0];
  if (!row) return null;
  return {
    id: String(row.id),
    name: String(row.name),
    trackCount: Number(row.track_count),
    genres: (genres?.results ?? []).map((g) => String(g.genre)),
    createdAt: Number(row.created_at),
  };
}

/** Every track of an artist by id, with its title. */
export async function artistTrackTitles(db: Db, artistId: string): Promise<Map<string, string>> {
  const { results } = await db.$client
    .prepare('SELECT id, title FROM tracks WHERE artist_id = ?1')
    .bind(artistId)
    .all<{ id: string; title: string }>();
  return new Map(results.map((t) => [t.id, t.title]));
}
