/**
 * Listener erasure and export (issue 28, item 1), checked against a world in which the listener never
 * existed. Two worlds share the database: world `a` has listeners x, y and z, world `b` the same
 * catalogue, the same listens of y and z, and no x. Both go through ingest, served-list backfill, the
 * rollups and the archive alike. After x is erased from `a`, every rollup row of `a` must equal its
 * twin in `b`, the archive must hold `b`'s rows and no row of x, and the analytics API must answer the
 * same for both.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../contract/random.ts';
import { archiveColdDays, listArchive, readPart } from '../../../worker/archive/events-archive.ts';
import { api, settleRollups, track } from '../helpers.ts';
import { BUNDLES, TRACKS as FIXTURE_TRACKS, putCatalogue, recs, uploadAndActivate } from '../recs/setup.ts';

const DAY = 86_400_000;
const TODAY = Math.floor(Date.now() / DAY);
/** Days of history: the oldest 20 are archived (older than the 35-day hot window), the rest stay in D1. */
const FIRST_DAY = TODAY - 55;
const TRACKS = ['t1', 't2', 't3', 't4', 't5'];
const ZONES: Record<string, string> = { x: 'Asia/Kolkata', y: 'America/New_York', z: 'Europe/Berlin' };

interface Listen {
  id: string;
  user: string;
  track: string;
  type: 'play_start' | 'play_end' | 'skip' | 'save' | 'playlist_add';
  ts: number;
  ms?: number;
  rec?: string;
}

/** One seeded history for x, y and z: listens, some from served lists, every few days. */
function history(): { listens: Listen[]; lists: { rec: string; user: string; ts: number; tracks: string[] }[] } {
  const rand = mulberry32(20261206);
  const listens: Listen[] = [];
  const lists: { rec: string; user: string; ts: number; tracks: string[] }[] = [];
  let n = 0;
  for (let day = FIRST_DAY; day < TODAY; day += 2) {
    for (const user of ['x', 'y', 'z']) {
      if (rand() < 0.3) continue;
      const ts = day * DAY + Math.floor(rand() * 20) * 3_600_000 + 60_000;
      let rec: string | undefined;
      if (rand() < 0.5) {
        rec = `rec-${day}-${user}`;
        lists.push({ rec, user, ts, tracks: TRACKS.filter(() => rand() < 0.6) });
      }
      for (let k = 0; k < 3; k++) {
        const t = TRACKS[Math.floor(rand() * TRACKS.length)] ?? 't1';
        const at = ts + k * 240_000;
        const full = rand() < 0.6;
        listens.push({ id: `e${n++}`, user, track: t, type: 'play_start', ts: at, ...(rec ? { rec } : {}) });
        listens.push({
          id: `e${n++}`,
          user,
          track: t,
          type: full ? 'play_end' : 'skip',
          ts: at + 1_000,
          ms: full ? 200_000 : Math.floor(rand() * 60_000),
          ...(rec ? { rec } : {}),
        });
        if (rand() < 0.2) listens.push({ id: `e${n++}`, user, track: t, type: rand() < 0.5 ? 'save' : 'playlist_add', ts: at + 2_000 });
      }
    }
  }
  return { listens, lists };
}

async function buildWorld(w: 'a' | 'b'): Promise<void> {
  const { listens, lists } = history();
  const users = w === 'a' ? ['x', 'y', 'z'] : ['y', 'z'];
  const keep = (u: string) => users.includes(u);
  expect(
    (await api('/v1/tracks', { method: 'PUT', body: { tracks: TRACKS.map((t, i) => track(`${w}-${t}`, `${w}-artist-${i % 2}`)) } })).status,
  ).toBe(200);
  expect(
    (await api('/v1/users', { method: 'PUT', body: { users: users.map((u) => ({ id: `${w}-${u}`, timezone: ZONES[u] })) } })).status,
  ).toBe(200);
  const served = lists
    .filter((l) => keep(l.user) && l.tracks.length > 0)
    .map((l) => ({
      rec_id: `${w}-${l.rec}`,
      user_id: `${w}-${l.user}`,
      surface: 'home',
      served_at: l.ts - 1_000,
      items: l.tracks.map((t) => ({ track_id: `${w}-${t}` })),
    }));
  for (let i = 0; i < served.length; i += 200) {
    expect((await api('/v1/admin/served-lists', { body: { lists: served.slice(i, i + 200) } })).status).toBe(200);
  }
  const events = listens
    .filter((l) => keep(l.user))
    .map((l) => ({
      event_id: `${w}-${l.id}`,
      user_id: `${w}-${l.user}`,
      track_id: `${w}-${l.track}`,
      type: l.type,
      ts: l.ts,
      ...(l.ms !== undefined ? { ms_played: l.ms } : {}),
      ...(l.rec ? { context: { rec_id: `${w}-${l.rec}`, source: 'algorithmic', surface: 'home' } } : {}),
    }));
  for (let i = 0; i < events.length; i += 500) {
    expect((await api('/v1/events', { body: { events: events.slice(i, i + 500) } })).status).toBe(200);
  }
}

/** Every rollup row of world `w`, ids without the world prefix, rows with every counter at 0 left out. */
async function rollups(w: 'a' | 'b'): Promise<Record<string, string[]>> {
  const strip = (v: unknown) => (typeof v === 'string' ? v.replace(new RegExp(`^${w}-`), '') : v);
  const out: Record<string, string[]> = {};
  const tables: Record<string, string> = {
    track_daily: 'track_id',
    track_daily_breakdown: 'track_id',
    artist_user_daily: 'artist_id',
    artist_daily: 'artist_id',
    artist_clock_daily: 'artist_id',
  };
  for (const [table, key] of Object.entries(tables)) {
    const { results } = await env.DB.prepare(`SELECT * FROM ${table} WHERE ${key} LIKE ?1`).bind(`${w}-%`).all<Record<string, unknown>>();
    out[table] = results
      .filter((r) => Object.entries(r).some(([k, v]) => typeof v === 'number' && v !== 0 && !['day', 'weekday', 'hour'].includes(k)))
      .map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, strip(v)]))))
      .sort();
  }
  return out;
}

