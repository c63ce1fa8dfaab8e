/**
 * Recommendations that react (issue 13): a track is recommendable and has neighbours the moment its
 * upload is acknowledged, and plays of tracks the model never saw fold into the listener's taste
 * through their content embedding.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { api, event, track } from '../helpers.ts';
import { artistOf, BUNDLES, genreOf, putCatalogue, type RecList, recs, TRACKS, uploadAndActivate } from './setup.ts';

const DAY = 86_400_000;
const TECHNO = { energy: 0.92, valence: 0.5, danceability: 0.85, acousticness: 0.02, instrumentalness: 0.8, tempo: 130 };

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

/** Saves `tracks` for `userId` two weeks ago: a settled taste. */
async function settledTaste(userId: string, tracks: string[]) {
  const weeksAgo = Date.now() - 14 * DAY;
  await api('/v1/events', {
    body: { events: tracks.map((t, k) => event({ user_id: userId, track_id: t, type: 'save', ts: weeksAgo + k * 1000 })) },
  });
}

const INDIE = ['fx-t0', 'fx-t1', 'fx-t2', 'fx-t8', 'fx-t9'];
const TECHNO_SAVED = ['fx-t24', 'fx-t25', 'fx-t32', 'fx-t33', 'fx-t40'];
const positionsOf = (list: RecList, genre: string) =>
  list.items.flatMap((it, p) => (genreOf(it.track_id) === genre ? [p] : [])).concat(list.items.length);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('The next list reflects the last event', () => {
  beforeAll(async () => {
    await putCatalogue();
    await uploadAndActivate(BUNDLES[0] as (typeof BUNDLES)[0]);
  });

  it('Should drop a skipped track and push its near neighbours down in the very next list', async () => {
    await settledTaste('rx-skip', [...INDIE, ...TECHNO_SAVED]);
    const query = '?limit=12&exploration=0&diversity=0&max_per_artist=12';
    const before = await recs('rx-skip', query);
    const skipped = before.items.find((i) => genreOf(i.track_id) === 'techno')?.track_id as string;
    expect(skipped).toBeDefined();
    await api('/v1/events', {
      body: { events: [event({ user_id: 'rx-skip', track_id: skipped, type: 'skip', ms_played: 4_000, ts: Date.now() - 30_000 })] },
    });
    const after = await recs('rx-skip', query);
    expect(after.items.map((i) => i.track_id)).not.toContain(skipped);
    // Its genre-mates (its nearest neighbours in this world) move down the list.
    expect(mean(positionsOf(after, 'techno'))).toBeGreaterThan(mean(positionsOf(before, 'techno')) + 1);
    expect(mean(positionsOf(after, 'indie'))).toBeLessThan(mean(positionsOf(before, 'indie')));
  });

  it("Should lift a saved track's neighbours in the very next list", async () => {
    await settledTaste('rx-save', [...INDIE, 'fx-t24']);
    const query = '?limit=12&exploration=0&diversity=0&max_per_artist=12';
    const before = await recs('rx-save', query);
    await api('/v1/events', {
      body: { events: [event({ user_id: 'rx-save', track_id: 'fx-t26', type: 'save', ts: Date.now() - 30_000 })] },
    });
    const after = await recs('rx-save', query);
    const techno = (l: RecList) => l.items.filter((i) => genreOf(i.track_id) === 'techno').length;
    expect(techno(after)).toBeGreaterThan(techno(before));
    expect(mean(positionsOf(after, 'techno'))).toBeLessThan(mean(positionsOf(before, 'techno')));
  });
});

