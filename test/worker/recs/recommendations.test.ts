import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, type ErrorEnvelope, event, mintKey } from '../helpers.ts';
import { artistOf, BUNDLES, genreOf, putCatalogue, type RecList, recs, uploadAndActivate } from './setup.ts';

const SOURCES = ['model', 'content', 'neighbours', 'popular', 'seed', 'exploration', 'campaign'];
const HOUR = 3_600_000;

async function send(events: Record<string, unknown>[]) {
  const res = await api('/v1/events', { body: { events: events.map((e) => event(e)) } });
  if (res.status !== 200) throw new Error(`events failed: ${res.status} ${await res.text()}`);
}

/** An indie listener: saves and completes the first indie artist's tracks, weeks ago. */
async function indieListener(userId: string) {
  const weeksAgo = Date.now() - 14 * 24 * HOUR;
  await send(
    ['fx-t0', 'fx-t1', 'fx-t2', 'fx-t3', 'fx-t8', 'fx-t9'].flatMap((t, k) => [
      { user_id: userId, track_id: t, type: 'play_start', ts: weeksAgo + k * 1000 },
      { user_id: userId, track_id: t, type: 'play_end', ms_played: 200_000, ts: weeksAgo + k * 1000 + 500 },
      { user_id: userId, track_id: t, type: 'save', ts: weeksAgo + k * 1000 + 600 },
    ]),
  );
}

