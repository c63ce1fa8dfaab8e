/**
 * Segments and campaigns on a log relative to now (segment windows end today):
 *   cu1 completes t1 3× (never saves) → completed_not_saved; cu2 the same but saved once (then unsaved) → out;
 *   cu3 completes twice → out; lu1 streamed 4× 40 days ago → lapsed; su1 streams 5× and saves → super;
 *   lk1 streams a track of another artist with artist a's genre and sound → nearest lookalike; lk2 plays
 *   something else; hu0…hu39 complete t1 once (a campaign audience big enough to split).
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { activeBoostsForUser } from '../../../worker/campaigns/boosts.ts';
import { isHoldout } from '../../../worker/campaigns/holdout.ts';
import { createDb } from '../../../worker/db/client.ts';
import { api, type ErrorEnvelope, mintKey, settleRollups, track } from '../helpers.ts';

const P = 'sg';
const DAY = 86_400_000;
const now = Date.now();
const A = `${P}-a`;
const B = `${P}-b`;
const HU = Array.from({ length: 40 }, (_, i) => `${P}-hu${String(i).padStart(2, '0')}`);

let n = 0;
function ev(user: string, trackId: string, type: string, ts: number, ms?: number) {
  n += 1;
  return { event_id: `${P}-e${n}`, user_id: user, track_id: `${P}-${trackId}`, type, ts, ...(ms === undefined ? {} : { ms_played: ms }) };
}
/** A completed play (start + end at 190 s of 200 s). */
const complete = (user: string, trackId: string, ts: number) => [
  ev(user, trackId, 'play_start', ts),
  ev(user, trackId, 'play_end', ts + 190_000, 190_000),
];

async function send(events: unknown[]) {
  for (let i = 0; i < events.length; i += 500) {
    const res = await api('/v1/events', { body: { events: events.slice(i, i + 500) } });
    if (res.status !== 200) throw new Error(`events: ${res.status} ${await res.text()}`);
  }
  await settleRollups();
}

beforeAll(async () => {
  const sound = { energy: 0.2, valence: 0.3, tempo: 80, acousticness: 0.9 };
  const res = await api('/v1/tracks', {
    method: 'PUT',
    body: {
      tracks: [
        track(`${P}-t1`, A, { genre: 'sg-folk', audio_features: sound }),
        track(`${P}-t2`, A, { genre: 'sg-folk', audio_features: sound }),
        track(`${P}-t3`, B, { genre: 'sg-metal', audio_features: { energy: 0.95, valence: 0.2, tempo: 170, acousticness: 0.01 } }),
        track(`${P}-t4`, `${P}-c`, { genre: 'sg-folk', audio_features: sound }),
      ],
    },
  });
  expect(res.status).toBe(200);
  const recent = (d: number) => now - d * DAY;
  await send([
    ...[1, 2, 3].flatMap((d) => complete(`${P}-cu1`, 't1', recent(d))),
    ...[1, 2, 3].flatMap((d) => complete(`${P}-cu2`, 't1', recent(d))),
    ev(`${P}-cu2`, 't2', 'save', recent(50)),
    ev(`${P}-cu2`, 't2', 'unsave', recent(49)),
    ...[1, 2].flatMap((d) => complete(`${P}-cu3`, 't1', recent(d))),
    ...[40, 41, 42, 43].flatMap((d) => complete(`${P}-lu1`, 't1', recent(d))),
    ...[1, 2, 3, 4, 5].flatMap((d) => complete(`${P}-su1`, 't2', recent(d))),
    ev(`${P}-su1`, 't2', 'save', recent(2)),
    ...complete(`${P}-lk1`, 't4', recent(3)),
    ...complete(`${P}-lk2`, 't3', recent(3)),
    ...HU.flatMap((u) => complete(u, 't1', recent(4))),
  ]);
});

interface Segment {
  id: string;
  size: number;
  artist_id: string;
}

async function createSegment(rule: Record<string, unknown>, key?: string): Promise<Segment> {
  const res = await api('/v1/segments', { body: { name: `seg ${rule.type}`, rule }, ...(key ? { key } : {}) });
  if (res.status !== 201) throw new Error(`segment: ${res.status} ${await res.text()}`);
  return (await res.json()) as Segment;
}

async function exportIds(id: string): Promise<string[]> {
  const res = await api(`/v1/segments/${id}/export`);
  expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
  const [header, ...rows] = (await res.text()).trim().split('\r\n');
  expect(header).toBe('pseudonymous_id');
  return rows;
}

