import { beforeAll, describe, expect, it } from 'vitest';
import { api, type ErrorEnvelope, event, mintKey, track } from '../helpers.ts';
import { BUNDLES, genreOf, putCatalogue, type RecList, uploadAndActivate } from './setup.ts';

interface Similar {
  model_version: string;
  items: Array<{ id: string; name: string; similarity: number }>;
}

const AMBIENT = { energy: 0.1, valence: 0.3, danceability: 0.15, acousticness: 0.8, instrumentalness: 0.95, tempo: 70 };

describe('Similar tracks and artists, and tracks the model never saw', () => {
  beforeAll(async () => {
    await putCatalogue();
    // Added after training: only the content model can place it.
    const res = await api('/v1/tracks', {
      method: 'PUT',
      body: {
        tracks: [
          track('fx-late1', 'fx-a7', {
            title: 'Late ambient',
            genre: 'ambient',
            tags: ['ambient'],
            audio_features: AMBIENT,
            release_date: new Date().toISOString().slice(0, 10),
          }),
        ],
      },
    });
    expect(res.status).toBe(200);
    await uploadAndActivate(BUNDLES[0] as (typeof BUNDLES)[0]);
  });

  it('Should return the nearest tracks of a played track, mostly of its genre', async () => {
    const res = await api('/v1/tracks/fx-t50/similar?limit=8');
    expect(res.status).toBe(200);
    const body = (await res.json()) as Similar;
    expect(body.items).toHaveLength(8);
    expect(body.items.map((i) => i.id)).not.toContain('fx-t50');
    expect(body.items.filter((i) => genreOf(i.id) === genreOf('fx-t50')).length).toBeGreaterThanOrEqual(6);
    const sims = body.items.map((i) => i.similarity);
    expect([...sims].sort((a, b) => b - a)).toEqual(sims);
  });

  it('Should place a track without plays by its content, and recommend it to listeners of its genre', async () => {
    const res = await api('/v1/tracks/fx-late1/similar?limit=6');
    expect(res.status).toBe(200);
    const body = (await res.json()) as Similar;
    expect(body.items.filter((i) => genreOf(i.id) === 'ambient').length).toBeGreaterThanOrEqual(5);
    const weeksAgo = Date.now() - 14 * 86_400_000;
    await api('/v1/events', {
      body: {
        events: ['fx-t48', 'fx-t49', 'fx-t56', 'fx-t57', 'fx-t64'].map((t) =>
          event({ user_id: 'sim-u1', track_id: t, type: 'save', ts: weeksAgo }),
        ),
      },
    });
    const list = (await (
      await api('/v1/users/sim-u1/recommendations?limit=30&max_per_artist=30&exploration=0&diversity=0')
    ).json()) as RecList;
    const late = list.items.find((i) => i.track_id === 'fx-late1');
    expect(late?.source).toBe('content');
    expect(late?.reason).toMatch(/^new release like "/);
  });

  it('Should return artists of the same genre first', async () => {
    const res = await api('/v1/artists/fx-a6/similar?limit=2');
    expect(res.status).toBe(200);
    const body = (await res.json()) as Similar;
    expect(body.items.map((i) => i.id).sort()).toEqual(['fx-a7', 'fx-a8']);
  });

  it('Should answer 404 for unknown ids, 400 for a bad limit and 403 for artist keys', async () => {
    expect(((await (await api('/v1/tracks/nope/similar')).json()) as ErrorEnvelope).error.code).toBe('track_not_found');
    expect((await api('/v1/artists/nope/similar')).status).toBe(404);
    const bad = await api('/v1/tracks/fx-t1/similar?limit=1000');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ErrorEnvelope).error.details?.issues?.[0]?.path).toBe('query.limit');
    const artist = await mintKey('artist', ['fx-a0']);
    expect((await api('/v1/tracks/fx-t1/similar', { key: artist })).status).toBe(403);
    expect((await api('/v1/artists/fx-a0/similar', { key: artist })).status).toBe(403);
  });
});