describe('Recommendations', () => {
  let version = '';
  beforeAll(async () => {
    await putCatalogue();
    version = await uploadAndActivate(BUNDLES[0] as (typeof BUNDLES)[0]);
  });

  it('Should return a list with rec_id, model version, a reason and source per item and a Server-Timing split', async () => {
    await indieListener('r-u1');
    const res = await api('/v1/users/r-u1/recommendations?limit=10');
    expect(res.status).toBe(200);
    const timing = res.headers.get('server-timing') ?? '';
    for (const phase of ['model', 'history', 'score', 'rerank', 'total']) expect(timing).toContain(`${phase};dur=`);
    const body = (await res.json()) as RecList;
    expect(body.model_version).toBe(version);
    expect(body.rec_id).toMatch(/^rec_[0-9a-f]{32}$/);
    expect(body.cold_start).toBe('none');
    expect(body.items).toHaveLength(10);
    for (const it of body.items) {
      expect(SOURCES).toContain(it.source);
      expect(it.reason.length).toBeGreaterThan(3);
      expect(typeof it.score).toBe('number');
    }
    expect(new Set(body.items.map((i) => i.track_id)).size).toBe(10);
    // The listener only ever played indie; three indie artists capped at two tracks each allow six.
    expect(body.items.filter((i) => genreOf(i.track_id) === 'indie').length).toBeGreaterThanOrEqual(5);
  });

  it('Should drop what the user just skipped, unsaved or played, and what the request excludes, in the very next list', async () => {
    await indieListener('r-u2');
    const first = await recs('r-u2', '?limit=10&exploration=0');
    const [skipped, unsaved, played, excluded] = first.items.map((i) => i.track_id) as [string, string, string, string];
    const now = Date.now();
    await send([
      { user_id: 'r-u2', track_id: skipped, type: 'skip', ms_played: 5_000, ts: now - 60_000 },
      { user_id: 'r-u2', track_id: unsaved, type: 'save', ts: now - 50_000 },
      { user_id: 'r-u2', track_id: unsaved, type: 'unsave', ts: now - 40_000 },
      { user_id: 'r-u2', track_id: played, type: 'play_start', ts: now - 2 * HOUR },
    ]);
    const next = await recs('r-u2', `?limit=10&exploration=0&exclude=${excluded}`);
    const ids = next.items.map((i) => i.track_id);
    for (const gone of [skipped, unsaved, played, excluded]) expect(ids).not.toContain(gone);
    expect(ids).toHaveLength(10);
    // With recent_hours=1 a play two hours ago may come back; the skip and the unsave stay out.
    const relaxed = (await recs('r-u2', '?limit=40&exploration=0&recent_hours=1')).items.map((i) => i.track_id);
    expect(relaxed).not.toContain(skipped);
    expect(relaxed).not.toContain(unsaved);
  });

  it('Should cap tracks per artist', async () => {
    await indieListener('r-u3');
    for (const cap of [1, 2]) {
      const list = await recs('r-u3', `?limit=12&max_per_artist=${cap}`);
      const perArtist = new Map<string, number>();
      for (const it of list.items)
        perArtist.set(artistOf(it.track_id) as string, (perArtist.get(artistOf(it.track_id) as string) ?? 0) + 1);
      expect(Math.max(...perArtist.values())).toBeLessThanOrEqual(cap);
      expect(list.items).toHaveLength(12);
    }
  });

  it('Should serve a user without history the popular tracks of the week, or their onboarding seeds', async () => {
    await send([
      { user_id: 'r-pop1', track_id: 'fx-t50', type: 'play_end', ms_played: 120_000, ts: Date.now() - 24 * HOUR },
      { user_id: 'r-pop2', track_id: 'fx-t50', type: 'play_end', ms_played: 120_000, ts: Date.now() - 24 * HOUR },
    ]);
    const popular = await recs('r-newcomer', '?limit=5');
    expect(popular.cold_start).toBe('popular');
    expect(popular.items.every((i) => i.source === 'popular' || i.source === 'exploration')).toBe(true);
    const seeded = await recs('r-newcomer', '', { body: { limit: 8, seed_genres: ['ambient'], exploration: 0 } });
    expect(seeded.cold_start).toBe('seeds');
    expect(seeded.items.every((i) => i.source === 'seed' || i.source === 'content')).toBe(true);
    const byArtist = await recs('r-newcomer', '', { body: { limit: 6, seed_artists: ['fx-a6'], exploration: 0 } });
    expect(byArtist.cold_start).toBe('seeds');
    expect(byArtist.items.some((i) => i.reason === 'because you like ambient artist 0')).toBe(true);
  });

  it('Should shift the list toward the audio features of the requested activity', async () => {
    await indieListener('r-u4');
    const energy = (list: RecList) => list.items.filter((i) => genreOf(i.track_id) === 'ambient').length;
    const sleep = await recs('r-u4', '', { body: { limit: 10, context: { activity: 'sleep' }, exploration: 0 } });
    const party = await recs('r-u4', '', { body: { limit: 10, context: { text: "let's dance, it's a party" }, exploration: 0 } });
    expect(sleep.context.activity).toBe('sleep');
    expect(party.context.activity).toBe('party');
    expect(energy(sleep)).toBeGreaterThan(energy(party));
  });

  it('Should log every served list as impressions under its rec_id', async () => {
    await indieListener('r-u5');
    const list = await recs('r-u5', '?limit=7&surface=home');
    let rows: Array<{ position: number; track_id: string; user_id: string; source: string }> = [];
    for (let attempt = 0; attempt < 50 && rows.length < 7; attempt++) {
      await new Promise((r) => setTimeout(r, 20));
      rows = (
        await env.DB.prepare('SELECT position, track_id, user_id, source FROM rec_items WHERE rec_id = ?1 ORDER BY position')
          .bind(list.rec_id)
          .all<(typeof rows)[0]>()
      ).results;
    }
    expect(rows.map((r) => r.track_id)).toEqual(list.items.map((i) => i.track_id));
    expect(rows.map((r) => r.position)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(rows.every((r) => r.user_id === 'r-u5')).toBe(true);
    const head = await env.DB.prepare('SELECT user_id, model_version, surface FROM rec_lists WHERE rec_id = ?1').bind(list.rec_id).first();
    expect(head).toEqual({ user_id: 'r-u5', model_version: list.model_version, surface: 'home' });
  });

  it('Should insert a campaign track for treated users with reason campaign, and nothing for the holdout', async () => {
    const now = Date.now();
    await env.DB.prepare(
      `INSERT INTO campaigns (id, name, artist_id, track_id, segment_id, starts_at, ends_at, holdout_share, created_by, created_at)
       VALUES ('cmp-1', 'Push ambient', 'fx-a8', 'fx-t70', 'seg-1', ?1, ?2, 0.2, 'test', ?1)`,
    )
      .bind(now - 3_600_000, now + 3_600_000)
      .run();
    await env.DB.prepare(
      "INSERT INTO campaign_members (campaign_id, user_id, treated) VALUES ('cmp-1', 'r-c1', 1), ('cmp-1', 'r-c2', 0)",
    ).run();
    await indieListener('r-c1');
    await indieListener('r-c2');
    const treated = await recs('r-c1', '?limit=10');
    const boosted = treated.items.find((i) => i.track_id === 'fx-t70');
    expect(boosted).toMatchObject({ source: 'campaign', reason: 'campaign', campaign_id: 'cmp-1' });
    expect(treated.items.indexOf(boosted as RecList['items'][0])).toBe(1);
    const holdout = await recs('r-c2', '?limit=10');
    expect(holdout.items.some((i) => i.campaign_id !== null)).toBe(false);
  });

  it('Should let only app and admin keys read recommendations', async () => {
    const app = await mintKey('app');
    expect((await api('/v1/users/r-u1/recommendations', { key: app })).status).toBe(200);
    const artist = await mintKey('artist', ['fx-a0']);
    const marketer = await mintKey('marketer', ['fx-a0']);
    for (const key of [artist, marketer]) {
      const res = await api('/v1/users/r-u1/recommendations', { key });
      expect(res.status).toBe(403);
      expect(((await res.json()) as ErrorEnvelope).error.code).toBe('forbidden');
    }
    expect((await api('/v1/users/r-u1/recommendations', { key: null })).status).toBe(401);
  });

  it('Should answer 400 naming the field for bad parameters', async () => {
    const cases: Array<[string, { body?: unknown }, string]> = [
      ['?limit=0', {}, 'query.limit'],
      ['?limit=abc', {}, 'query.limit'],
      ['?activity=yoga', {}, 'query.activity'],
      ['?exploration=0.9', {}, 'query.exploration'],
      ['', { body: { context: { activity: 'yoga' } } }, 'json.context.activity'],
      ['', { body: { exclude: 'fx-t1' } }, 'json.exclude'],
      ['', { body: { limit: 20, colour: 'blue' } }, 'json.colour'],
    ];
    for (const [query, init, path] of cases) {
      const res = await api(`/v1/users/r-u1/recommendations${query}`, init.body === undefined ? {} : { body: init.body });
      expect(res.status, `${query} ${JSON.stringify(init.body)}`).toBe(400);
      expect(((await res.json()) as ErrorEnvelope).error.details?.issues?.map((i) => i.path)).toContain(path);
    }
  });
});
