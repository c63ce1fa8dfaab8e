/**
 * Issue 12, defects 4 and 7: a campaign read is scoped by its own artist, its segment's and its
 * track's; and a bound key gets the same answer for a track, segment or campaign outside its roster
 * as for a missing id. Artists a1 (the roster) and a3 (outside it); u0…u11 complete a track of each.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { api, type ErrorEnvelope, mintKey, settleRollups, track } from '../helpers.ts';

const P = 'scope';
const DAY = 86_400_000;
const now = Date.now();
const A1 = `${P}-a1`;
const A3 = `${P}-a3`;
const USERS = Array.from({ length: 12 }, (_, i) => `${P}-u${i}`);

interface Segment {
  id: string;
}
interface Campaign {
  id: string;
  audience: { treated: number; holdout: number };
}

let n = 0;
const complete = (user: string, trackId: string, ts: number) => {
  n += 2;
  return [
    { event_id: `${P}-e${n}`, user_id: user, track_id: trackId, type: 'play_start', ts },
    { event_id: `${P}-e${n + 1}`, user_id: user, track_id: trackId, type: 'play_end', ts: ts + 190_000, ms_played: 190_000 },
  ];
};

async function createSegment(artistId: string, key?: string): Promise<Segment> {
  const rule = { type: 'completed_not_saved', artist_id: artistId, min_completions: 1, window_days: 28 };
  const res = await api('/v1/segments', { body: { name: `seg ${artistId}`, rule }, ...(key ? { key } : {}) });
  if (res.status !== 201) throw new Error(`segment: ${res.status} ${await res.text()}`);
  return (await res.json()) as Segment;
}

function campaignBody(segmentId: string, trackId: string) {
  return {
    name: `boost ${trackId}`,
    segment_id: segmentId,
    track_id: trackId,
    starts_at: new Date(now - 3_600_000).toISOString(),
    ends_at: new Date(now + DAY).toISOString(),
    holdout_share: 0.25,
  };
}

async function createCampaign(segmentId: string, trackId: string): Promise<Campaign> {
  const res = await api('/v1/campaigns', { body: campaignBody(segmentId, trackId) });
  if (res.status !== 201) throw new Error(`campaign: ${res.status} ${await res.text()}`);
  return (await res.json()) as Campaign;
}

/** Status, content type and body, with the id asked for replaced by a placeholder. */
async function answer(res: Response, id: string) {
  return { status: res.status, type: res.headers.get('content-type'), body: (await res.text()).replaceAll(id, '<id>') };
}

/** Asserts the foreign id is answered exactly as a missing one, and returns that answer. */
async function sameAsMissing(path: (id: string) => string, foreignId: string, init: { key: string; body?: unknown }, field?: string) {
  const missingId = `${P}-missing-${crypto.randomUUID().slice(0, 8)}`;
  const req = (id: string) =>
    field === undefined ? api(path(id), init) : api(path(id), { ...init, body: { ...(init.body as object), [field]: id } });
  const foreign = await answer(await req(foreignId), foreignId);
  const missing = await answer(await req(missingId), missingId);
  expect(foreign).toEqual(missing);
  expect(foreign.status).toBe(404);
  return JSON.parse(foreign.body) as ErrorEnvelope;
}

let segA1: Segment;
let segA3: Segment;
/** A1's segment, A1's track: inside the roster. */
let mine: Campaign;
/** A3's audience boosting A1's track (artist_id A1): the leak of defect 4. */
let foreignAudience: Campaign;
/** A1's audience boosting A3's track. */
let foreignTrack: Campaign;
/** Created on an A1 track that has since moved to A3. */
let movedTrack: Campaign;
let marketer: string;

beforeAll(async () => {
  const res = await api('/v1/tracks', {
    method: 'PUT',
    body: { tracks: [track(`${P}-t1`, A1), track(`${P}-t2`, A1), track(`${P}-t3`, A3)] },
  });
  expect(res.status).toBe(200);
  const events = USERS.flatMap((u, i) => [
    ...complete(u, `${P}-t1`, now - DAY - i * 1000),
    ...complete(u, `${P}-t3`, now - DAY - i * 1000),
  ]);
  expect((await api('/v1/events', { body: { events } })).status).toBe(200);
  await settleRollups();
  segA1 = await createSegment(A1);
  segA3 = await createSegment(A3);
  mine = await createCampaign(segA1.id, `${P}-t1`);
  foreignAudience = await createCampaign(segA3.id, `${P}-t1`);
  foreignTrack = await createCampaign(segA1.id, `${P}-t3`);
  movedTrack = await createCampaign(segA1.id, `${P}-t2`);
  expect((await api('/v1/tracks', { method: 'PUT', body: { tracks: [track(`${P}-t2`, A3)] } })).status).toBe(200);
  expect(foreignAudience.audience.treated + foreignAudience.audience.holdout).toBe(USERS.length);
  marketer = await mintKey('marketer', [A1]);
});

