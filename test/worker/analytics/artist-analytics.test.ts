/**
 * Hand-computed metrics of fixture.ts for artist a over 2026-10-05…11 (before the late event):
 *   plays started 5 (t1: 4, t2: 1) · streams 3 (190 s, 50 s skip, 95 s) · completions 2 (190/200, 95/100)
 *   completion rate 2/5 · skip rate 1/5 (only the 10 s skip is before 30 s)
 *   saves net 1 (save+unsave t1, save t2) → 333.3 per 1 000 streams · playlist adds net 1 (2 adds − 1 remove)
 *   impressions 3 · reach 2 (u1, u3) · algorithmic streams 1 (rec r1) → conversion 1/3 · listeners 2 (u1, u2)
 *   previous period: 1 start, 1 stream, 0 completions, 1 listener.
 * The late event (u3 streams and completes t2 on D1) adds 1 start, 1 stream, 1 completion, 1 listener.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { api, type ErrorEnvelope, mintKey } from '../helpers.ts';
import { eventLog, lateEvents, PERIOD, seedCatalogue, seedImpressions, sendEvents, setTimezones } from './fixture.ts';

const P = 'aa';
const A = `${P}-a`;
const q = `from=${PERIOD.from}&to=${PERIOD.to}`;

interface MetricValue {
  value: number | null;
  previous: number | null;
  change: number | null;
}
interface Overview {
  metrics: Record<string, MetricValue>;
  period: { from: string; to: string };
  previous_period: { from: string; to: string };
}

async function json<T>(path: string, key?: string): Promise<T> {
  const res = await api(path, key === undefined ? {} : { key });
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

beforeAll(async () => {
  await seedCatalogue(P);
  const log = eventLog(P);
  await sendEvents(log);
  await sendEvents(log.slice(0, 6)); // a duplicated delivery must change nothing
  await seedImpressions(P);
  await setTimezones(P);
});

describe('Artist overview', () => {
  it('Should compute every metric of the fixed log, with the previous period and change', async () => {
    const body = await json<Overview>(`/v1/artists/${A}/overview?${q}`);
    expect(body.period).toEqual(PERIOD);
    expect(body.previous_period).toEqual({ from: '2026-09-28', to: '2026-10-04' });
    const v = Object.fromEntries(Object.entries(body.metrics).map(([k, m]) => [k, m.value]));
    expect(v).toEqual({
      streams: 3,
      listeners: 2,
      plays_started: 5,
      completion_rate: 0.4,
      skip_rate: 0.2,
      saves: 1,
      saves_per_1000_streams: expect.closeTo(333.333, 2),
      playlist_adds: 1,
      playlist_adds_per_1000_streams: expect.closeTo(333.333, 2),
      algorithmic_impressions: 3,
      algorithmic_reach: 2,
      algorithmic_streams: 1,
      conversion: expect.closeTo(1 / 3, 6),
    });
    expect(body.metrics.streams).toEqual({ value: 3, previous: 1, change: 2 });
    expect(body.metrics.listeners).toEqual({ value: 2, previous: 1, change: 1 });
    expect(body.metrics.completion_rate).toEqual({ value: 0.4, previous: 0, change: null });
  });

  it('Should count a late event once, however often it is delivered', async () => {
    const late = lateEvents(P);
    await sendEvents(late);
    await sendEvents(late);
    const body = await json<Overview>(`/v1/artists/${A}/overview?${q}`);
    expect(body.metrics.plays_started?.value).toBe(6);
    expect(body.metrics.streams?.value).toBe(4);
    expect(body.metrics.listeners?.value).toBe(3);
    expect(body.metrics.completion_rate?.value).toBe(0.5);
    expect(body.metrics.skip_rate?.value).toBeCloseTo(1 / 6, 9);
  });

  it('Should answer CSV when asked by query or Accept header', async () => {
    const byQuery = await api(`/v1/artists/${A}/overview?${q}&format=csv`);
    expect(byQuery.headers.get('content-type')).toMatch(/^text\/csv/);
    const text = await byQuery.text();
    expect(text.split('\r\n')[0]).toBe('metric,label,value,previous,change');
    expect(text).toContain('\r\nstreams,Streams,4,1,3\r\n');
    const byAccept = await api(`/v1/artists/${A}/overview?${q}`, { headers: { accept: 'text/csv' } });
    expect(await byAccept.text()).toBe(text);
  });
});

describe('Artist timeseries', () => {
  it('Should give one point per day with no gaps', async () => {
    const body = await json<{ points: { date: string; value: number | null }[] }>(`/v1/artists/${A}/timeseries?${q}&metric=streams`);
    expect(body.points).toHaveLength(7);
    // D1: 190 s play, 50 s skip, late 100 s play; D2: 95 s play
    expect(body.points.slice(0, 3)).toEqual([
      { date: '2026-10-05', value: 3 },
      { date: '2026-10-06', value: 1 },
      { date: '2026-10-07', value: 0 },
    ]);
  });

  it('Should bucket by ISO week and count listeners distinct per bucket', async () => {
    const body = await json<{ points: { date: string; value: number | null }[] }>(
      `/v1/artists/${A}/timeseries?from=2026-09-28&to=2026-10-11&metric=listeners&granularity=week`,
    );
    expect(body.points).toEqual([
      { date: '2026-09-28', value: 1 },
      { date: '2026-10-05', value: 3 },
    ]);
  });

  it('Should answer CSV', async () => {
    const res = await api(`/v1/artists/${A}/timeseries?${q}&metric=completion_rate&format=csv`);
    const lines = (await res.text()).trim().split('\r\n');
    expect(lines[0]).toBe('date,value');
    expect(lines[1]).toBe('2026-10-05,0.5'); // D1: starts 3 + late 1 = 4; completions 190 s + late = 2
    expect(lines[3]).toBe('2026-10-07,'); // nothing started: no rate
  });
});

describe('Artist tracks', () => {
  it('Should list every track sorted by the requested column', async () => {
    const body = await json<{ tracks: { track_id: string; streams: number; completion_rate: number | null; skip_rate: number | null }[] }>(
      `/v1/artists/${A}/tracks?${q}&sort=completion_rate&order=desc`,
    );
    expect(body.tracks.map((t) => t.track_id)).toEqual([`${P}-t2`, `${P}-t1`]);
    expect(body.tracks[0]).toMatchObject({ streams: 2, completion_rate: 1, skip_rate: 0 });
    expect(body.tracks[1]).toMatchObject({ streams: 2, completion_rate: 0.25, skip_rate: 0.25 });
  });

  it('Should give a track its skip positions in tenths and its source mix', async () => {
    const body = await json<{
      skip_positions: { bin: number; skips: number }[];
      source_mix: { source: string; streams: number; share: number }[];
    }>(`/v1/artists/${A}/tracks/${P}-t1?${q}`);
    // skips at 10 s and 50 s of 200 s: tenths 0 and 2
    expect(body.skip_positions.map((b) => b.skips)).toEqual([1, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
    expect(body.source_mix).toEqual([
      { source: 'algorithmic', streams: 1, share: 0.5 },
      { source: 'unknown', streams: 1, share: 0.5 },
    ]);
  });

  it("Should give the artist's source mix as the sum of its tracks' source mixes", async () => {
    type Mix = { source: string; streams: number; share: number }[];
    const overview = await json<{ metrics: { streams: { value: number } }; source_mix: Mix }>(`/v1/artists/${A}/overview?${q}`);
    const tracks = await json<{ tracks: { track_id: string }[] }>(`/v1/artists/${A}/tracks?${q}`);
    const summed = new Map<string, number>();
    for (const t of tracks.tracks) {
      const detail = await json<{ source_mix: Mix }>(`/v1/artists/${A}/tracks/${t.track_id}?${q}`);
      for (const s of detail.source_mix) summed.set(s.source, (summed.get(s.source) ?? 0) + s.streams);
    }
    expect(Object.fromEntries(overview.source_mix.map((s) => [s.source, s.streams]))).toEqual(Object.fromEntries(summed));
    expect(overview.source_mix.reduce((n, s) => n + s.streams, 0)).toBe(overview.metrics.streams.value);
    expect(overview.source_mix.reduce((n, s) => n + s.share, 0)).toBeCloseTo(1, 9);
  });

  it('Should answer the track table as CSV', async () => {
    const res = await api(`/v1/artists/${A}/tracks?${q}&sort=title&order=asc`, { headers: { accept: 'text/csv' } });
    const lines = (await res.text()).trim().split('\r\n');
    expect(lines[0]?.startsWith('track_id,title,duration_ms,streams')).toBe(true);
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual([`${P}-t1`, `${P}-t2`]);
  });

  it('Should answer 404 for a track of another artist', async () => {
    const res = await api(`/v1/artists/${A}/tracks/${P}-t3?${q}`);
    expect(res.status).toBe(404);
  });
});

describe('Artist audience', () => {
  it('Should place streams on the listener’s local clock and split new from returning listeners', async () => {
    const body = await json<{
      listeners: number;
      new_listeners: number;
      returning_listeners: number;
      tiers: { tier: string; listeners: number }[];
      clock: { weekday: number; hour: number; streams: number }[];
    }>(`/v1/artists/${A}/audience?${q}`);
    expect(body.clock).toHaveLength(168);
    const lit = body.clock.filter((c) => c.streams > 0);
    // u1 10:00Z in New York (UTC−4) = Monday 06; u2 Monday 12 and Tuesday 09 UTC; u3 Monday 20 UTC
    expect(lit).toEqual([
      { weekday: 0, hour: 6, streams: 1 },
      { weekday: 0, hour: 12, streams: 1 },
      { weekday: 0, hour: 20, streams: 1 },
      { weekday: 1, hour: 9, streams: 1 },
    ]);
    expect(body).toMatchObject({ listeners: 3, new_listeners: 2, returning_listeners: 1 });
    expect(body.tiers.find((t) => t.tier === 'light')?.listeners).toBe(3);
  });
});

describe('Artist reach', () => {
  it('Should give the funnel by surface and reach per day', async () => {
    const body = await json<{
      reach: number;
      funnel: { surface: string; impressions: number; streams: number; saves: number }[];
      series: { date: string; impressions: number; reach: number }[];
    }>(`/v1/artists/${A}/reach?${q}`);
    expect(body.reach).toBe(2);
    expect(body.funnel).toEqual([
      { surface: 'home', impressions: 2, streams: 1, saves: 0, conversion: 0.5 },
      { surface: 'daily_mix', impressions: 1, streams: 0, saves: 0, conversion: 0 },
    ]);
    expect(body.series.slice(0, 2)).toEqual([
      { date: '2026-10-05', impressions: 2, reach: 1, algorithmic_streams: 1 },
      { date: '2026-10-06', impressions: 1, reach: 1, algorithmic_streams: 0 },
    ]);
  });
});

describe('Analytics scoping and parameters', () => {
  it('Should let an artist key read only its bound artists, whatever the URL says', async () => {
    const key = await mintKey('artist', [A]);
    expect((await api(`/v1/artists/${A}/overview?${q}`, { key })).status).toBe(200);
    for (const path of [
      `/v1/artists/${P}-b/overview`,
      `/v1/artists/${P}-b/tracks/${P}-t3`,
      `/v1/artists/${P}-b/audience`,
      `/v1/artists/nope/reach`,
    ]) {
      const res = await api(path, { key });
      expect(res.status, path).toBe(403);
      expect(((await res.json()) as ErrorEnvelope).error.code).toBe('forbidden');
    }
  });

  it('Should let a marketer read the analytics of its roster only', async () => {
    const key = await mintKey('marketer', [A]);
    expect((await api(`/v1/artists/${A}/tracks?${q}`, { key })).status).toBe(200);
    expect((await api(`/v1/artists/${P}-b/tracks?${q}`, { key })).status).toBe(403);
  });

  it('Should refuse app keys', async () => {
    const key = await mintKey('app');
    expect((await api(`/v1/artists/${A}/overview`, { key })).status).toBe(403);
  });

  it('Should answer 404 for an unknown artist to an admin', async () => {
    expect((await api('/v1/artists/nobody/overview')).status).toBe(404);
  });

  it('Should reject bad parameters with the field path', async () => {
    const cases: [string, string][] = [
      [`/v1/artists/${A}/overview?from=2026-13-01`, 'query.from'],
      [`/v1/artists/${A}/overview?from=2026-10-11&to=2026-10-01`, 'query.from'],
      [`/v1/artists/${A}/timeseries?metric=vibes`, 'query.metric'],
      [`/v1/artists/${A}/timeseries?granularity=month`, 'query.granularity'],
      [`/v1/artists/${A}/tracks?sort=colour`, 'query.sort'],
      [`/v1/artists/${A}/overview?from=2020-01-01&to=2026-01-01`, 'query.from'],
      [`/v1/artists/${A}/overview?from=0000-01-01&to=0000-01-05`, 'query.from'],
      [`/v1/artists/${A}/overview?from=9999-12-25&to=9999-12-31`, 'query.to'],
      [`/v1/artists/${A}/timeseries?from=1999-12-31`, 'query.from'],
    ];
    for (const [path, field] of cases) {
      const res = await api(path);
      expect(res.status, path).toBe(400);
      const body = (await res.json()) as ErrorEnvelope;
      expect(body.error.details?.issues?.map((i) => i.path)).toContain(field);
    }
  });
});

describe('OpenAPI document', () => {
  it('Should describe every analytics, segment and campaign route with named response schemas', async () => {
    const doc = (await (await api('/v1/openapi.json', { key: null })).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }> }>>;
      components: { schemas: Record<string, unknown> };
    };
    const expected: [string, string, string][] = [
      ['/v1/artists/{id}/overview', 'get', 'ArtistOverview'],
      ['/v1/artists/{id}/timeseries', 'get', 'ArtistTimeseries'],
      ['/v1/artists/{id}/tracks', 'get', 'ArtistTrackTable'],
      ['/v1/artists/{id}/tracks/{trackId}', 'get', 'TrackDetail'],
      ['/v1/artists/{id}/audience', 'get', 'ArtistAudience'],
      ['/v1/artists/{id}/reach', 'get', 'ArtistReach'],
      ['/v1/segments/estimate', 'post', 'SegmentEstimate'],
      ['/v1/segments', 'post', 'Segment'],
      ['/v1/segments', 'get', 'SegmentList'],
      ['/v1/campaigns', 'post', 'Campaign'],
      ['/v1/campaigns/{id}/report', 'get', 'CampaignReport'],
      ['/v1/admin/analytics/refresh', 'post', 'AnalyticsRefreshResult'],
    ];
    for (const [path, method, name] of expected) {
      const responses = doc.paths[path]?.[method]?.responses ?? {};
      const ok = responses['200'] ?? responses['201'];
      expect(ok?.content?.['application/json']?.schema.$ref, `${method} ${path}`).toBe(`#/components/schemas/${name}`);
      expect(doc.components.schemas[name], name).toBeDefined();
    }
  });
});