describe('Familiar or new, and explicit no', () => {
  beforeAll(async () => {
    await putCatalogue();
    await uploadAndActivate(BUNDLES[0] as (typeof BUNDLES)[0]);
  });

  it('Should not re-serve tracks played in the last week by default, and fill a familiar share with favourites', async () => {
    const t = Date.now() - 2 * DAY;
    await api('/v1/events', {
      body: {
        events: INDIE.flatMap((id, k) => [
          event({ user_id: 'rx-fam', track_id: id, type: 'play_end', ms_played: 200_000, ts: t + k * 300_000 }),
          event({ user_id: 'rx-fam', track_id: id, type: 'save', ts: t + k * 300_000 + 1000 }),
        ]),
      },
    });
    const fresh = await recs('rx-fam', '?limit=10');
    for (const id of INDIE) expect(fresh.items.map((i) => i.track_id)).not.toContain(id);
    const mix = await recs('rx-fam', '?limit=10&familiar=0.5&exploration=0&max_per_artist=5');
    const favourites = mix.items.filter((i) => i.source === 'familiar');
    expect(favourites).toHaveLength(5);
    for (const f of favourites) {
      expect(INDIE).toContain(f.track_id);
      expect(f.reason).toBe('one of your favourites');
    }
    expect(mix.items.filter((i) => !INDIE.includes(i.track_id))).toHaveLength(5);
  });

  it('Should honour not_interested for a track and for an artist, and exclude_artists per request, until a save', async () => {
    await settledTaste('rx-no', INDIE);
    const query = '?limit=12&exploration=0&max_per_artist=12';
    const before = await recs('rx-no', query);
    const track = before.items[0]?.track_id as string;
    const ofArtist = before.items.find((i) => artistOf(i.track_id) !== artistOf(track))?.track_id as string;
    const artist = artistOf(ofArtist) as string;
    const now = Date.now();
    const res = await api('/v1/events', {
      body: {
        events: [
          event({ user_id: 'rx-no', track_id: track, type: 'not_interested', ts: now - 2000 }),
          event({ user_id: 'rx-no', track_id: ofArtist, type: 'not_interested_artist', ts: now - 1000 }),
        ],
      },
    });
    expect(res.status).toBe(200);
    const after = await recs('rx-no', query);
    expect(after.items.map((i) => i.track_id)).not.toContain(track);
    expect(after.items.filter((i) => artistOf(i.track_id) === artist)).toEqual([]);
    const other = artistOf(after.items[0]?.track_id as string) as string;
    const excluded = await recs('rx-no', `${query}&exclude_artists=${other}`);
    expect(excluded.items.some((i) => artistOf(i.track_id) === other)).toBe(false);
    const posted = await api('/v1/users/rx-no/recommendations', { body: { limit: 12, exclude_artists: [other] } });
    expect(((await posted.json()) as RecList).items.some((i) => artistOf(i.track_id) === other)).toBe(false);
    // A later save of the track forgives it.
    await api('/v1/events', { body: { events: [event({ user_id: 'rx-no', track_id: track, type: 'save', ts: now - 500 })] } });
    const forgiven = await recs('rx-no', `${query}&familiar=1`);
    expect(forgiven.items.map((i) => i.track_id)).toContain(track);
  });
});

describe('Context steers, and stays personal', () => {
  const AMBIENT_SAVED = ['fx-t48', 'fx-t49', 'fx-t56', 'fx-t57'];
  const energyOf = (id: string) => Number(TRACKS.find((t) => t.id === id)?.audio_features.energy ?? Number.NaN);
  const meanEnergy = (l: RecList) => mean(l.items.map((i) => energyOf(i.track_id)));
  const shared = (a: RecList, b: RecList) => a.items.filter((i) => b.items.some((j) => j.track_id === i.track_id)).length / a.items.length;

  beforeAll(async () => {
    await putCatalogue();
    await uploadAndActivate(BUNDLES[0] as (typeof BUNDLES)[0]);
    await settledTaste('rx-ctx', [...INDIE, ...TECHNO_SAVED, ...AMBIENT_SAVED]);
  });

  it('Should move energy between sleep and workout, change most of the list, and keep to the listener’s genres', async () => {
    const body = (context?: Record<string, unknown>) => ({
      body: { limit: 10, exploration: 0, max_per_artist: 4, ...(context ? { context } : {}) },
    });
    const post = async (context?: Record<string, unknown>) =>
      (await (await api('/v1/users/rx-ctx/recommendations', body(context))).json()) as RecList & { context: { from: string | null } };
    const plain = await post();
    const sleep = await post({ activity: 'sleep' });
    const workout = await post({ activity: 'workout' });
    expect(plain.context.from).toBeNull();
    expect(sleep.context.from).toBe('request');
    expect(meanEnergy(workout) - meanEnergy(sleep)).toBeGreaterThanOrEqual(0.25);
    for (const list of [sleep, workout]) {
      expect(shared(list, plain)).toBeLessThanOrEqual(0.5);
      // The listener never played hiphop: a context list stays within what they listen to.
      expect(list.items.filter((i) => genreOf(i.track_id) !== 'hiphop').length / list.items.length).toBeGreaterThanOrEqual(0.7);
    }
  });

  it('Should steer by the weather the app sends', async () => {
    const rain = await recs('rx-ctx', '?limit=10&exploration=0&max_per_artist=4&weather=rain');
    const hot = await recs('rx-ctx', '?limit=10&exploration=0&max_per_artist=4&weather=hot');
    expect(meanEnergy(hot)).toBeGreaterThan(meanEnergy(rain) + 0.1);
    const bad = await api('/v1/users/rx-ctx/recommendations?weather=tornado');
    expect(bad.status).toBe(400);
  });

  it("Should use the local time in the listener's time zone when no context is sent", async () => {
    const res = await api('/v1/users', { method: 'PUT', body: { users: [{ id: 'rx-ctx', timezone: 'Pacific/Kiritimati' }] } });
    expect(res.status).toBe(200);
    const list = (await recs('rx-ctx', '?limit=10')) as RecList & { context: { from: string | null } };
    expect(list.context.from).toBe('time_zone');
    const asked = (await recs('rx-ctx', '?limit=10&activity=focus')) as RecList & { context: { from: string | null } };
    expect(asked.context.from).toBe('request');
  });
});
