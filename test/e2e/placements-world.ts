/**
 * The artist Playlists page's world: the editor section's (two genres, their fans, a listener with
 * two sides of taste, a trained model, an editor key), then, through the public API only, one
 * artist's tracks (a) served in a Daily Mix and streamed from it (context rec_id and position),
 * (b) in a published editorial playlist and streamed from it, and (c) added to a listener's own
 * playlist and streamed from it (context.playlist_id). Plus a key of that artist and a key of a new
 * artist no playlist ever carried.
 */
import { apiCall } from '../../scripts/lib/local-worker.ts';
import { BOTH_SIDES, seedEditorWorld } from './editor-world.ts';
import { listenerTracks } from './listener-world.ts';

type Playlist = {
  kind: string;
  rec_id: string;
  items: { position: number; track_id: string; title: string; artist_id: string; artist_name: string }[];
};
type PlaylistList = { playlists: { kind: string }[] };
type Placements = { placements: { playlist: { type: string; id: string }; track: { id: string }; impressions: number }[] };

/** A listener's own playlist, as an app names it (the API never sees its name). */
export const OWN_PLAYLIST_ID = 'pl-e2e-4f9c2a7d';
export const EDITORIAL_TITLE = 'Late Night Synth';
/** An artist with one track that nobody played: nothing carried it. */
export const QUIET_ARTIST = { id: 'a-e2e-quiet', name: 'Quiet Harbour' };

export interface PlacementsWorld {
  artist: { id: string; name: string };
  /** Bound to `artist`. */
  artistKey: string;
  /** Bound to QUIET_ARTIST only. */
  otherKey: string;
  /** The artist's track served in the Daily Mixes, its best 1-based position there and how many mixes served it. */
  served: { trackId: string; title: string; bestPosition: number; impressions: number };
  /** The published editorial playlist, with the artist's track at position 2. */
  editorial: { id: string; title: string; trackId: string; trackTitle: string; position: number };
  /** The listener playlist: two adds, one removal, two streams and one short skip. */
  own: { id: string; trackId: string; title: string };
}

const ok = (what: string, r: { status: number; body: unknown }, ...expected: number[]) => {
  if (!(expected.length > 0 ? expected : [200]).includes(r.status))
    throw new Error(`${what} answered ${r.status}: ${JSON.stringify(r.body)}`);
};

