/**
 * The most played artists in a local D1, read-only: the demo keys of an imported dataset are bound to
 * its biggest artists, which only the stored events can tell.
 */
import { openLocalD1 } from '../lib/local-d1.ts';
import type { NamedArtist } from './demo-keys.ts';

export function topArtistsByPlays(persistTo: string, n: number): NamedArtist[] {
  const db = openLocalD1(persistTo);
  try {
    return db
      .prepare(
        `SELECT a.id AS id, a.name AS name FROM events e JOIN tracks t ON t.id = e.track_id JOIN artists a ON a.id = t.artist_id
         WHERE e.type = 'play_start' GROUP BY a.id ORDER BY count(*) DESC LIMIT ?`,
      )
      .all(n) as unknown as NamedArtist[];
  } finally {
    db.close();
  }
}
