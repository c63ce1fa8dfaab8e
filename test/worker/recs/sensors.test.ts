/**
 * Context from sensors (issue 18, item 4): mood, heart rate and motion, derived on the device, steer
 * the list toward audio-feature targets beside activity and weather (worker/recs/context.ts).
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { contextTargets } from '../../../worker/recs/context.ts';
import { api, type ErrorEnvelope, event, settleRollups } from '../helpers.ts';
import { BUNDLES, putCatalogue, type RecList, recs, TRACKS, uploadAndActivate } from './setup.ts';

const DAY = 86_400_000;
/** Indie, techno and ambient saved two weeks ago: a listener whose own tracks span calm to driving. */
const TASTE = [
  'fx-t0',
  'fx-t1',
  'fx-t2',
  'fx-t8',
  'fx-t9',
  'fx-t24',
  'fx-t25',
  'fx-t32',
  'fx-t33',
  'fx-t40',
  'fx-t48',
  'fx-t49',
  'fx-t56',
  'fx-t57',
];
const USER = 'sn-u1';
const QUERY = '?limit=10&exploration=0&max_per_artist=4';

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const featureOf = (id: string, f: 'energy' | 'valence' | 'tempo') =>
  Number((TRACKS.find((t) => t.id === id)?.audio_features as Record<string, number> | undefined)?.[f] ?? Number.NaN);
const meanOf = (l: RecList, f: 'energy' | 'valence' | 'tempo') => mean(l.items.map((i) => featureOf(i.track_id, f)));
const post = (context: Record<string, unknown>) => recs(USER, '', { body: { limit: 10, exploration: 0, max_per_artist: 4, context } });

