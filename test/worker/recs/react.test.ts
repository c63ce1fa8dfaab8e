/**
 * Recommendations that react (issue 13): a track is recommendable and has neighbours the moment its
 * upload is acknowledged, and plays of tracks the model never saw fold into the listener's taste
 * through their content embedding.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { api, event, track } from '../helpers.ts';
import { BUNDLES, genreOf, putCatalogue, type RecList, TRACKS, uploadAndActivate } from './setup.ts';

const DAY = 86_400_000;
const TECHNO = { energy: 0.92, valence: 0.5, danceability: 0.85, acousticness: 0.02, instrumentalness: 0.8, tempo: 130 };

async function recs(userId: string, query = ''): Promise<RecList> {
  const res = await api(`/v1/users/${userId}/recommendations${query}`);
  if (res.status !== 200) throw new Error(`recommendations failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as RecList;
}

async function upload(tracks: unknown[]) {
  const res = await api('/v1/tracks', { method: 'PUT', body: { tracks } });
  expect(res.status).toBe(200);
}

describe('New tracks at once', () => {
  beforeAll(async () => {
    await putCatalogue();
    await uploadAndActivate(BUNDLES[0] as (typeof BUNDLES)[0]);
    // The serving view is built and cached before the uploads below, as on a running instance.
    await recs('warm-up');
  });

  it('Should answer similar for a track uploaded after the serving view was built, with neighbours by its content', async () => {
    await upload([track('rx-techno1', 'rx-a1', { title: 'Warehouse Lights', genre: 'techno', tags: ['techno'], audio_features: TECHNO })]);
    const res = await api('/v1/tracks/rx-techno1/similar?limit=8');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: Array<{ id: string }> };
    expect(body.items).toHaveLength(8);
    expect(body.items.filter((i) => genreOf(i.id) === 'techno').length).toBeGreaterThanOrEqual(6);
  });

  it('Should fold plays of a track the model never saw into the taste, and name it in the reasons', async () => {
    await upload([track('rx-techno2', 'rx-a2', { title: 'Strobe Hymn', genre: 'techno', tags: ['techno'], audio_features: TECHNO })]);
    const t = Date.now() - DAY;
    await api('/v1/events', {
      body: {
        events: [
          event({ user_id: 'rx-u1', track_id: 'rx-techno2', type: 'play_start', ts: t }),
          event({ user_id: 'rx-u1', track_id: 'rx-techno2', type: 'play_end', ms_played: 199_000, ts: t + 199_000 }),
          event({ user_id: 'rx-u1', track_id: 'rx-techno2', type: 'save', ts: t + 200_000 }),
        ],
      },
    });
    const list = await recs('rx-u1', '?limit=10&exploration=0');
    expect(list.cold_start).toBe('none');
    expect(list.items.map((i) => i.track_id)).not.toContain('rx-techno2');
    expect(list.items.filter((i) => genreOf(i.track_id) === 'techno').length).toBeGreaterThanOrEqual(6);
    expect(list.items.filter((i) => i.reason === 'because you played "Strobe Hymn"').length).toBeGreaterThanOrEqual(3);
    for (const it of list.items) expect(it.reason).not.toContain(`"${TRACKS.find((t) => t.id === it.track_id)?.title}"`);
  });

  it('Should recommend a new track to listeners of its sound as soon as it is uploaded', async () => {
    const weeksAgo = Date.now() - 14 * DAY;
    await api('/v1/events', {
      body: {
        events: ['fx-t24', 'fx-t25', 'fx-t32', 'fx-t33', 'fx-t40'].map((t) =>
          event({ user_id: 'rx-u2', track_id: t, type: 'save', ts: weeksAgo }),
        ),
      },
    });
    const before = await recs('rx-u2', '?limit=30&max_per_artist=30&exploration=0&diversity=0');
    expect(before.items.map((i) => i.track_id)).not.toContain('rx-techno3');
    await upload([
      track('rx-techno3', 'rx-a3', {
        title: 'Fresh Pulse',
        genre: 'techno',
        tags: ['techno'],
        audio_features: TECHNO,
        release_date: new Date().toISOString().slice(0, 10),
      }),
    ]);
    const after = await recs('rx-u2', '?limit=30&max_per_artist=30&exploration=0&diversity=0');
    const fresh = after.items.find((i) => i.track_id === 'rx-techno3');
    expect(fresh?.source).toBe('content');
    expect(fresh?.reason).toMatch(/^new release like "/);
  });
});