describe('Segments', () => {
  it('Should select listeners who completed ≥ N tracks but never saved', async () => {
    const rule = { type: 'completed_not_saved', artist_id: A, min_completions: 3, window_days: 28 };
    const est = await api('/v1/segments/estimate', { body: { rule } });
    const body = (await est.json()) as { as_of: string };
    expect(body).toEqual({ artist_id: A, size: 1, as_of: expect.any(String) }); // cu1 only
    // Settled rollups: fresh to the request, within the test's own run time.
    expect(Date.now() - Date.parse(body.as_of)).toBeGreaterThanOrEqual(0);
    expect(Date.now() - Date.parse(body.as_of)).toBeLessThan(60_000);
    const seg = await createSegment(rule);
    expect(seg.size).toBe(1);
    const rows = await exportIds(seg.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(/^[0-9a-f]{32}$/);
  });

  it('Should select lapsed and super listeners', async () => {
    const lapsed = await api('/v1/segments/estimate', {
      body: { rule: { type: 'lapsed', artist_id: A, min_streams: 3, active_days: 90, lapsed_days: 28 } },
    });
    expect(((await lapsed.json()) as Segment).size).toBe(1); // lu1
    const superL = await api('/v1/segments/estimate', {
      body: { rule: { type: 'super_listeners', artist_id: A, min_streams: 5, min_saves: 1 } },
    });
    expect(((await superL.json()) as Segment).size).toBe(1); // su1
  });

  it('Should find lookalikes among users who never played the artist, nearest first', async () => {
    const seg = await createSegment({ type: 'lookalike', artist_id: A, size: 1 });
    const ids = await exportIds(seg.id);
    const { pseudonymousId } = await import('../../../worker/segments/pseudonym.ts');
    expect(ids).toEqual([await pseudonymousId(`${P}-lk1`, env.ADMIN_TOKEN)]);
  });

  it('Should keep a marketer inside its roster', async () => {
    const key = await mintKey('marketer', [A]);
    const other = await createSegment({ type: 'super_listeners', artist_id: B });
    const denied = [
      await api('/v1/segments/estimate', { key, body: { rule: { type: 'lapsed', artist_id: B } } }),
      await api('/v1/segments', { key, body: { name: 'x', rule: { type: 'lapsed', artist_id: B } } }),
      await api(`/v1/segments/${other.id}`, { key }),
      await api(`/v1/segments/${other.id}/export`, { key }),
    ];
    // A rule names its artist (403, as the artist routes); a stored segment of another artist is "not found".
    expect(denied.map((r) => r.status)).toEqual([403, 403, 404, 404]);
    const mine = await createSegment({ type: 'lapsed', artist_id: A }, key);
    const list = (await (await api('/v1/segments', { key })).json()) as { segments: Segment[] };
    expect(list.segments.map((s) => s.artist_id)).not.toContain(B);
    expect(list.segments.map((s) => s.id)).toContain(mine.id);
    const artistKey = await mintKey('artist', [A]);
    expect((await api('/v1/segments', { key: artistKey })).status).toBe(403);
  });

  it('Should reject bad rules with the field path', async () => {
    const cases: [unknown, string][] = [
      [{ rule: { type: 'vibes', artist_id: A } }, 'json.rule.type'],
      [{ rule: { type: 'completed_not_saved', artist_id: A, min_completions: 0 } }, 'json.rule.min_completions'],
      [{ rule: { type: 'lapsed', artist_id: A, window: 3 } }, 'json.rule.window'],
    ];
    for (const [body, path] of cases) {
      const res = await api('/v1/segments/estimate', { body });
      expect(res.status).toBe(400);
      expect(((await res.json()) as ErrorEnvelope).error.details?.issues?.map((i) => i.path)).toContain(path);
    }
  });
});

interface Campaign {
  id: string;
  status: string;
  audience: { treated: number; holdout: number };
}
interface Report {
  groups: { group: string; users: number; streams_per_user: number; saves_per_user: number }[];
  lift: Record<string, { treated: number; holdout: number; difference: number; ci_low: number; ci_high: number; significant: boolean }>;
}

describe('Campaigns', () => {
  let campaign: Campaign;
  let audience: string[];

  beforeAll(async () => {
    const seg = await createSegment({ type: 'completed_not_saved', artist_id: A, min_completions: 1, window_days: 28 });
    // cu1, cu3 and hu00…hu39 (cu2 saved once, su1 saved, lu1 is outside the window)
    audience = [`${P}-cu1`, `${P}-cu3`, ...HU];
    expect(seg.size).toBe(audience.length);
    const res = await api('/v1/campaigns', {
      body: {
        name: 'boost t2',
        segment_id: seg.id,
        track_id: `${P}-t2`,
        starts_at: new Date(now - 3_600_000).toISOString(),
        ends_at: new Date(now + DAY).toISOString(),
        holdout_share: 0.3,
      },
    });
    expect(res.status).toBe(201);
    campaign = (await res.json()) as Campaign;
  });

  it('Should split the frozen audience by a deterministic hash of campaign and user', async () => {
    const holdout = audience.filter((u) => isHoldout(campaign.id, u, 0.3));
    expect(campaign.status).toBe('running');
    expect(campaign.audience).toEqual({ treated: audience.length - holdout.length, holdout: holdout.length });
    expect(holdout.length).toBeGreaterThan(0);
    expect(holdout.length).toBeLessThan(audience.length);
    const db = createDb(env.DB);
    for (const u of audience) {
      expect(await activeBoostsForUser(db, u, Date.now())).toEqual([
        { campaignId: campaign.id, trackId: `${P}-t2`, treated: !holdout.includes(u) },
      ]);
    }
    expect(await activeBoostsForUser(db, `${P}-lk1`, Date.now())).toEqual([]);
    expect(await activeBoostsForUser(db, `${P}-cu1`, now + 2 * DAY)).toEqual([]);
  });

  it('Should report treated vs holdout per user with a confidence interval', async () => {
    const treated = audience.filter((u) => !isHoldout(campaign.id, u, 0.3));
    const holdout = audience.filter((u) => isHoldout(campaign.id, u, 0.3));
    // Treated users stream t2 twice (half of them also save); one holdout user streams it once.
    const t = now - 600_000;
    await send([
      ...treated.flatMap((u, i) => [
        ...complete(u, 't2', t),
        ...complete(u, 't2', t + 200_000),
        ...(i % 2 === 0 ? [ev(u, 't2', 'save', t + 400_000)] : []),
      ]),
      ...complete(holdout[0] as string, 't2', t),
    ]);
    const res = await api(`/v1/campaigns/${campaign.id}/report`);
    expect(res.status).toBe(200);
    const report = (await res.json()) as Report;
    const nt = treated.length;
    const nh = holdout.length;
    expect(report.groups).toEqual([
      { group: 'treated', users: nt, impressions: 0, streams_per_user: 2, saves_per_user: Math.ceil(nt / 2) / nt },
      { group: 'holdout', users: nh, impressions: 0, streams_per_user: 1 / nh, saves_per_user: 0 },
    ]);
    const s = report.lift.streams_per_user;
    expect(s?.difference).toBeCloseTo(2 - 1 / nh, 9);
    // treated variance 0; holdout values: one 1, the rest 0 → variance 1/nh
    const se = Math.sqrt(1 / nh / nh);
    expect(s?.ci_low).toBeCloseTo(2 - 1 / nh - 1.959964 * se, 6);
    expect(s?.ci_high).toBeCloseTo(2 - 1 / nh + 1.959964 * se, 6);
    expect(s?.significant).toBe(true);
    const csv = await (await api(`/v1/campaigns/${campaign.id}/report?format=csv`)).text();
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe('metric,treated,holdout,difference,ci_low,ci_high,relative,significant');
    expect(lines[1]?.startsWith('streams_per_user,2,')).toBe(true);
  });

  it('Should keep campaigns inside the roster', async () => {
    const key = await mintKey('marketer', [A]);
    expect((await api(`/v1/campaigns/${campaign.id}`, { key })).status).toBe(200);
    const outsider = await mintKey('marketer', [B]);
    expect((await api(`/v1/campaigns/${campaign.id}`, { key: outsider })).status).toBe(404);
    expect((await api(`/v1/campaigns/${campaign.id}/report`, { key: outsider })).status).toBe(404);
    const list = (await (await api('/v1/campaigns', { key: outsider })).json()) as { campaigns: Campaign[] };
    expect(list.campaigns.map((c) => c.id)).not.toContain(campaign.id);
    // A roster segment cannot boost another artist's track.
    const seg = await createSegment({ type: 'lapsed', artist_id: A }, key);
    const res = await api('/v1/campaigns', {
      key,
      body: {
        name: 'x',
        segment_id: seg.id,
        track_id: `${P}-t3`,
        starts_at: new Date(now).toISOString(),
        ends_at: new Date(now + DAY).toISOString(),
      },
    });
    expect(res.status).toBe(404);
    expect(((await res.json()) as ErrorEnvelope).error.code).toBe('track_not_found');
  });

  it('Should reject a period that ends before it starts, naming the field', async () => {
    const res = await api('/v1/campaigns', {
      body: {
        name: 'x',
        segment_id: 'seg_x',
        track_id: `${P}-t2`,
        starts_at: new Date(now).toISOString(),
        ends_at: new Date(now - DAY).toISOString(),
      },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorEnvelope).error.details?.issues?.map((i) => i.path)).toContain('json.ends_at');
  });
});
