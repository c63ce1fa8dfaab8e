/**
 * Release benchmark, audience depth and the per-track timeline from real events (the hourly curve
 * and "programmed" listeners read the raw events of the hot window), and the scoping of every route.
 */
import { env } from 'cloudflare:workers';
import type { z } from '@hono/zod-openapi';
import { beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS } from '../../../contract/events.ts';
import { dayToIso, epochDay } from '../../../worker/analytics/period.ts';
import type { AudienceDepthSchema, BenchmarkSchema } from '../../../worker/schemas/insights.ts';
import { api, type ErrorEnvelope, mintKey, settleRollups } from '../helpers.ts';

const P = 'id';
const A = `${P}-a`;
const B = `${P}-b`;
const today = epochDay(Date.now());
const dayIso = (daysAgo: number) => dayToIso(today - daysAgo);
/** ts of `hour` o'clock (UTC), `daysAgo` days before today. */
const at = (daysAgo: number, hour: number, minute = 0) => (today - daysAgo) * DAY_MS + hour * 3_600_000 + minute * 60_000;

let n = 0;
function stream(user: string, trackId: string, ts: number, context?: Record<string, unknown>) {
  n += 1;
  return {
    event_id: `${P}-e${n}`,
    user_id: `${P}-${user}`,
    track_id: `${P}-${trackId}`,
    type: 'play_end',
    ts,
    ms_played: 200_000,
    ...(context ? { context } : {}),
  };
}
function save(user: string, trackId: string, ts: number) {
  n += 1;
  return { event_id: `${P}-e${n}`, user_id: `${P}-${user}`, track_id: `${P}-${trackId}`, type: 'save', ts };
}
const times = (k: number, f: (i: number) => object) => Array.from({ length: k }, (_, i) => f(i));

async function send(events: object[]) {
  for (let i = 0; i < events.length; i += 500) {
    const res = await api('/v1/events', { body: { events: events.slice(i, i + 500) } });
    if (res.status !== 200) throw new Error(`events: ${res.status} ${await res.text()}`);
  }
}

const trackOf = (id: string, artist: string, releaseDaysAgo: number | null) => ({
  id: `${P}-${id}`,
  title: `Song ${id}`,
  artist: { id: artist, name: `Artist ${artist}` },
  duration_ms: 200_000,
  ...(releaseDaysAgo === null ? {} : { release_date: dayIso(releaseDaysAgo) }),
});

let artistKey = '';

beforeAll(async () => {
  const res = await api('/v1/tracks', {
    method: 'PUT',
    body: {
      tracks: [trackOf('old1', A, 20), trackOf('old2', A, 13), trackOf('new', A, 2), trackOf('never', A, null), trackOf('other', B, 5)],
    },
  });
  if (res.status !== 200) throw new Error(`tracks: ${res.status} ${await res.text()}`);
  const users = await api('/v1/users', {
    method: 'PUT',
    body: {
      users: [
        { id: `${P}-u1`, country: 'DE' },
        { id: `${P}-u2`, country: 'FR' },
        { id: `${P}-u3`, country: 'DE' },
      ],
    },
  });
  if (users.status !== 200) throw new Error(`users: ${users.status} ${await users.text()}`);
  await send([
    // old1: 4 streams in hour 1 of its release day, 2 on its third day → daily 4, 4, 6, …; hourly 0, 4, 4, …
    ...times(4, (i) => stream('u9', 'old1', at(20, 1, i))),
    ...times(2, (i) => stream('u9', 'old1', at(18, 10, i))),
    // old2: 8 in hour 3 of its release day, 4 on its second → daily 8, 12, 12, …
    ...times(8, (i) => stream('u8', 'old2', at(13, 3, i))),
    ...times(4, (i) => stream('u8', 'old2', at(12, 10, i))),
    // new (released 2 days ago): 12 streams in hour 2 of its first day.
    ...times(12, (i) => stream('u7', 'new', at(2, 2, i))),
    // B's track: never part of A's numbers.
    ...times(30, (i) => stream('u1', 'other', at(3, 4, i))),
    // Audience, over the last 28 days (with u7, u8, u9 above):
    // u1 (DE): 3 streams on two days and a save → moderate, saver, repeat listener.
    stream('u1', 'old1', at(5, 9)),
    stream('u1', 'old1', at(4, 9)),
    stream('u1', 'old2', at(4, 10)),
    save('u1', 'old1', at(4, 11)),
    // u2 (FR): one stream, from a recommendation → light, programmed.
    stream('u2', 'old2', at(6, 12), { source: 'algorithmic', rec_id: `${P}-r1`, surface: 'home' }),
    // u3 (DE): 12 completed streams and a save on one day → super, saver, not a repeat listener.
    ...times(12, (i) => stream('u3', 'new', at(1, 8, i))),
    save('u3', 'new', at(1, 9)),
  ]);
  await settleRollups();
  // u0 listened 60 days ago (before the hot window): previously active.
  await env.DB.prepare(
    `INSERT INTO artist_user_daily (artist_id, day, user_id, plays, streams, completions, saves, unsaves, impressions)
     VALUES (?1, ?2, ?3, 1, 1, 1, 0, 0, 0)`,
  )
    .bind(A, today - 60, `${P}-u0`)
    .run();
  artistKey = await mintKey('artist', [A]);
});