export async function seedPlacementsWorld(url: string, adminToken: string, persistTo: string, now = Date.now()): Promise<PlacementsWorld> {
  const world = await seedEditorWorld(url, adminToken, persistTo, now);
  const catalogue = listenerTracks(now);

  // (a) The listener with history opens Daily Mix 1: every Daily Mix is generated and its impressions logged.
  const mix = await apiCall<Playlist>(url, world.appKey, `/v1/users/${BOTH_SIDES}/playlists/daily-mix-1`);
  ok('daily-mix-1', mix);
  const item = mix.body.items.find((i) => i.position >= 2) ?? mix.body.items[0];
  if (!item) throw new Error('daily-mix-1 is empty');
  const artist = { id: item.artist_id, name: item.artist_name };
  // The mixes are stored for the day: reading them again logs nothing (the list also serves Discover Weekly and
  // Release Radar, generated and logged now) and says in which mixes, at which positions, the track was served.
  const list = await apiCall<PlaylistList>(url, world.appKey, `/v1/users/${BOTH_SIDES}/playlists`);
  ok('playlists', list);
  const positions: number[] = [];
  for (const p of list.body.playlists.filter((x) => x.kind.startsWith('daily-mix-'))) {
    const m = p.kind === 'daily-mix-1' ? mix : await apiCall<Playlist>(url, world.appKey, `/v1/users/${BOTH_SIDES}/playlists/${p.kind}`);
    ok(p.kind, m);
    positions.push(...m.body.items.filter((i) => i.track_id === item.track_id).map((i) => i.position + 1));
  }
  const played = now - 20 * 60_000;
  const fromMix = { source: 'algorithmic', surface: 'daily_mix', rec_id: mix.body.rec_id, position: item.position, device: 'web' };
  const events: Record<string, unknown>[] = [
    { event_id: 'e2e-pl-1', user_id: BOTH_SIDES, track_id: item.track_id, type: 'play_start', ts: played, context: fromMix },
    {
      event_id: 'e2e-pl-2',
      user_id: BOTH_SIDES,
      track_id: item.track_id,
      type: 'play_end',
      ts: played + 95_000,
      ms_played: 95_000,
      context: fromMix,
    },
  ];

  // (b) An editor publishes a playlist with the artist's other track second.
  const other = catalogue.find((t) => t.artist.id === artist.id && t.id !== item.track_id);
  const fillers = catalogue.filter((t) => t.artist.id !== artist.id).slice(0, 2);
  if (!other || fillers.length < 2) throw new Error(`no second track of ${artist.id} or no fillers in the catalogue`);
  const created = await apiCall<{ id: string }>(url, world.editorKey, '/v1/editorial/playlists', {
    body: { title: EDITORIAL_TITLE, description: 'Synthwave after dark', tracks: [fillers[0]!.id, other.id, fillers[1]!.id] },
  });
  ok('creating the editorial playlist', created, 201);
  const editorialId = created.body.id;
  ok('publishing it', await apiCall(url, world.editorKey, `/v1/editorial/playlists/${editorialId}/publish`, { method: 'POST' }));
  const fromEditorial = { source: 'editorial', playlist_id: editorialId, device: 'web' };
  events.push(
    { event_id: 'e2e-pl-3', user_id: 'u-e2e-syn-3', track_id: other.id, type: 'play_start', ts: played + 60_000, context: fromEditorial },
    {
      event_id: 'e2e-pl-4',
      user_id: 'u-e2e-syn-3',
      track_id: other.id,
      type: 'play_end',
      ts: played + 60_000 + other.duration_ms,
      ms_played: other.duration_ms,
      context: fromEditorial,
    },
  );

  // (c) Two listeners add the mix's track to their own playlist (one removes it again); both stream it, one also skips it early.
  const own = { source: 'user_playlist', playlist_id: OWN_PLAYLIST_ID, device: 'ios' };
  const t = item.track_id;
  events.push(
    { event_id: 'e2e-pl-5', user_id: 'u-e2e-syn-5', track_id: t, type: 'playlist_add', ts: played + 120_000, context: own },
    { event_id: 'e2e-pl-6', user_id: 'u-e2e-syn-5', track_id: t, type: 'play_start', ts: played + 130_000, context: own },
    { event_id: 'e2e-pl-7', user_id: 'u-e2e-syn-5', track_id: t, type: 'play_end', ts: played + 170_000, ms_played: 40_000, context: own },
    { event_id: 'e2e-pl-8', user_id: 'u-e2e-syn-6', track_id: t, type: 'playlist_add', ts: played + 200_000, context: own },
    { event_id: 'e2e-pl-9', user_id: 'u-e2e-syn-6', track_id: t, type: 'play_start', ts: played + 210_000, context: own },
    {
      event_id: 'e2e-pl-10',
      user_id: 'u-e2e-syn-6',
      track_id: t,
      type: 'play_end',
      ts: played + 390_000,
      ms_played: 180_000,
      context: own,
    },
    { event_id: 'e2e-pl-11', user_id: 'u-e2e-syn-6', track_id: t, type: 'play_start', ts: played + 400_000, context: own },
    { event_id: 'e2e-pl-12', user_id: 'u-e2e-syn-6', track_id: t, type: 'skip', ts: played + 410_000, ms_played: 10_000, context: own },
    { event_id: 'e2e-pl-13', user_id: 'u-e2e-syn-6', track_id: t, type: 'playlist_remove', ts: played + 420_000, context: own },
  );
  ok('sending the plays', await apiCall(url, adminToken, '/v1/events', { body: { events } }), 200, 202);

  // An artist nobody played, for a key that must not read the first artist's placements.
  const quiet = await apiCall(url, adminToken, '/v1/tracks', {
    method: 'PUT',
    body: {
      tracks: [
        {
          id: 't-e2e-quiet-0',
          title: 'Still Water',
          artist: QUIET_ARTIST,
          genre: 'ambient',
          duration_ms: 200_000,
          release_date: '2021-03-01',
        },
      ],
    },
  });
  ok('adding the quiet artist', quiet);

  const mint = async (name: string, artistIds: string[]) => {
    const r = await apiCall<{ key: string }>(url, adminToken, '/v1/admin/keys', { body: { role: 'artist', name, artist_ids: artistIds } });
    ok(`minting ${name}`, r, 201);
    return r.body.key;
  };
  const artistKey = await mint('e2e placements artist key', [artist.id]);
  const otherKey = await mint('e2e quiet artist key', [QUIET_ARTIST.id]);

  // Impressions are logged after the list is served: wait until the API counts the mix's.
  const deadline = Date.now() + 20_000;
  for (;;) {
    const r = await apiCall<Placements>(url, artistKey, `/v1/artists/${artist.id}/placements`);
    ok('placements', r);
    const row = r.body.placements.find((p) => p.playlist.id === 'daily_mix' && p.track.id === item.track_id);
    if (row && row.impressions >= positions.length) break;
    if (Date.now() > deadline) throw new Error(`the Daily Mix impressions were not counted: ${JSON.stringify(r.body)}`);
    await new Promise((done) => setTimeout(done, 250));
  }

  return {
    artist,
    artistKey,
    otherKey,
    served: { trackId: item.track_id, title: item.title, bestPosition: Math.min(...positions), impressions: positions.length },
    editorial: { id: editorialId, title: EDITORIAL_TITLE, trackId: other.id, trackTitle: other.title, position: 2 },
    own: { id: OWN_PLAYLIST_ID, trackId: item.track_id, title: item.title },
  };
}
