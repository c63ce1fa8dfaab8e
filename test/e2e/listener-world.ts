/**
 * The listener preview's world, written through the public API only: two genres of twenty artists
 * with two tracks each, a dozen fans of each genre, one listener who loves both (two sides of taste,
 * so two Daily Mixes) and one who has never played anything. Then a model trained on it serves.
 */
import { apiCall } from '../../scripts/lib/local-worker.ts';
import { trainAndActivate } from './world.ts';

const DAY_MS = 86_400_000;
const ARTISTS_PER_GENRE = 20;
const FANS_PER_GENRE = 12;

const GENRES = [
  { key: 'syn', genre: 'synthwave', artist: 'Neon', words: ['Grid', 'Chrome', 'Afterglow', 'Arcade', 'Laser', 'Skyline'] },
  { key: 'bos', genre: 'bossa nova', artist: 'Praia', words: ['Garoa', 'Varanda', 'Maré', 'Saudade', 'Brisa', 'Areia'] },
] as const;

export interface ListenerTrack {
  id: string;
  title: string;
  artist: { id: string; name: string };
  genre: string;
  duration_ms: number;
  release_date: string;
}

/** The second track of the last two artists of each genre came out three days ago (Release Radar's). */
const isRecent = (a: number, k: number) => k === 1 && a >= ARTISTS_PER_GENRE - 2;

/** Track `k` (0 or 1) of artist `a` of a genre. */
function track(g: (typeof GENRES)[number], a: number, k: number, now: number): ListenerTrack {
  const released = isRecent(a, k) ? now - 3 * DAY_MS : Date.UTC(2020 + (a % 5), k * 5, 1 + a);
  return {
    id: `t-e2e-${g.key}-${a}-${k}`,
    title: `${g.words[(a + k) % g.words.length]} ${a * 2 + k + 1}`,
    artist: { id: `a-e2e-${g.key}-${a}`, name: `${g.artist} ${String.fromCharCode(65 + a)}` },
    genre: g.genre,
    duration_ms: 180_000 + a * 1000,
    release_date: new Date(released).toISOString().slice(0, 10),
  };
}

export function listenerTracks(now: number): ListenerTrack[] {
  return GENRES.flatMap((g) => Array.from({ length: ARTISTS_PER_GENRE * 2 }, (_, i) => track(g, Math.floor(i / 2), i % 2, now)));
}

/** The listener with two sides of taste (synthwave and bossa nova) and the one without any history. */
export const BOTH_SIDES = 'u-e2e-both';
export const NO_HISTORY = 'u-e2e-nobody';

type Event = Record<string, unknown>;

/** Every event of the world, all in the past. */
export function listenerEvents(now: number): Event[] {
  const tracks = listenerTracks(now);
  const events: Event[] = [];
  const play = (user_id: string, t: ListenerTrack, ts: number, save: boolean) => {
    const context = { source: 'library', device: 'web' };
    const n = events.length;
    events.push({ event_id: `e2e-l-${n}`, user_id, track_id: t.id, type: 'play_start', ts, context });
    events.push({
      event_id: `e2e-l-${n + 1}`,
      user_id,
      track_id: t.id,
      type: 'play_end',
      ts: ts + t.duration_ms,
      ms_played: t.duration_ms,
      context,
    });
    if (save) events.push({ event_id: `e2e-l-${n + 2}`, user_id, track_id: t.id, type: 'save', ts: ts + t.duration_ms + 1000, context });
  };
  for (const [gi, g] of GENRES.entries()) {
    const ofGenre = tracks.filter((t) => t.genre === g.genre);
    for (let f = 0; f < FANS_PER_GENRE; f++) {
      // Each fan plays two thirds of the genre, each track played by eight of the twelve fans.
      for (const [i, t] of ofGenre.entries()) {
        if ((i + f) % 3 === 0) continue;
        const recent = isRecent(Math.floor(i / 2), i % 2);
        const daysAgo = recent ? 1 + (f % 2) : 2 + ((i * 5 + f * 3 + gi) % 18);
        play(`u-e2e-${g.key}-${f}`, t, now - daysAgo * DAY_MS - (f + 1) * 60_000, (i + f) % 4 === 1);
      }
    }
    // Both sides: the first eight tracks (four artists) of each genre, played and saved.
    for (const [i, t] of ofGenre.slice(0, 8).entries()) {
      for (const week of [0, 1]) play(BOTH_SIDES, t, now - (2 + i + week * 7) * DAY_MS - gi * 3_600_000, week === 0);
    }
  }
  return events;
}

export interface ListenerWorld {
  appKey: string;
  artistKey: string;
}

/** Writes the catalogue and events, trains and activates a model, and mints an app key and an artist key. */
export async function seedListenerWorld(url: string, adminToken: string, persistTo: string, now = Date.now()): Promise<ListenerWorld> {
  const tracks = await apiCall(url, adminToken, '/v1/tracks', { method: 'PUT', body: { tracks: listenerTracks(now) } });
  if (tracks.status !== 200) throw new Error(`seeding tracks failed: ${tracks.status} ${JSON.stringify(tracks.body)}`);
  const events = listenerEvents(now);
  for (let i = 0; i < events.length; i += 500) {
    const r = await apiCall(url, adminToken, '/v1/events', { body: { events: events.slice(i, i + 500) } });
    if (r.status !== 200 && r.status !== 202) throw new Error(`seeding events failed: ${r.status} ${JSON.stringify(r.body)}`);
  }
  await trainAndActivate(url, adminToken, persistTo);
  const app = await apiCall<{ key: string }>(url, adminToken, '/v1/admin/keys', { body: { role: 'app', name: 'e2e app key' } });
  if (app.status !== 201) throw new Error(`minting the app key failed: ${app.status} ${JSON.stringify(app.body)}`);
  const artist = await apiCall<{ key: string }>(url, adminToken, '/v1/admin/keys', {
    body: { role: 'artist', name: 'e2e artist key', artist_ids: ['a-e2e-syn-0'] },
  });
  if (artist.status !== 201) throw new Error(`minting the artist key failed: ${artist.status} ${JSON.stringify(artist.body)}`);
  return { appKey: app.body.key, artistKey: artist.body.key };
}
