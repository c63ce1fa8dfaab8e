import type { Db } from './client.ts';

/** One track of a generated playlist, as served and stored. */
export interface PlaylistItem {
  track_id: string;
  title: string;
  artist_id: string;
  artist_name: string;
  score: number;
  reason: string;
  source: string;
}

export interface StoredPlaylist {
  kind: string;
  period: string;
  recId: string;
  title: string;
  description: string;
  colour: string;
  modelVersion: string | null;
  generatedAt: number;
  items: PlaylistItem[];
}

interface Row {
  kind: string;
  period: string;
  rec_id: string;
  title: string;
  description: string;
  colour: string;
  model_version: string | null;
  generated_at: number;
  items: string;
}

const fromRow = (r: Row): StoredPlaylist => ({
  kind: r.kind,
  period: r.period,
  recId: r.rec_id,
  title: r.title,
  description: r.description,
  colour: r.colour,
  modelVersion: r.model_version,
  generatedAt: r.generated_at,
  items: JSON.parse(r.items) as PlaylistItem[],
});

/** The listener's stored playlists of the given periods (a day key and a week key), any kind. */
export async function storedPlaylists(db: Db, userId: string, periods: readonly string[]): Promise<StoredPlaylist[]> {
  const { results } = await db.$client
    .prepare(
      `SELECT kind, period, rec_id, title, description, colour, model_version, generated_at, items
       FROM generated_playlists WHERE user_id = ?1 AND period IN (SELECT value FROM json_each(?2))`,
    )
    .bind(userId, JSON.stringify(periods))
    .all<Row>();
  return results.map(fromRow);
}

/**
 * Stores a group of playlists generated together (all Daily Mixes of a day, or one Discover Weekly)
 * unless the group is there already, and drops the listener's older generations of the same kinds,
 * so the table holds one generation per kind and listener. Returns the group as stored: this one
 * when it was inserted (`inserted` true), or the one a concurrent request stored first.
 */
export async function storePlaylistGroup(
  db: Db,
  userId: string,
  period: string,
  group: readonly StoredPlaylist[],
  kindLike: string,
): Promise<{ inserted: boolean; playlists: StoredPlaylist[] }> {
  const d1 = db.$client;
  const rows = group.map((p) => ({ ...p, items: JSON.stringify(p.items) }));
  const [, inserted] = await d1.batch<{ kind: string }>([
    d1.prepare('DELETE FROM generated_playlists WHERE user_id = ?1 AND kind LIKE ?2 AND period <> ?3').bind(userId, kindLike, period),
    // The group goes in whole or not at all: only when no playlist of these kinds exists for the period.
    d1
      .prepare(
        `INSERT INTO generated_playlists (user_id, kind, period, rec_id, title, description, colour, model_version, generated_at, items)
         SELECT ?1, value ->> '$.kind', ?2, value ->> '$.recId', value ->> '$.title', value ->> '$.description', value ->> '$.colour',
                value ->> '$.modelVersion', value ->> '$.generatedAt', value ->> '$.items'
         FROM json_each(?3)
         WHERE NOT EXISTS (SELECT 1 FROM generated_playlists WHERE user_id = ?1 AND period = ?2 AND kind LIKE ?4)
         RETURNING kind`,
      )
      .bind(userId, period, JSON.stringify(rows), kindLike),
  ]);
  if ((inserted?.results.length ?? 0) > 0 || group.length === 0) return { inserted: true, playlists: [...group] };
  const stored = await storedPlaylists(db, userId, [period]);
  return { inserted: false, playlists: stored.filter((p) => likeMatches(kindLike, p.kind)) };
}

/** SQL LIKE with only a trailing `%`, as the kinds use it. */
function likeMatches(pattern: string, kind: string): boolean {
  return pattern.endsWith('%') ? kind.startsWith(pattern.slice(0, -1)) : kind === pattern;
}
