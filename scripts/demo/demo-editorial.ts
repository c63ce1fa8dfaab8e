/**
 * The demo's editorial team, created through the public API: an editor key and three published
 * playlists built from what the world's listeners play most. Two carry a slot, so home lists of
 * their target blend in an editorial pick from the first minute:
 * - "<Genre> Essentials": the most played tracks of the biggest genre, slot 3 for its listeners;
 * - "Workout Power": the most played high-energy tracks, slot 5 of workout requests;
 * - "<Genre> Deep Cuts": less played tracks of the second genre, no slot (a playlist to browse).
 */
import { openLocalD1 } from '../lib/local-d1.ts';
import { apiCall } from '../lib/local-worker.ts';

export interface DemoEditorial {
  key: string;
  playlists: Array<{ id: string; title: string }>;
}

const TRACKS_PER_PLAYLIST = 25;

export interface Picks {
  genres: string[];
  essentials: string[];
  workout: string[];
  deepCuts: string[];
}

export function editorialTrackPicks(persistTo: string): Picks {
  const db = openLocalD1(persistTo);
  try {
    const genres = (
      db
        .prepare(
          `SELECT t.genre AS genre FROM events e JOIN tracks t ON t.id = e.track_id
           WHERE e.type = 'play_start' AND t.genre IS NOT NULL GROUP BY t.genre ORDER BY count(*) DESC LIMIT 2`,
        )
        .all() as { genre: string }[]
    ).map((r) => r.genre);
    const byPlays = (where: string, params: string[], order = 'DESC') =>
      (
        db
          .prepare(
            `SELECT t.id AS id FROM events e JOIN tracks t ON t.id = e.track_id
             WHERE e.type = 'play_start' AND ${where} GROUP BY t.id ORDER BY count(*) ${order}, t.id LIMIT ${TRACKS_PER_PLAYLIST}`,
          )
          .all(...params) as { id: string }[]
      ).map((r) => r.id);
    return {
      genres,
      essentials: genres[0] ? byPlays('t.genre = ?', [genres[0]]) : [],
      workout: byPlays('t.energy >= 0.8 AND t.tempo >= 120', []),
      deepCuts: genres[1] ? byPlays('t.genre = ?', [genres[1]], 'ASC') : [],
    };
  } finally {
    db.close();
  }
}

const title = (genre: string) => genre.replace(/(^|[\s-])(\p{L})/gu, (_, sep: string, ch: string) => sep + ch.toUpperCase());

/** Mints the editor key and creates and publishes the playlists; throws with the API's answer when refused. */
export async function createDemoEditorial(url: string, adminToken: string, persistTo: string): Promise<DemoEditorial> {
  const minted = await apiCall<{ key: string }>(url, adminToken, '/v1/admin/keys', {
    body: { role: 'editor', name: 'demo editorial team' },
  });
  if (minted.status !== 201) throw new Error(`minting the editor key failed (${minted.status}): ${JSON.stringify(minted.body)}`);
  const key = minted.body.key;
  const p = editorialTrackPicks(persistTo);
  const [first = 'pop', second = 'rock'] = p.genres;
  const specs = [
    {
      title: `${title(first)} Essentials`,
      description: `The ${first} tracks everyone comes back to.`,
      tracks: p.essentials,
      target: { genres: [first] },
      slot: { position: 3 },
    },
    {
      title: 'Workout Power',
      description: 'High energy, high tempo: the most played of it.',
      tracks: p.workout,
      target: { activities: ['workout'] },
      slot: { position: 5 },
    },
    { title: `${title(second)} Deep Cuts`, description: `Less played ${second} worth a listen.`, tracks: p.deepCuts },
  ].filter((s) => s.tracks.length > 0);
  const playlists: DemoEditorial['playlists'] = [];
  for (const spec of specs) {
    const created = await apiCall<{ id: string }>(url, key, '/v1/editorial/playlists', { body: spec });
    if (created.status !== 201) throw new Error(`creating "${spec.title}" failed (${created.status}): ${JSON.stringify(created.body)}`);
    const published = await apiCall(url, key, `/v1/editorial/playlists/${created.body.id}/publish`, { method: 'POST' });
    if (published.status !== 200)
      throw new Error(`publishing "${spec.title}" failed (${published.status}): ${JSON.stringify(published.body)}`);
    playlists.push({ id: created.body.id, title: spec.title });
  }
  return { key, playlists };
}
