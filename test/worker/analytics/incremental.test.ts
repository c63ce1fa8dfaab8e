/**
 * Issue 11: rollups kept by deltas must be exactly what a full recompute from the raw rows gives, on a
 * randomized stream with duplicates, redelivered batches, late events, events for tracks uploaded
 * later, unsaves and playlist removals, impressions, and distinct listeners; then again after the
 * catalogue and profile changes that deltas cannot express (a track moved, a new duration, a new time
 * zone) have been re-derived.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../../../contract/events.ts';
import { mulberry32 } from '../../../models/train/random.ts';
import { createDb } from '../../../worker/db/client.ts';
import { recomputeDay } from '../../../worker/db/rollups.ts';
import { api, settleRollups, track } from '../helpers.ts';

const P = 'inc';
const ARTISTS = [`${P}-a`, `${P}-b`, `${P}-c`];
const FIRST_DAY = Math.floor(Date.UTC(2026, 8, 7) / DAY_MS); // Monday 2026-09-07, a week no other file uses
const DAYS = 6;
const TABLES = {
  track_daily: 'track_id, day',
  track_daily_breakdown: 'track_id, day, dim, key',
  artist_user_daily: 'artist_id, day, user_id',
  artist_daily: 'artist_id, day',
  artist_clock_daily: 'artist_id, day, weekday, hour',
} as const;
const TYPES = ['play_start', 'play_end', 'skip', 'save', 'unsave', 'playlist_add', 'playlist_remove', 'share'] as const;

const rand = mulberry32(11);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
const tracks = Array.from({ length: 9 }, (_, i) => `${P}-t${i}`);
const users = Array.from({ length: 14 }, (_, i) => `${P}-u${i}`);
let n = 0;

function randomEvent(dayOffset = Math.floor(rand() * DAYS)) {
  n += 1;
  const type = pick(TYPES);
  const ts = (FIRST_DAY + dayOffset) * DAY_MS + Math.floor(rand() * DAY_MS);
  const played = type === 'play_end' || type === 'skip';
  const context =
    rand() < 0.4
      ? { source: pick(['algorithmic', 'search', 'library'] as const), surface: pick(['home', 'radio']), rec_id: `${P}-r${n % 5}` }
      : undefined;
  return {
    event_id: `${P}-e${n}`,
    user_id: pick(users),
    track_id: pick(tracks),
    type,
    ts,
    ...(played ? { ms_played: Math.floor(rand() * 260_000) } : {}),
    ...(context ? { context } : {}),
  };
}

async function send(events: unknown[]): Promise<void> {
  const res = await api('/v1/events', { body: { events } });
  expect(res.status).toBe(200);
}

/** A served list written as the serving path writes it: its rows and its pending mark, together. */
async function serve(recId: string, userId: string, trackIds: string[], servedAt: number): Promise<void> {
  await env.DB.batch([
    env.DB.prepare('INSERT INTO rec_lists (rec_id, user_id, surface, served_at) VALUES (?, ?, ?, ?)').bind(
      recId,
      userId,
      pick(['home', 'radio']),
      servedAt,
    ),
    ...trackIds.map((t, i) =>
      env.DB.prepare(`INSERT INTO rec_items (rec_id, position, track_id, user_id, source, served_at) VALUES (?, ?, ?, ?, 'model', ?)`).bind(
        recId,
        i,
        t,
        userId,
        servedAt,
      ),
    ),
    env.DB.prepare(`INSERT INTO rollup_pending (batch_id, kind, received_at) VALUES (?, 'impressions', ?)`).bind(recId, Date.now()),
  ]);
}

async function snapshot(): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const [table, key] of Object.entries(TABLES)) {
    const { results } = await env.DB.prepare(`SELECT * FROM ${table} WHERE artist_id IN (?, ?, ?) AND day BETWEEN ? AND ? ORDER BY ${key}`)
      .bind(...ARTISTS, FIRST_DAY, FIRST_DAY + DAYS)
      .all();
    out[table] = results;
  }
  return out;
}

/** The reference: every day of the week re-derived from the raw rows, artist by artist. */
async function fullRecompute(): Promise<Record<string, unknown[]>> {
  const db = createDb(env.DB);
  for (let day = FIRST_DAY; day <= FIRST_DAY + DAYS; day++) for (const a of ARTISTS) await recomputeDay(db, day, a);
  return snapshot();
}

