/**
 * Read-only access to the SQLite file behind local D1 (wrangler dev / miniflare), for benchmarks
 * and tools that must verify what the Worker stored. Uses Node's built-in node:sqlite (no native addon).
 */
import { DatabaseSync } from 'node:sqlite';
import { findLocalD1 } from '../../models/data/read-local-d1.ts';

export function openLocalD1(persistTo: string): DatabaseSync {
  return new DatabaseSync(findLocalD1(persistTo), { readOnly: true });
}

/**
 * Prepared inserts for generators that write a catalogue straight into a local D1 file (the Worker
 * stopped): `artist.run(id, name, now, now)`, and `track.run(id, artistId, title, durationMs, genre,
 * energy, danceability, valence, acousticness, tempo, now, now)`.
 */
export function catalogueInserts(db: DatabaseSync) {
  return {
    artist: db.prepare('INSERT INTO artists (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)'),
    track: db.prepare(
      `INSERT INTO tracks (id, artist_id, title, duration_ms, genre, tags, energy, danceability, valence, acousticness, tempo, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, '[]', ?, ?, ?, ?, ?, ?, ?)`,
    ),
  };
}