describe('Campaign reads scoped by segment and track', () => {
  it('Should read a campaign whose artist, segment and track are all inside the roster', async () => {
    expect((await api(`/v1/campaigns/${mine.id}`, { key: marketer })).status).toBe(200);
    expect((await api(`/v1/campaigns/${mine.id}/report`, { key: marketer })).status).toBe(200);
  });

  it('Should answer a campaign over an audience outside the roster as a missing one, on read and report', async () => {
    for (const c of [foreignAudience, foreignTrack, movedTrack]) {
      const one = await sameAsMissing((id) => `/v1/campaigns/${id}`, c.id, { key: marketer });
      expect(one.error.code).toBe('campaign_not_found');
      const report = await sameAsMissing((id) => `/v1/campaigns/${id}/report`, c.id, { key: marketer });
      expect(report.error.code).toBe('campaign_not_found');
      const csv = await sameAsMissing((id) => `/v1/campaigns/${id}/report?format=csv`, c.id, { key: marketer });
      expect(csv.error.code).toBe('campaign_not_found');
    }
  });

  it('Should list only the campaigns the key may read in full', async () => {
    const list = (await (await api('/v1/campaigns', { key: marketer })).json()) as { campaigns: Campaign[] };
    const ids = list.campaigns.map((c) => c.id);
    expect(ids).toContain(mine.id);
    expect(ids).not.toContain(foreignAudience.id);
    expect(ids).not.toContain(foreignTrack.id);
    expect(ids).not.toContain(movedTrack.id);
    const both = await mintKey('marketer', [A1, A3]);
    const all = (await (await api('/v1/campaigns', { key: both })).json()) as { campaigns: Campaign[] };
    expect(all.campaigns.map((c) => c.id)).toEqual(expect.arrayContaining([mine.id, foreignAudience.id, foreignTrack.id, movedTrack.id]));
    expect((await api(`/v1/campaigns/${foreignAudience.id}/report`, { key: both })).status).toBe(200);
    const admin = (await (await api('/v1/campaigns')).json()) as { campaigns: Campaign[] };
    expect(admin.campaigns.map((c) => c.id)).toContain(foreignAudience.id);
  });

  it('Should not create a campaign over a segment or a track outside the roster, answering as for a missing one', async () => {
    const seg = await sameAsMissing(() => '/v1/campaigns', segA3.id, { key: marketer, body: campaignBody('', `${P}-t1`) }, 'segment_id');
    expect(seg.error.code).toBe('segment_not_found');
    const trk = await sameAsMissing(() => '/v1/campaigns', `${P}-t3`, { key: marketer, body: campaignBody(segA1.id, '') }, 'track_id');
    expect(trk.error.code).toBe('track_not_found');
  });
});

describe('No existence oracle for a bound key', () => {
  it('Should answer a segment of another artist as a missing one', async () => {
    const one = await sameAsMissing((id) => `/v1/segments/${id}`, segA3.id, { key: marketer });
    expect(one.error.code).toBe('segment_not_found');
    const csv = await sameAsMissing((id) => `/v1/segments/${id}/export`, segA3.id, { key: marketer });
    expect(csv.error.code).toBe('segment_not_found');
    expect((await api(`/v1/segments/${segA1.id}`, { key: marketer })).status).toBe(200);
  });

  it("Should answer another artist's track as a missing one", async () => {
    const artist = await mintKey('artist', [A1]);
    const t = await sameAsMissing((id) => `/v1/tracks/${id}`, `${P}-t3`, { key: artist });
    expect(t.error.code).toBe('track_not_found');
    expect((await api(`/v1/tracks/${P}-t1`, { key: artist })).status).toBe(200);
    const detail = await sameAsMissing((id) => `/v1/artists/${A1}/tracks/${id}`, `${P}-t3`, { key: artist });
    expect(detail.error.code).toBe('track_not_found');
  });

  it('Should keep 404 for a missing id and 200 for any existing one with an admin key', async () => {
    expect((await api(`/v1/campaigns/${P}-nope`)).status).toBe(404);
    expect((await api(`/v1/segments/${P}-nope`)).status).toBe(404);
    expect((await api(`/v1/campaigns/${foreignAudience.id}`)).status).toBe(200);
    expect((await api(`/v1/segments/${segA3.id}`)).status).toBe(200);
  });
});