async function pending(): Promise<number> {
  return (await env.DB.prepare('SELECT count(*) AS n FROM rollup_pending').first<{ n: number }>())?.n ?? 0;
}

describe('Incremental rollups', () => {
  it('Should equal a full recompute on a randomized stream, before and after catalogue and profile changes', async () => {
    // Six of nine tracks exist at first; t6–t8 are uploaded after their first events.
    const catalogue = tracks.map((id, i) => track(id, ARTISTS[i % 3] as string, { duration_ms: 150_000 + i * 20_000 }));
    expect((await api('/v1/tracks', { method: 'PUT', body: { tracks: catalogue.slice(0, 6) } })).status).toBe(200);
    const zoned = users.slice(0, 7).map((id) => ({ id, timezone: pick(['Europe/Berlin', 'Asia/Kolkata', 'America/New_York']) }));
    expect((await api('/v1/users', { method: 'PUT', body: { users: zoned } })).status).toBe(200);
    await settleRollups();

    // Phase 1: deltas only. Batches of events (some resent, some redelivered whole), impressions,
    // late events for earlier days, applied in between sends.
    const sent: ReturnType<typeof randomEvent>[] = [];
    for (let round = 0; round < 8; round++) {
      const batch = Array.from({ length: 40 }, () => randomEvent());
      if (sent.length > 0) batch.push(...Array.from({ length: 5 }, () => pick(sent))); // duplicates of earlier events
      await send(batch);
      if (rand() < 0.5) await send(batch); // the same batch delivered again
      sent.push(...batch);
      await serve(
        `${P}-r${round}`,
        pick(users),
        [pick(tracks), pick(tracks)].filter((t, i, a) => a.indexOf(t) === i),
        (FIRST_DAY + (round % DAYS)) * DAY_MS + 3_600_000,
      );
      if (round % 3 === 2) {
        expect(await pending()).toBeGreaterThan(0);
        await settleRollups();
      }
    }
    await send(Array.from({ length: 30 }, () => randomEvent(0))); // late: all for the first day
    await settleRollups();
    expect(await pending()).toBe(0);
    const marks = await env.DB.prepare('SELECT count(*) AS n FROM analytics_dirty_days WHERE day BETWEEN ? AND ?')
      .bind(FIRST_DAY, FIRST_DAY + DAYS)
      .first<{ n: number }>();
    expect(marks?.n).toBe(0); // phase 1 went through deltas alone
    const incremental = await snapshot();
    expect(incremental.track_daily?.length).toBeGreaterThan(10);
    expect(incremental.artist_clock_daily?.length).toBeGreaterThan(5);
    expect(await fullRecompute()).toEqual(incremental);

    // Phase 2: the late tracks arrive, a track moves to another artist, another gets a new duration, a
    // listener moves zone; more events keep arriving meanwhile.
    const later = catalogue.slice(6);
    const moved = track(tracks[0] as string, ARTISTS[2] as string, { duration_ms: 150_000 });
    const retimed = track(tracks[1] as string, ARTISTS[1] as string, { duration_ms: 90_000 });
    await send(Array.from({ length: 40 }, () => randomEvent()));
    expect((await api('/v1/tracks', { method: 'PUT', body: { tracks: [...later, moved, retimed] } })).status).toBe(200);
    await send(Array.from({ length: 40 }, () => randomEvent()));
    await settleRollups();
    const corrected = await snapshot();
    expect(await fullRecompute()).toEqual(corrected);
    expect((await api('/v1/users', { method: 'PUT', body: { users: [{ id: users[0], timezone: 'Australia/Adelaide' }] } })).status).toBe(
      200,
    );
    await send(Array.from({ length: 40 }, () => randomEvent()));
    await settleRollups();
    const rezoned = await snapshot();
    expect(rezoned.artist_clock_daily).not.toEqual(corrected.artist_clock_daily);
    expect(await fullRecompute()).toEqual(rezoned);
    // The moved track now counts for its new artist only.
    expect(
      corrected.track_daily
        ?.filter((r) => (r as { track_id: string }).track_id === tracks[0])
        .every((r) => (r as { artist_id: string }).artist_id === ARTISTS[2]),
    ).toBe(true);
  });
});
