/**
 * Generated playlists (issue 14): Daily Mix, Discover Weekly, Release Radar and radio. In the fixture
 * world a track's nearest neighbours are its genre-mates, so a taste cluster can be read off the
 * genres.
 */
import { env } from 'cloudflare:workers';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { api, type ErrorEnvelope, event, mintKey } from '../helpers.ts';
import { BUNDLES, genreOf, putCatalogue, TRACKS, uploadAndActivate } from './setup.ts';

const DAY = 86_400_000;

interface Playlist {
  kind: string;
  surface: string;
  title: string;
  description: string;
  colour: string;
  period: string | null;
  rec_id: string;
  cold_start: string;
  items: Array<{
    position: number;
    track_id: string;
    title: string;
    artist_id: string;
    artist_name: string;
    reason: string;
    source: string;
  }>;
}
interface PlaylistList {
  playlists: Array<{ kind: string; title: string; tracks: number; href: string; period: string | null; rec_id: string }>;
}

const ofGenre = (genre: string, n: number, skip = 0) =>
  TRACKS.filter((t) => t.genre === genre && t.release_date !== 'RECENT')
    .slice(skip, skip + n)
    .map((t) => t.id);

async function get<T>(path: string, key?: string): Promise<T> {
  const res = await api(path, key ? { key } : {});
  if (res.status !== 200) throw new Error(`${path} failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function saves(userId: string, trackIds: readonly string[], daysAgo = 14): Promise<void> {
  const res = await api('/v1/events', {
    body: {
      events: trackIds.map((t, k) => event({ user_id: userId, track_id: t, type: 'save', ts: Date.now() - daysAgo * DAY + k * 1000 })),
    },
  });
  if (res.status !== 200) throw new Error(`ingest failed: ${res.status} ${await res.text()}`);
}

/** The share of a list's tracks in its most common genre, and that genre. */
function majority(ids: readonly string[]): { genre: string; share: number } {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(genreOf(id) ?? '?', (counts.get(genreOf(id) ?? '?') ?? 0) + 1);
  const [genre, n] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? ['?', 0];
  return { genre, share: n / Math.max(1, ids.length) };
}

/** Impression lists logged for a user on a surface (written after the response: waits for them). */
async function loggedLists(userId: string, surface: string, atLeast: number): Promise<number> {
  let n = 0;
  for (let attempt = 0; attempt < 50; attempt++) {
    n = Number(
      await env.DB.prepare('SELECT count(*) AS n FROM rec_lists WHERE user_id = ?1 AND surface = ?2').bind(userId, surface).first('n'),
    );
    if (n >= atLeast) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  return n;
}

beforeAll(async () => {
  await putCatalogue();
  await uploadAndActivate(BUNDLES[0] as (typeof BUNDLES)[0]);
});

afterEach(() => {
  vi.useRealTimers();
});

describe('Daily Mix', () => {
  const INDIE = ofGenre('indie', 6);
  const AMBIENT = ofGenre('ambient', 6);

  it('Should split a two-sided taste into distinct mixes, each coherent, each titled by its genre', async () => {
    await saves('pl-both', [...INDIE, ...AMBIENT]);
    const list = await get<PlaylistList>('/v1/users/pl-both/playlists');
    const kinds = list.playlists.filter((p) => p.kind.startsWith('daily-mix-')).map((p) => p.kind);
    expect(kinds.length).toBeGreaterThanOrEqual(2);
    const mixes = await Promise.all(kinds.map((k) => get<Playlist>(`/v1/users/pl-both/playlists/${k}`)));
    const top = mixes.slice(0, 2);
    // Coherent where a listener starts: the first 12 tracks. (The fixture world has 26 tracks a genre
    // and a mix takes at most 5 per artist, so the rest of a 30-track mix has to reach further.)
    const genres = top.map((m) => majority(m.items.slice(0, 12).map((i) => i.track_id)));
    expect(new Set(genres.map((g) => g.genre))).toEqual(new Set(['indie', 'ambient']));
    for (const g of genres) expect(g.share).toBeGreaterThanOrEqual(0.9);
    expect(new Set(top.map((m) => m.title))).toEqual(new Set(['Indie Mix', 'Ambient Mix']));
    // Distinct: no track in two mixes.
    const seen = new Set<string>();
    for (const m of mixes) {
      for (const it of m.items) {
        expect(seen.has(it.track_id)).toBe(false);
        seen.add(it.track_id);
      }
    }
    // Each mix mixes the listener's favourites of its side with new tracks close to them.
    for (const [k, m] of top.entries()) {
      const mine = genres[k]?.genre === 'indie' ? INDIE : AMBIENT;
      const familiar = m.items.filter((i) => i.source === 'familiar');
      expect(familiar.length).toBeGreaterThanOrEqual(3);
      for (const it of familiar) expect(mine).toContain(it.track_id);
      expect(m.items.filter((i) => !mine.includes(i.track_id)).length).toBeGreaterThanOrEqual(5);
      expect(m.surface).toBe('daily_mix');
      expect(m.description).toMatch(/artist/);
      expect(m.colour).toMatch(/^#[0-9a-f]{6}$/);
    }
  });

  it('Should give a one-sided taste a single mix, and 404 for a mix the listener does not have', async () => {
    await saves('pl-indie', ofGenre('indie', 8));
    const list = await get<PlaylistList>('/v1/users/pl-indie/playlists');
    const mixes = list.playlists.filter((p) => p.kind.startsWith('daily-mix-'));
    expect(mixes.map((m) => m.title)).toEqual(['Indie Mix']);
    const missing = await api('/v1/users/pl-indie/playlists/daily-mix-2');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as ErrorEnvelope).error.code).toBe('playlist_not_found');
    const unknown = await api('/v1/users/pl-indie/playlists/weekly-jams');
    expect(unknown.status).toBe(404);
  });

  it('Should give a listener without history no mix, and a popular Discover Weekly that is not kept', async () => {
    const list = await get<PlaylistList>('/v1/users/pl-nobody/playlists');
    expect(list.playlists.filter((p) => p.kind.startsWith('daily-mix-'))).toEqual([]);
    const dw = await get<Playlist>('/v1/users/pl-nobody/playlists/discover-weekly');
    expect(dw.cold_start).toBe('popular');
    expect(dw.period).toBeNull();
    const stored = await env.DB.prepare('SELECT count(*) AS n FROM generated_playlists WHERE user_id = ?1').bind('pl-nobody').first('n');
    expect(stored).toBe(0);
  });
});

describe('Discover Weekly', () => {
  const TASTE = [...ofGenre('techno', 5), ...ofGenre('indie', 2)];

  it('Should serve 30 tracks the listener has never played, logged once on its surface', async () => {
    await saves('pl-dw', TASTE);
    await api('/v1/events', {
      body: { events: [event({ user_id: 'pl-dw', track_id: 'fx-t40', type: 'play_start', ts: Date.now() - 200 * DAY })] },
    });
    const dw = await get<Playlist>('/v1/users/pl-dw/playlists/discover-weekly');
    expect(dw.items).toHaveLength(30);
    expect(dw.cold_start).toBe('none');
    for (const it of dw.items) expect([...TASTE, 'fx-t40']).not.toContain(it.track_id);
    expect(dw.items.map((i) => i.position)).toEqual([...Array(30).keys()]);
    // Picked from what they play: their main genre leads the list (a quarter of the world is techno).
    expect(majority(dw.items.map((i) => i.track_id))).toMatchObject({ genre: 'techno' });
    expect(majority(dw.items.map((i) => i.track_id)).share).toBeGreaterThanOrEqual(0.4);
    expect(await loggedLists('pl-dw', 'discover_weekly', 1)).toBe(1);
  });

  it('Should keep the same list all week, whatever the listener plays, and make a new one on Monday in their time zone', async () => {
    // Saturday 2026-12-05 12:00 UTC. In Tokyo (UTC+9), Monday starts at Sunday 15:00 UTC.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.UTC(2026, 11, 5, 12));
    expect((await api('/v1/users', { method: 'PUT', body: { users: [{ id: 'pl-week', timezone: 'Asia/Tokyo' }] } })).status).toBe(200);
    await saves('pl-week', TASTE);
    const first = await get<Playlist>('/v1/users/pl-week/playlists/discover-weekly');
    expect(first.period).toBe('2026-W49');

    // Later the same week the listener saves and plays new things: the list does not move.
    vi.setSystemTime(Date.UTC(2026, 11, 6, 14, 59));
    await saves('pl-week', ofGenre('ambient', 6), 0);
    const sameWeek = await get<Playlist>('/v1/users/pl-week/playlists/discover-weekly');
    expect(sameWeek.rec_id).toBe(first.rec_id);
    expect(sameWeek.items).toEqual(first.items);

    // Monday 00:00 in Tokyo: a new week, a new list, computed from what they play now.
    vi.setSystemTime(Date.UTC(2026, 11, 6, 15, 0));
    const monday = await get<Playlist>('/v1/users/pl-week/playlists/discover-weekly');
    expect(monday.period).toBe('2026-W50');
    expect(monday.rec_id).not.toBe(first.rec_id);
    expect(monday.items.map((i) => i.track_id)).not.toEqual(first.items.map((i) => i.track_id));
    // Only the current week's list is kept.
    const kept = await env.DB.prepare("SELECT period FROM generated_playlists WHERE user_id = ?1 AND kind = 'discover-weekly'")
      .bind('pl-week')
      .all<{ period: string }>();
    expect(kept.results.map((r) => r.period)).toEqual(['2026-W50']);
  });
});

describe('Release Radar', () => {
  it('Should lead with new music of the artists the listener plays and include new tracks nobody has played yet', async () => {
    await saves('pl-radar', ofGenre('indie', 6));
    const today = new Date().toISOString().slice(0, 10);
    const old = new Date(Date.now() - 40 * DAY).toISOString().slice(0, 10);
    const indieFeatures = TRACKS.find((t) => t.id === 'fx-t0')?.audio_features;
    const upload = await api('/v1/tracks', {
      method: 'PUT',
      body: {
        tracks: [
          // A brand-new artist whose first single sounds like the listener's indie: cold start through content.onnx.
          {
            id: 'rr-cold',
            title: 'First Light',
            artist: { id: 'rr-newcomer', name: 'The Newcomers' },
            duration_ms: 200_000,
            release_date: today,
            genre: 'indie',
            tags: ['indie'],
            audio_features: indieFeatures,
          },
          {
            id: 'rr-old',
            title: 'Last Year',
            artist: { id: 'fx-a0', name: 'indie artist 0' },
            duration_ms: 200_000,
            release_date: old,
            genre: 'indie',
            tags: ['indie'],
          },
        ],
      },
    });
    expect(upload.status).toBe(200);
    const radar = await get<Playlist>('/v1/users/pl-radar/playlists/release-radar');
    const ids = radar.items.map((i) => i.track_id);
    expect(ids).toContain('rr-cold');
    expect(ids).not.toContain('rr-old');
    // Only releases of the last 14 days: the fixture's six recent singles and the upload.
    for (const id of ids) expect(['fx-new0', 'fx-new1', 'fx-new2', 'fx-new3', 'fx-new4', 'fx-new5', 'rr-cold']).toContain(id);
    // The listener's own artist first, named as such; then the newcomer that sounds like them, ahead of other genres.
    expect(ids.slice(0, 2).sort()).toEqual(['fx-new0', 'fx-new1']);
    expect(radar.items[0]?.reason).toBe('new from indie artist 0');
    expect(ids.indexOf('rr-cold')).toBe(2);
    expect(radar.items[2]?.source).toBe('content');
    expect(radar.surface).toBe('release_radar');
  });
});

describe('Radio', () => {
  it('Should play a station from a track: its genre-mates, never the seed, reasons that name it', async () => {
    await saves('pl-radio', ofGenre('indie', 6));
    const station = await get<Playlist>('/v1/users/pl-radio/radio?track=fx-t52&familiar=0&limit=10');
    const ids = station.items.map((i) => i.track_id);
    expect(ids).not.toContain('fx-t52');
    expect(majority(ids).genre).toBe('ambient');
    expect(majority(ids).share).toBeGreaterThanOrEqual(0.6);
    expect(station.title).toMatch(/ Radio$/);
    expect(station.items.filter((i) => /^(like|more from) /.test(i.reason)).length).toBeGreaterThanOrEqual(5);
    expect(await loggedLists('pl-radio', 'radio', 1)).toBeGreaterThanOrEqual(1);
  });

  it('Should play a station from an artist, with more of the artist', async () => {
    const station = await get<Playlist>('/v1/users/pl-radio/radio?artist=fx-a3&familiar=0&limit=20');
    const ofArtist = station.items.filter((i) => i.artist_id === 'fx-a3').length;
    expect(ofArtist).toBeGreaterThanOrEqual(3);
    expect(majority(station.items.map((i) => i.track_id)).genre).toBe('techno');
    expect(station.title).toBe(`${station.items.find((i) => i.artist_id === 'fx-a3')?.artist_name} Radio`);
  });

  it('Should name the field for a bad seed and 404 an unknown one', async () => {
    const both = await api('/v1/users/pl-radio/radio?track=fx-t1&artist=fx-a0');
    expect(both.status).toBe(400);
    expect(JSON.stringify(await both.json())).toContain('"query.artist"');
    const neither = await api('/v1/users/pl-radio/radio');
    expect(neither.status).toBe(400);
    expect(JSON.stringify(await neither.json())).toContain('"query.track"');
    const track = await api('/v1/users/pl-radio/radio?track=no-such');
    expect(track.status).toBe(404);
    expect(((await track.json()) as ErrorEnvelope).error.code).toBe('track_not_found');
    const artist = await api('/v1/users/pl-radio/radio?artist=no-such');
    expect(((await artist.json()) as ErrorEnvelope).error.code).toBe('artist_not_found');
  });
});

describe('Playlist access', () => {
  it('Should serve app keys and refuse artist and marketer keys', async () => {
    const app = await mintKey('app');
    expect((await api('/v1/users/pl-indie/playlists', { key: app })).status).toBe(200);
    for (const role of ['artist', 'marketer'] as const) {
      const key = await mintKey(role, ['fx-a0']);
      for (const path of [
        '/v1/users/pl-indie/playlists',
        '/v1/users/pl-indie/playlists/discover-weekly',
        '/v1/users/pl-indie/radio?track=fx-t1',
      ]) {
        const res = await api(path, { key });
        expect(res.status).toBe(403);
        expect(((await res.json()) as ErrorEnvelope).error.code).toBe('forbidden');
      }
    }
  });
});