describe('Release benchmark', () => {
  it("Should set a release's first 24 h and 7 days against the median of the artist's earlier releases", async () => {
    const res = await api(`/v1/artists/${A}/tracks/${P}-new/benchmark`, { key: artistKey });
    expect(res.status).toBe(200);
    const body = (await res.json()) as z.infer<typeof BenchmarkSchema>;
    expect(body).toMatchObject({ release_date: dayIso(2), release_basis: 'release_date', releases_compared: { daily: 2, hourly: 2 } });
    // Typical: median of old1 [4, 4, 6, 6, 6, 6, 6] and old2 [8, 12, 12, 12, 12, 12, 12].
    expect(body.daily.map((p) => p.typical)).toEqual([6, 8, 9, 9, 9, 9, 9]);
    // The new one: 12 on its first day, u3's 12 on its second; today is its third day, later days are still to come.
    expect(body.daily.map((p) => p.streams)).toEqual([12, 24, 24, null, null, null, null]);
    // Hours (cumulative): old1 has 4 from hour 2 on, old2 8 from hour 4 on, the new one 12 from hour 3 on.
    expect(body.hourly?.slice(0, 5).map((p) => p.typical)).toEqual([0, 2, 2, 6, 6]);
    expect(body.hourly?.slice(0, 5).map((p) => p.streams)).toEqual([0, 0, 12, 12, 12]);
    expect(body.first_24h).toEqual({ streams: 12, typical: 6, ratio: 2 });
    expect(body.first_7d).toEqual({ streams: null, typical: 9, ratio: null });
    expect(body.sentence).toBe('12 streams in the first 24 hours: 2.0× your typical release (6, median of 2).');
  });

  it('Should answer 404 for a track with no release date that was never streamed', async () => {
    const res = await api(`/v1/artists/${A}/tracks/${P}-never/benchmark`, { key: artistKey });
    expect(res.status).toBe(404);
    expect(((await res.json()) as ErrorEnvelope).error.code).toBe('release_not_found');
  });
});

