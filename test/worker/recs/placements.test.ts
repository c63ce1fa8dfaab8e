/**
 * Playlist placements for artists (issue 14): which playlists carried an artist's tracks, since when,
 * at what position, and the streams each brought; generated, editorial and listeners' own.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { api, type ErrorEnvelope, event, mintKey } from '../helpers.ts';
import { artistOf, BUNDLES, putCatalogue, TRACKS, uploadAndActivate } from './setup.ts';

const DAY = 86_400_000;
const ARTIST = 'fx-a0';
const MINE = TRACKS.filter((t) => t.artist.id === ARTIST && t.release_date !== 'RECENT').map((t) => t.id);

interface Placement {
  playlist: { type: string; id: string; name: string | null };
  track: { id: string; title: string };
  via: string;
  since: string;
  position: number | null;
  impressions: number;
  listeners: number;
  streams: number;
  playlist_adds: number;
}

async function placements(key?: string): Promise<Placement[]> {
  const res = await api(`/v1/artists/${ARTIST}/placements`, key ? { key } : {});
  if (res.status !== 200) throw new Error(`placements failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { placements: Placement[] }).placements;
}

describe('Playlist placements', () => {
  let mixTrack: string;
  let editorialId: string;

  beforeAll(async () => {
    await putCatalogue();
    await uploadAndActivate(BUNDLES[0] as (typeof BUNDLES)[0]);
    const now = Date.now();
    await api('/v1/events', {
      body: { events: MINE.slice(0, 5).map((t, k) => event({ user_id: 'pm-fan', track_id: t, type: 'save', ts: now - 14 * DAY + k })) },
    });
    // The fan's Daily Mix carries the artist's tracks; they stream one from it.
    const mix = (await (await api('/v1/users/pm-fan/playlists/daily-mix-1')).json()) as {
      rec_id: string;
      items: Array<{ track_id: string; position: number }>;
    };
    const item = mix.items.find((i) => artistOf(i.track_id) === ARTIST);
    if (!item) throw new Error('the fan’s mix carries none of the artist’s tracks');
    mixTrack = item.track_id;
    const ctx = { rec_id: mix.rec_id, position: item.position, surface: 'daily_mix' };
    // A listener's own playlist: added, then streamed from it.
    const own = { playlist_id: 'pm-road-trip' };
    await api('/v1/events', {
      body: {
        events: [
          event({ user_id: 'pm-fan', track_id: mixTrack, type: 'play_start', ts: now - 9000, context: ctx }),
          event({ user_id: 'pm-fan', track_id: mixTrack, type: 'play_end', ts: now - 8000, ms_played: 190_000, context: ctx }),
          event({ user_id: 'pm-other', track_id: MINE[6], type: 'playlist_add', ts: now - 7000, context: own }),
          event({ user_id: 'pm-other', track_id: MINE[6], type: 'play_end', ts: now - 6000, ms_played: 120_000, context: own }),
        ],
      },
    });
    // An editorial playlist with one of the artist's tracks at position 2.
    const editor = await mintKey('editor');
    const created = await api('/v1/editorial/playlists', { key: editor, body: { title: 'Indie Now', tracks: ['fx-t30', MINE[7]] } });
    editorialId = ((await created.json()) as { id: string }).id;
    await api(`/v1/editorial/playlists/${editorialId}/publish`, { method: 'POST', key: editor });
  });

  it('Should list generated, editorial and listeners’ own playlists with positions and the streams each brought', async () => {
    let rows: Placement[] = [];
    // Impressions are logged after the response: wait for them.
    for (let attempt = 0; attempt < 50; attempt++) {
      rows = await placements();
      if (rows.some((r) => r.playlist.id === 'daily_mix' && r.track.id === mixTrack && r.streams === 1)) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const mix = rows.find((r) => r.playlist.id === 'daily_mix' && r.track.id === mixTrack);
    expect(mix).toMatchObject({
      playlist: { type: 'generated', name: 'Daily Mix' },
      via: 'served',
      impressions: 1,
      listeners: 1,
      streams: 1,
    });
    expect(mix?.position).toBeGreaterThanOrEqual(1);
    const own = rows.find((r) => r.playlist.id === 'pm-road-trip');
    expect(own).toMatchObject({
      playlist: { type: 'user', name: null },
      track: { id: MINE[6] },
      via: 'played',
      streams: 1,
      playlist_adds: 1,
    });
    const editorial = rows.find((r) => r.playlist.id === editorialId);
    expect(editorial).toMatchObject({
      playlist: { type: 'editorial', name: 'Indie Now' },
      track: { id: MINE[7] },
      via: 'listed',
      position: 2,
    });
    // Only this artist's tracks, most streams first.
    for (const r of rows) expect(artistOf(r.track.id)).toBe(ARTIST);
    const streams = rows.map((r) => r.streams);
    expect(streams).toEqual([...streams].sort((a, b) => b - a));
  });

  it('Should answer only keys bound to the artist', async () => {
    expect((await placements(await mintKey('artist', [ARTIST]))).length).toBeGreaterThan(0);
    for (const key of [await mintKey('artist', ['fx-a3']), await mintKey('editor'), await mintKey('app')]) {
      const res = await api(`/v1/artists/${ARTIST}/placements`, { key });
      expect(res.status).toBe(403);
    }
    const missing = await api('/v1/artists/no-such-artist/placements');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as ErrorEnvelope).error.code).toBe('artist_not_found');
    const bad = await api(`/v1/artists/${ARTIST}/placements?from=2026-13-01`);
    expect(JSON.stringify(await bad.json())).toContain('"query.from"');
  });
});