/** Archived rows of world `w`, by user (without the prefix). */
async function archivedUsers(w: 'a' | 'b'): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const entry of await listArchive(env.DB)) {
    for (const r of await readPart(env.ARCHIVE, entry)) {
      const user = String(r.user_id);
      if (user.startsWith(`${w}-`)) counts[user.slice(2)] = (counts[user.slice(2)] ?? 0) + 1;
    }
  }
  return counts;
}

const overview = async (artist: string) => {
  const from = new Date((FIRST_DAY - 1) * DAY).toISOString().slice(0, 10);
  const res = await api(`/v1/artists/${artist}/overview?from=${from}`);
  expect(res.status).toBe(200);
  const body = (await res.json()) as { metrics: unknown };
  return body.metrics;
};

describe('Listener erasure', () => {
  let exported: { events: { event_id: string }[]; profile: unknown; served_lists: unknown[]; activity: unknown[] };
  let csvLines: number;
  let xEvents: number;

  beforeAll(async () => {
    await buildWorld('a');
    await buildWorld('b');
    await settleRollups();
    // Everything older than the hot window moves to R2 (the clock is moved past the settle time).
    const moved = await archiveColdDays({ db: env.DB, bucket: env.ARCHIVE }, { now: Date.now() + 20 * 60_000, hotDays: 35, maxDays: 60 });
    expect(moved.rows).toBeGreaterThan(0);
    // x has also played tracks the active model knows, an hour ago, so their recommendations are personal.
    await putCatalogue();
    await uploadAndActivate(BUNDLES[0] as (typeof BUNDLES)[0]);
    const known = FIXTURE_TRACKS.slice(0, 4).map((t, i) => ({
      event_id: `a-known-${i}`,
      user_id: 'a-x',
      track_id: t.id,
      type: 'play_end',
      ts: Date.now() - 3_600_000 + i * 240_000,
      ms_played: 200_000,
    }));
    expect((await api('/v1/events', { body: { events: known } })).status).toBe(200);
    await settleRollups();
    xEvents = history().listens.filter((l) => l.user === 'x').length + known.length;
    const res = await api('/v1/users/a-x/export');
    expect(res.status).toBe(200);
    exported = (await res.json()) as typeof exported;
    const csv = await api('/v1/users/a-x/export?format=csv');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    csvLines = (await csv.text()).trim().split('\r\n').length;
  });

  it('Should export every event of the listener, hot and archived, as JSON and CSV', async () => {
    expect((await archivedUsers('a')).x).toBeGreaterThan(0);
    expect(exported.events).toHaveLength(xEvents);
    expect(new Set(exported.events.map((e) => e.event_id)).size).toBe(xEvents);
    expect(exported.profile).toMatchObject({ id: 'a-x', timezone: ZONES.x });
    expect(exported.served_lists.length).toBeGreaterThan(0);
    expect(exported.activity.length).toBeGreaterThan(0);
    expect(csvLines).toBe(xEvents + 1);
  });

  it('Should leave every rollup, the archive and the analytics as in a world without the listener', async () => {
    expect(await rollups('a')).not.toEqual(await rollups('b'));
    expect((await recs('a-x')).cold_start).toBe('none');
    const erased = await api('/v1/users/a-x', { method: 'DELETE' });
    expect(erased.status).toBe(204);

    expect(await rollups('a')).toEqual(await rollups('b'));
    const archived = await archivedUsers('a');
    expect(archived.x).toBeUndefined();
    expect(archived).toEqual(await archivedUsers('b'));
    for (const artist of ['artist-0', 'artist-1']) expect(await overview(`a-${artist}`)).toEqual(await overview(`b-${artist}`));

    for (const table of ['events', 'rec_lists', 'rec_items', 'artist_user_daily']) {
      const left = await env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE user_id = 'a-x'`).first<{ n: number }>();
      expect(left?.n, table).toBe(0);
    }
    expect((await api('/v1/users/a-x/profile')).status).toBe(404);
    expect((await api('/v1/users/a-x/export')).status).toBe(404);
    // Recommendations treat the id as new: served like an id never seen (the list served starts a new history).
    expect((await recs('a-x')).cold_start).toBe((await recs('never-seen')).cold_start);
    expect((await recs('a-x')).cold_start).not.toBe('none');
  });

  it('Should record the erasure in the audit log with the rows per table', async () => {
    const res = await api('/v1/admin/audit?action=user.erase');
    const { entries } = (await res.json()) as {
      entries: { target: string; detail: { rows: Record<string, number>; archive: { rows: number } } }[];
    };
    const entry = entries.find((e) => e.target === 'a-x');
    expect(entry?.detail.rows.users).toBe(1);
    expect((entry?.detail.rows.events ?? 0) + (entry?.detail.archive.rows ?? 0)).toBe(xEvents);
  });

  it('Should answer a second erasure and an unknown id the same, changing nothing', async () => {
    const before = await rollups('a');
    const parts = (await listArchive(env.DB)).map((p) => p.key);
    expect((await api('/v1/users/never-was', { method: 'DELETE' })).status).toBe(204);
    expect((await api('/v1/users/never-was', { method: 'DELETE' })).status).toBe(204);
    expect(await rollups('a')).toEqual(before);
    expect((await listArchive(env.DB)).map((p) => p.key)).toEqual(parts);
  });
});
