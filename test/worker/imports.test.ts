import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, type ErrorEnvelope, mintKey, track } from './helpers.ts';

const day = (k: number) => new Date(Date.now() - k * 86_400_000).toISOString().slice(0, 16).replace('T', ' ');

/** A Spotify account-data export (StreamingHistory_music_0.json): two catalogue tracks, one unknown. */
const HISTORY = JSON.stringify([
  { endTime: day(3), artistName: 'Night Swimmers', trackName: 'Blue Hour', msPlayed: 200_000 },
  { endTime: day(2), artistName: 'night swimmers', trackName: 'Blue Hour (Remastered 2011)', msPlayed: 150_000 },
  { endTime: day(2), artistName: 'Night Swimmers', trackName: 'Tidal Lights', msPlayed: 5_000 },
  { endTime: day(1), artistName: 'Nobody Here', trackName: 'Unknown Song', msPlayed: 180_000 },
  { endTime: 'yesterday-ish', artistName: 'Night Swimmers', trackName: 'Blue Hour', msPlayed: 1 },
]);

function post(userId: string, body: string, query = '?file=StreamingHistory_music_0.json', key?: string) {
  return api(`/v1/users/${userId}/imports${query}`, {
    body,
    headers: { 'content-type': 'application/octet-stream' },
    ...(key ? { key } : {}),
  });
}

interface ImportResult {
  format: string;
  platform: string;
  records: { listens: number; errors: number };
  matched: number;
  unmatched_listens: number;
  events: { stored: number; duplicates: number };
  unmatched: { track_name: string; plays: number }[];
  errors: { file?: string; index: number; field: string }[];
}

describe('History imports', () => {
  beforeAll(async () => {
    const res = await api('/v1/tracks', {
      method: 'PUT',
      body: {
        tracks: [
          { ...track('im-t1', 'im-a'), title: 'Blue Hour', artist: { id: 'im-a', name: 'Night Swimmers' } },
          { ...track('im-t2', 'im-a'), title: 'Tidal Lights', artist: { id: 'im-a', name: 'Night Swimmers' } },
        ],
      },
    });
    expect(res.status).toBe(200);
  });

  it('Should match listens to the catalogue, store them as play events once, and keep the unmatched ones aside', async () => {
    const res = await post('im-u1', HISTORY);
    expect(res.status).toBe(200);
    const r = (await res.json()) as ImportResult;
    expect(r).toMatchObject({ format: 'spotify', platform: 'spotify', matched: 3, unmatched_listens: 1 });
    expect(r.records.errors).toBe(1);
    expect(r.errors[0]).toMatchObject({ file: 'StreamingHistory_music_0.json', index: 4 });
    expect(r.unmatched).toEqual([{ artist_name: 'Nobody Here', track_name: 'Unknown Song', plays: 1 }]);
    expect(r.events.stored).toBeGreaterThanOrEqual(3);
    const rows = await env.DB.prepare(
      "SELECT track_id, type, ms_played, source, device FROM events WHERE user_id = 'im-u1' AND type != 'play_start' ORDER BY ts",
    ).all();
    expect(rows.results).toEqual([
      { track_id: 'im-t1', type: 'play_end', ms_played: 200_000, source: 'other', device: 'import:spotify' },
      { track_id: 'im-t1', type: 'play_end', ms_played: 150_000, source: 'other', device: 'import:spotify' },
      // The account-data export says nothing of skips: a 5 s listen is a short play, not a counted skip.
      { track_id: 'im-t2', type: 'play_end', ms_played: 5_000, source: 'other', device: 'import:spotify' },
    ]);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM import_unmatched WHERE user_id = 'im-u1'").first('n')).toBe(1);

    // The same file again adds nothing.
    const again = (await (await post('im-u1', HISTORY)).json()) as ImportResult;
    expect(again.events).toEqual({ stored: 0, duplicates: r.events.stored });
    expect(await env.DB.prepare("SELECT count(*) AS n FROM import_unmatched WHERE user_id = 'im-u1'").first('n')).toBe(1);
  });

  it('Should refuse a body of no known format, naming the field, and an empty body', async () => {
    const unknown = await post('im-u2', 'just some text\nthat is not an export', '');
    expect(unknown.status).toBe(400);
    const err = (await unknown.json()) as ErrorEnvelope;
    expect(err.error.code).toBe('unknown_format');
    expect(err.error.details?.issues?.[0]?.path).toBe('query.format');
    expect((await post('im-u2', '   ', '')).status).toBe(400);
    expect((await post('im-u2', HISTORY, '?format=midi')).status).toBe(400);
  });

  it('Should let only app and admin keys import', async () => {
    const app = await mintKey('app');
    expect((await post('im-u3', HISTORY, '', app)).status).toBe(200);
    for (const role of ['artist', 'marketer', 'editor'] as const) {
      const key = await mintKey(role, role === 'editor' ? undefined : ['im-a']);
      expect({ role, status: (await post('im-u3', HISTORY, '', key)).status }).toEqual({ role, status: 403 });
    }
  });
});
