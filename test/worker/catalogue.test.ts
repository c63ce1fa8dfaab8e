import { describe, expect, it } from 'vitest';
import { api, type ErrorEnvelope, mintKey, track } from './helpers.ts';

describe('Catalogue', () => {
  it('Should upsert tracks with their artists and read them back', async () => {
    const app = await mintKey('app');
    const res = await api('/v1/tracks', {
      method: 'PUT',
      key: app,
      body: { tracks: [track('cat-t1', 'cat-a1', { release_date: '2026-10-02', tags: ['Dreamy', 'lo-fi'] }), track('cat-t2', 'cat-a1')] },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ accepted: 2, rejected: [] });
    const t = (await (await api('/v1/tracks/cat-t1', { key: app })).json()) as Record<string, unknown>;
    expect(t).toMatchObject({
      id: 'cat-t1',
      artist: { id: 'cat-a1', name: 'Artist cat-a1' },
      duration_ms: 200_000,
      release_date: '2026-10-02',
      genre: 'indie',
      tags: ['dreamy', 'lo-fi'],
    });
    expect((t.audio_features as Record<string, number | null>).energy).toBeCloseTo(0.4);
    expect((t.audio_features as Record<string, number | null>).danceability).toBeNull();
    const a = await (await api('/v1/artists/cat-a1', { key: app })).json();
    expect(a).toMatchObject({ id: 'cat-a1', track_count: 2, genres: ['indie'] });
  });

  it('Should replace a re-sent track instead of duplicating it', async () => {
    await api('/v1/tracks', { method: 'PUT', body: { tracks: [track('cat-t3', 'cat-a2')] } });
    await api('/v1/tracks', { method: 'PUT', body: { tracks: [track('cat-t3', 'cat-a2', { title: 'Renamed' })] } });
    const t = (await (await api('/v1/tracks/cat-t3')).json()) as { title: string };
    expect(t.title).toBe('Renamed');
    const a = (await (await api('/v1/artists/cat-a2')).json()) as { track_count: number };
    expect(a.track_count).toBe(1);
  });

  it('Should reject invalid tracks by index and field path and keep the valid ones', async () => {
    const res = await api('/v1/tracks', {
      method: 'PUT',
      body: {
        tracks: [
          track('cat-t4', 'cat-a3'),
          track('cat-t5', 'cat-a3', { duration_ms: -1 }),
          track('cat-t6', 'cat-a3', { audio_features: { energy: 3 } }),
        ],
      },
    });
    expect(res.status).toBe(207);
    const body = (await res.json()) as { accepted: number; rejected: { index: number; id: string; errors: { path: string }[] }[] };
    expect(body.accepted).toBe(1);
    expect(body.rejected.map((r) => [r.index, r.id, r.errors[0]?.path])).toEqual([
      [1, 'cat-t5', 'tracks[1].duration_ms'],
      [2, 'cat-t6', 'tracks[2].audio_features.energy'],
    ]);
    expect((await api('/v1/tracks/cat-t4')).status).toBe(200);
    expect((await api('/v1/tracks/cat-t5')).status).toBe(404);
  });

  it('Should answer 404 with a code for a missing track or artist', async () => {
    const t = await api('/v1/tracks/nope');
    expect(t.status).toBe(404);
    expect(((await t.json()) as ErrorEnvelope).error.code).toBe('track_not_found');
    expect((await api('/v1/artists/nope')).status).toBe(404);
  });

  it("Should not let an artist key read another artist's catalogue by changing the id in the URL", async () => {
    await api('/v1/tracks', { method: 'PUT', body: { tracks: [track('mine-1', 'me'), track('theirs-1', 'them')] } });
    const artist = await mintKey('artist', ['me']);
    expect((await api('/v1/artists/me', { key: artist })).status).toBe(200);
    expect((await api('/v1/tracks/mine-1', { key: artist })).status).toBe(200);
    const other = await api('/v1/artists/them', { key: artist });
    expect(other.status).toBe(403);
    expect(((await other.json()) as ErrorEnvelope).error.code).toBe('forbidden');
    // Another artist's track is answered as a missing one (no existence oracle).
    expect((await api('/v1/tracks/theirs-1', { key: artist })).status).toBe(404);
    // A bound key learns nothing about artists outside its binding, not even whether they exist.
    expect((await api('/v1/artists/does-not-exist', { key: artist })).status).toBe(403);
  });

  it('Should keep catalogue writes to app and admin keys', async () => {
    const marketer = await mintKey('marketer', ['me']);
    const res = await api('/v1/tracks', { method: 'PUT', key: marketer, body: { tracks: [track('x', 'me')] } });
    expect(res.status).toBe(403);
  });
});
