/**
 * Up next (issue 13, item 5): the continuation of the listening session from the track playing now.
 * In the fixture world a track's nearest neighbours are its genre-mates, so "follows the track" can
 * be read off the genres.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeTransitions, TRANSITIONS_FILE } from '../../../contract/transitions-file.ts';
import { api, type ErrorEnvelope, event, mintKey } from '../helpers.ts';
import { BUNDLES, decode, genreOf, putCatalogue, type RecList, TRACKS, uploadAndActivate, uploadBundle } from './setup.ts';

const DAY = 86_400_000;
const INDIE = ['fx-t0', 'fx-t1', 'fx-t2', 'fx-t8', 'fx-t9', 'fx-t16'];
const TECHNO_TRACK = 'fx-t30';
const AMBIENT_TRACK = 'fx-t52';

async function next(userId: string, query: string): Promise<RecList> {
  const res = await api(`/v1/users/${userId}/next${query}`);
  if (res.status !== 200) throw new Error(`up next failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as RecList;
}
const share = (list: RecList, genre: string) => list.items.filter((i) => genreOf(i.track_id) === genre).length / list.items.length;
const titleOf = (id: string) => TRACKS.find((t) => t.id === id)?.title;

describe('Up next', () => {
  beforeAll(async () => {
    await putCatalogue();
    await uploadAndActivate(BUNDLES[0] as (typeof BUNDLES)[0]);
    // An indie listener, settled two weeks ago.
    await api('/v1/events', {
      body: {
        events: INDIE.map((t, k) => event({ user_id: 'nx-indie', track_id: t, type: 'save', ts: Date.now() - 14 * DAY + k * 1000 })),
      },
    });
  });

  it('Should continue from the track playing now, even against the listener’s usual taste', async () => {
    const plain = (await api('/v1/users/nx-indie/recommendations?limit=10&exploration=0').then((r) => r.json())) as RecList;
    const afterTechno = await next('nx-indie', `?after=${TECHNO_TRACK}&limit=10&familiar=0&exploration=0&max_per_artist=4`);
    const afterAmbient = await next('nx-indie', `?after=${AMBIENT_TRACK}&limit=10&familiar=0&exploration=0&max_per_artist=4`);
    expect(share(plain, 'indie')).toBeGreaterThanOrEqual(0.6);
    expect(share(afterTechno, 'techno')).toBeGreaterThanOrEqual(0.6);
    expect(share(afterAmbient, 'ambient')).toBeGreaterThanOrEqual(0.6);
    // The track itself is never next, and the reasons name it.
    expect(afterTechno.items.map((i) => i.track_id)).not.toContain(TECHNO_TRACK);
    const named = afterTechno.items.filter((i) => i.reason.includes(`"${titleOf(TECHNO_TRACK)}"`));
    expect(named.length).toBeGreaterThanOrEqual(3);
    for (const it of named) expect(it.reason).toMatch(/^(to follow|more from .*, after) "/);
  });

  it('Should mix in the listener’s favourites that fit the track playing now', async () => {
    // A listener with both an indie and an ambient side; up next after an ambient track brings their ambient favourites.
    const favourites = ['fx-t48', 'fx-t49', 'fx-t56'];
    await api('/v1/events', {
      body: {
        events: [...INDIE, ...favourites].map((t, k) =>
          event({ user_id: 'nx-both', track_id: t, type: 'save', ts: Date.now() - 14 * DAY + k * 1000 }),
        ),
      },
    });
    const list = await next('nx-both', `?after=${AMBIENT_TRACK}&limit=10&familiar=0.3`);
    const familiar = list.items.filter((i) => i.source === 'familiar');
    expect(familiar.length).toBeGreaterThanOrEqual(2);
    for (const it of familiar) expect(favourites).toContain(it.track_id);
  });

  it('Should follow the session: a listener without history gets a continuation, not the popular chart', async () => {
    const list = await next('nx-new', `?after=${TECHNO_TRACK}&limit=10&familiar=0&max_per_artist=4`);
    expect(list.cold_start).toBe('none');
    expect(share(list, 'techno')).toBeGreaterThanOrEqual(0.6);
  });

  it('Should log the list as impressions on the up_next surface', async () => {
    const list = await next('nx-indie', `?after=${TECHNO_TRACK}&limit=5`);
    // The impressions are written after the response.
    let surface: unknown = null;
    for (let attempt = 0; attempt < 50 && surface === null; attempt++) {
      await new Promise((r) => setTimeout(r, 20));
      surface = (await env.DB.prepare('SELECT surface FROM rec_lists WHERE rec_id = ?1').bind(list.rec_id).first('surface')) ?? null;
    }
    expect(surface).toBe('up_next');
  });

  it('Should answer 404 for an unknown track, 400 without one, and 403 for keys that do not read recommendations', async () => {
    const missing = await api('/v1/users/nx-indie/next?after=no-such-track');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as ErrorEnvelope).error.code).toBe('track_not_found');
    const noAfter = await api('/v1/users/nx-indie/next');
    expect(noAfter.status).toBe(400);
    expect(JSON.stringify(await noAfter.json())).toContain('"query.after"');
    for (const role of ['artist', 'marketer'] as const) {
      const key = await mintKey(role, ['fx-a3']);
      const res = await api(`/v1/users/nx-indie/next?after=${TECHNO_TRACK}`, { key });
      expect(res.status).toBe(403);
    }
  });
});

const hex = async (bytes: Uint8Array) =>
  Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('');

describe('Up next with the bundle’s transitions', () => {
  // Listeners of this world play two hip-hop tracks after one techno track: nothing in the factors says so.
  const FOLLOWERS = ['fx-t80', 'fx-t81'];
  const QUERY = `?after=${TECHNO_TRACK}&limit=30&familiar=0&exploration=0&diversity=0`;
  let without: RecList;

  beforeAll(async () => {
    await putCatalogue();
    await uploadAndActivate(BUNDLES[0] as (typeof BUNDLES)[0]);
    without = await next('nx-indie', QUERY);
    const bundle = BUNDLES[0] as (typeof BUNDLES)[0];
    const items = JSON.parse(new TextDecoder().decode(decode(bundle.files['items.json'] as string))) as string[];
    const n = items.length;
    const from = items.indexOf(TECHNO_TRACK);
    const indptr = Int32Array.from({ length: n + 1 }, (_, a) => (a <= from ? 0 : 2));
    const transitions = encodeTransitions({
      nItems: n,
      indptr,
      indices: Int32Array.from(FOLLOWERS, (id) => items.indexOf(id)),
      values: Float32Array.of(0.6, 0.4),
    });
    const sha = await hex(transitions);
    const up = await uploadBundle(bundle, {
      manifest: (m) => {
        m.version = 'fixture-with-transitions';
        (m.files as Record<string, string>).transitions = TRANSITIONS_FILE;
        (m.sha256 as Record<string, string>)[TRANSITIONS_FILE] = sha;
      },
      files: { [TRANSITIONS_FILE]: transitions },
    });
    expect(up.status).toBe(201);
    expect((await api('/v1/admin/models/fixture-with-transitions/activate', { method: 'POST' })).status).toBe(200);
  });

  it('Should bring what listeners play after the current track to the top of up next', async () => {
    // Diversity off: the two followers are near each other, and MMR would rightly space them out.
    const list = await next('nx-indie', QUERY);
    const rank = (l: RecList, id: string) => {
      const p = l.items.findIndex((i) => i.track_id === id);
      return p < 0 ? Number.POSITIVE_INFINITY : p;
    };
    // Blended with relevance as offline (the strongest follower gains the best relevance of the list):
    // P = 0.6 leads, P = 0.4 rises.
    expect(rank(list, 'fx-t80')).toBeLessThanOrEqual(1);
    expect(rank(without, 'fx-t80')).toBeGreaterThan(5);
    expect(rank(list, 'fx-t81')).toBeLessThan(rank(without, 'fx-t81'));
    expect(rank(list, 'fx-t81')).toBeLessThan(Number.POSITIVE_INFINITY);
  });

  it('Should reject a transitions file that does not fit the bundle, naming it', async () => {
    const bundle = BUNDLES[0] as (typeof BUNDLES)[0];
    const wrong = encodeTransitions({
      nItems: 3,
      indptr: Int32Array.of(0, 0, 0, 0),
      indices: new Int32Array(),
      values: new Float32Array(),
    });
    const sha = await hex(wrong);
    const res = await uploadBundle(bundle, {
      manifest: (m) => {
        m.version = 'fixture-bad-transitions';
        (m.files as Record<string, string>).transitions = TRANSITIONS_FILE;
        (m.sha256 as Record<string, string>)[TRANSITIONS_FILE] = sha;
      },
      files: { [TRANSITIONS_FILE]: wrong },
    });
    expect(res.status).toBe(400);
    const body = JSON.stringify(await res.json());
    expect(body).toContain('files.transitions');
    expect(body).toContain('holds 3 items');
  });
});