describe('Context from sensors', () => {
  beforeAll(async () => {
    await putCatalogue();
    await uploadAndActivate(BUNDLES[0] as (typeof BUNDLES)[0]);
    const weeksAgo = Date.now() - 14 * DAY;
    const res = await api('/v1/events', {
      body: { events: TASTE.map((t, k) => event({ user_id: USER, track_id: t, type: 'save', ts: weeksAgo + k * 1000 })) },
    });
    expect(res.status).toBe(200);
  });

  it('Should answer 400 naming the field for bad sensor values, on GET and POST', async () => {
    const cases: Array<[string, unknown, string]> = [
      ['?heart_rate=20', undefined, 'query.heart_rate'],
      ['?heart_rate=fast', undefined, 'query.heart_rate'],
      ['?heart_rate=120&resting_heart_rate=150', undefined, 'query.resting_heart_rate'],
      ['?mood_valence=1.5', undefined, 'query.mood_valence'],
      ['?mood_arousal=-0.2', undefined, 'query.mood_arousal'],
      ['?motion=flying', undefined, 'query.motion'],
      ['', { context: { heart_rate: 300 } }, 'json.context.heart_rate'],
      ['', { context: { heart_rate: '120' } }, 'json.context.heart_rate'],
      ['', { context: { resting_heart_rate: 10 } }, 'json.context.resting_heart_rate'],
      ['', { context: { mood: { valence: 2 } } }, 'json.context.mood.valence'],
      ['', { context: { mood: { valence: 0.5, joy: 1 } } }, 'json.context.mood.joy'],
      ['', { context: { motion: 'cycling' } }, 'json.context.motion'],
      ['', { context: { accelerometer: [0.1, 9.8, 0.2] } }, 'json.context.accelerometer'],
    ];
    for (const [query, body, path] of cases) {
      const res = await api(`/v1/users/${USER}/recommendations${query}`, body === undefined ? {} : { body });
      expect(res.status, `${query} ${JSON.stringify(body)}`).toBe(400);
      const issues = ((await res.json()) as ErrorEnvelope).error.details?.issues?.map((i) => i.path);
      expect(issues, `${query} ${JSON.stringify(body)}`).toContain(path);
    }
  });

  it('Should raise the tempo and energy of the list with the heart rate', async () => {
    const calm = await recs(USER, `${QUERY}&heart_rate=70&resting_heart_rate=60`);
    const racing = await recs(USER, `${QUERY}&heart_rate=170&resting_heart_rate=60`);
    expect((calm as RecList & { context: { from: string | null } }).context.from).toBe('request');
    expect(meanOf(racing, 'tempo')).toBeGreaterThan(meanOf(calm, 'tempo') + 10);
    expect(meanOf(racing, 'energy')).toBeGreaterThan(meanOf(calm, 'energy') + 0.2);
  });

  it('Should follow the mood: valence to valence, arousal to energy', async () => {
    const sad = await post({ mood: { valence: 0.1 } });
    const glad = await post({ mood: { valence: 0.9 } });
    expect(meanOf(glad, 'valence')).toBeGreaterThan(meanOf(sad, 'valence') + 0.05);
    const sleepy = await recs(USER, `${QUERY}&mood_arousal=0.1`);
    const excited = await recs(USER, `${QUERY}&mood_arousal=0.9`);
    expect(meanOf(excited, 'energy')).toBeGreaterThan(meanOf(sleepy, 'energy') + 0.2);
  });

  it('Should serve a running listener higher energy and tempo than a still one', async () => {
    const still = await post({ motion: 'still' });
    const running = await post({ motion: 'running' });
    expect(meanOf(running, 'energy')).toBeGreaterThan(meanOf(still, 'energy') + 0.2);
    expect(meanOf(running, 'tempo')).toBeGreaterThan(meanOf(still, 'tempo'));
  });

  it('Should keep a request without sensor signals as it was, on GET and POST alike', async () => {
    // No context and no time zone: nothing steers the list, even though GET reads the sensor parameters.
    const plain = (await recs(USER, QUERY)) as RecList & { context: { from: string | null } };
    expect(plain.context.from).toBeNull();
    const got = await recs(USER, `${QUERY}&activity=focus&weather=rain`);
    const posted = await post({ activity: 'focus', weather: 'rain' });
    expect(got.items.map((i) => i.track_id)).toEqual(posted.items.map((i) => i.track_id));
    // The targets of a context without sensors are the activity's, with the weather filling the rest.
    const focus = contextTargets({ activity: 'focus', weather: 'rain' });
    expect(focus).toEqual({
      targets: { energy: 0.35, instrumentalness: 0.8, speechiness: 0.03, valence: 0.45, loudness: 0.6, acousticness: 0.6 },
      strength: 2,
      activity: 'focus',
    });
    // Absent sensor fields, as GET passes them, change nothing.
    const absent = { mood: undefined, heart_rate: undefined, resting_heart_rate: undefined, motion: undefined };
    expect(contextTargets({ activity: 'focus', weather: 'rain', ...absent })).toEqual(focus);
    expect(contextTargets({ hour: 3, ...absent })).toEqual(contextTargets({ hour: 3 }));
    expect(contextTargets({ mood: {} })).toBeNull();
  });

  it('Should combine sensors with an activity as a weighted mean, the chosen activity weighing most', () => {
    const workout = contextTargets({ activity: 'workout' });
    const both = contextTargets({ activity: 'workout', motion: 'still', heart_rate: 70, resting_heart_rate: 60 });
    expect(both?.activity).toBe('workout');
    expect(both?.strength).toBe(2);
    // Energy: workout 0.9 (weight 2), still 0.4 (1), heart rate 0.15 + 0.8 × 10/130 (1).
    expect(both?.targets.energy).toBeCloseTo((2 * 0.9 + 0.4 + (0.15 + (0.8 * 10) / 130)) / 4, 6);
    expect(both?.targets.energy).toBeLessThan(workout?.targets.energy as number);
    expect(both?.targets.energy).toBeGreaterThan(0.5);
    // Features only the activity sets keep its target.
    expect(both?.targets.valence).toBe(workout?.targets.valence);
    // High arousal while running: high energy at a tempo near the cadence (~170 BPM).
    const run = contextTargets({ motion: 'running', mood: { arousal: 0.9 } });
    expect(run?.activity).toBeNull();
    expect(run?.targets.energy).toBeGreaterThan(0.8);
    expect(40 + 160 * (run?.targets.tempo as number)).toBeGreaterThan(150);
  });
  it('Should never store mood or heart rate in the impression log, only that they were present', async () => {
    const list = await post({ mood: { valence: 0.8, arousal: 0.7 }, heart_rate: 150, resting_heart_rate: 55, motion: 'running' });
    // The list is logged after the response (waitUntil): wait for its row.
    let row: { context: string } | null = null;
    for (let i = 0; i < 50 && !row; i++) {
      await settleRollups();
      row = await env.DB.prepare('SELECT context FROM rec_lists WHERE rec_id = ?1').bind(list.rec_id).first<{ context: string }>();
    }
    const logged = JSON.parse(row?.context ?? 'null') as Record<string, unknown>;
    expect(logged).not.toHaveProperty('mood');
    expect(logged).not.toHaveProperty('heart_rate');
    expect(logged).not.toHaveProperty('resting_heart_rate');
    expect(logged.sensors).toEqual(['mood', 'heart_rate']);
    expect(logged.motion).toBe('running');
  });
});
