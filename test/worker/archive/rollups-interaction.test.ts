/**
 * The seam between the archive and the rollups: an archived day's raw events are in R2, so its
 * rollups must never be rebuilt from what is left in D1. A late event for it still counts (its delta
 * adds to the rollups), and a mark for it (a catalogue change) is dropped instead of wiping the day.
 */
import { env } from 'cloudflare:workers';
import { expect, it } from 'vitest';
import { archiveColdDays } from '../../../worker/archive/events-archive.ts';
import { createDb } from '../../../worker/db/client.ts';
import { markDaysStale, refreshDirtyDays } from '../../../worker/db/rollups.ts';
import { api, settleRollups } from '../helpers.ts';
import { DAY, dayEvents, insertEvents, resetArchiveState } from './fixture.ts';

const plays = async (day: number) =>
  (await env.DB.prepare('SELECT coalesce(sum(plays), 0) AS p FROM track_daily WHERE day = ?1').bind(day).first<{ p: number }>())?.p;

it('Should keep the rollups of an archived day, add a late event to them, and never recompute it', async () => {
  await resetArchiveState();
  const now = Date.now();
  const day = Math.floor(now / DAY) - 50;
  await env.DB.prepare("INSERT INTO artists (id, name, created_at, updated_at) VALUES ('arch-a1', 'A', 0, 0)").run();
  for (let i = 0; i < 5; i++) {
    await env.DB.prepare(
      "INSERT INTO tracks (id, artist_id, title, duration_ms, created_at, updated_at) VALUES (?1, 'arch-a1', 'T', 200000, 0, 0)",
    )
      .bind(`t${i}`)
      .run();
  }
  // Rows loaded straight into D1 carry no pending batch: the day is marked for a recompute instead.
  await insertEvents(dayEvents(day, 12).map((r) => ({ ...r, received_at: now - 60_000 })));
  const db = createDb(env.DB);
  await markDaysStale(db, day, day, now);
  await refreshDirtyDays(db, { maxDays: 100 });
  expect(await plays(day)).toBe(9);

  // Once the rollups are current, the day moves; its rollups stay.
  const moved = await archiveColdDays({ db: env.DB, bucket: env.ARCHIVE }, { now: now + 20 * 60_000, hotDays: 35, maxDays: 3 });
  expect(moved.rows).toBe(12);
  expect(await plays(day)).toBe(9);

  // A late play for that day, backfilled by an admin: its delta adds to the archived day's rollups.
  const late = dayEvents(day, 2, 'late').slice(1);
  const events = late.map((e) => ({
    event_id: e.event_id,
    user_id: e.user_id,
    track_id: e.track_id,
    type: e.type,
    ts: e.ts,
    ms_played: e.ms_played,
  }));
  const sent = await api('/v1/events', { body: { events } });
  expect(sent.status).toBe(200);
  await settleRollups();
  expect(await plays(day)).toBe(10);

  // A mark for the archived day (say a track of it changed) is dropped: rebuilt from D1 it would hold one play.
  await markDaysStale(db, day, day, Date.now());
  const refresh = await refreshDirtyDays(db, { maxDays: 100 });
  expect(refresh.failed).toEqual([]);
  expect(await plays(day)).toBe(10);
  expect(await env.DB.prepare('SELECT 1 FROM analytics_dirty_days WHERE day = ?1').bind(day).first()).toBeNull();
});