describe('Audience depth', () => {
  it('Should give countries, segments with their share of streams, and the listener → saver → repeat funnel', async () => {
    const res = await api(`/v1/artists/${A}/insights/audience?from=${dayIso(7)}&to=${dayIso(0)}`, { key: artistKey });
    expect(res.status).toBe(200);
    const body = (await res.json()) as z.infer<typeof AudienceDepthSchema>;
    // Last 8 days: u1 3 streams, u2 1, u3 12, u7 12 (the new release) → 4 listeners, 28 streams.
    expect(body).toMatchObject({ listeners: 4, streams: 28 });
    expect(body.countries).toEqual([
      { country: 'DE', listeners: 2, streams: 15, listener_share: 0.5, stream_share: 15 / 28 },
      { country: 'unknown', listeners: 1, streams: 12, listener_share: 0.25, stream_share: 12 / 28 },
      { country: 'FR', listeners: 1, streams: 1, listener_share: 0.25, stream_share: 1 / 28 },
    ]);
    const seg = Object.fromEntries(body.segments.map((s) => [s.segment, s]));
    expect(seg.super).toMatchObject({ listeners: 1, streams: 12, stream_share: 12 / 28 });
    expect(seg.moderate).toMatchObject({ listeners: 2, streams: 15 }); // u1 (3 streams) and u7 (12 streams, no save)
    expect(seg.light).toMatchObject({ listeners: 1, streams: 1, stream_share: 1 / 28 });
    expect(seg.programmed).toMatchObject({ listeners: 1, streams: 1, stream_share: 1 / 28 });
    // u8 and u9 listened before this period (and u0 60 days ago), not in it.
    expect(seg.previously_active).toMatchObject({ listeners: 3, streams: 0 });
    expect(body.funnel).toEqual([
      { step: 'listeners', users: 4, rate: null },
      { step: 'savers', users: 2, rate: 0.5 },
      { step: 'repeat_listeners', users: 1, rate: 0.5 },
    ]);
  });
});

describe('Track timeline', () => {
  it('Should give one track day by day with no gaps', async () => {
    const res = await api(`/v1/artists/${A}/tracks/${P}-old1/timeline?from=${dayIso(20)}&to=${dayIso(17)}`, { key: artistKey });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { points: { date: string; streams: number; completions: number }[] };
    expect(body.points.map((p) => [p.date, p.streams, p.completions])).toEqual([
      [dayIso(20), 4, 4],
      [dayIso(19), 0, 0],
      [dayIso(18), 2, 2],
      [dayIso(17), 0, 0],
    ]);
  });
});

describe('Insights scoping', () => {
  const artistRoutes = (id: string) => [
    `/v1/artists/${id}/insights/reach`,
    `/v1/artists/${id}/insights/audience`,
    `/v1/artists/${id}/alerts`,
    `/v1/artists/${id}/webhooks`,
    `/v1/artists/${id}/webhooks/deliveries`,
  ];

  it('Should answer an artist outside the key’s binding exactly as one that does not exist', async () => {
    const missingRoutes = artistRoutes(`${P}-nobody`);
    for (const [i, foreign] of artistRoutes(B).entries()) {
      const missing = missingRoutes[i] ?? '';
      const f = await api(foreign, { key: artistKey });
      const m = await api(missing, { key: artistKey });
      expect([foreign, f.status]).toEqual([foreign, 403]);
      expect(await f.json()).toEqual(JSON.parse((await m.text()).replaceAll(`${P}-nobody`, B)));
    }
    const admin = await api(`/v1/artists/${P}-nobody/insights/reach`);
    expect(admin.status).toBe(404);
    expect(((await admin.json()) as ErrorEnvelope).error.code).toBe('artist_not_found');
  });

  it("Should answer another artist's track under the key's artist exactly as a missing track", async () => {
    for (const sub of ['benchmark', 'timeline']) {
      const foreign = await api(`/v1/artists/${A}/tracks/${P}-other/${sub}`, { key: artistKey });
      const missing = await api(`/v1/artists/${A}/tracks/${P}-none/${sub}`, { key: artistKey });
      expect([foreign.status, missing.status]).toEqual([404, 404]);
      expect(((await foreign.json()) as ErrorEnvelope).error.code).toBe('track_not_found');
      expect(((await missing.json()) as ErrorEnvelope).error.code).toBe('track_not_found');
    }
  });

  it('Should refuse app and editor keys, and the alert run to anyone but an admin', async () => {
    for (const role of ['app', 'editor'] as const) {
      const key = await mintKey(role);
      expect((await api(`/v1/artists/${A}/alerts`, { key })).status).toBe(403);
    }
    expect((await api('/v1/admin/insights/alerts/run', { key: artistKey, body: {} })).status).toBe(403);
  });
});
