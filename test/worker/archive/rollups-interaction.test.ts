/**
 * Known issue at the seam with the rollups (worker/db/rollups.ts, owned by the analytics work): a
 * rollup recompute derives a day from the raw events in D1 only, so when an archived day receives a
 * late event, its refresh rebuilds the day from that one event and the archived events' counts are
 * lost. `it.fails` pins the issue: once rollups read both tiers (or the archive restores a day before
 * its recompute), this test passes, vitest reports it, and `.fails` should be removed.
 */
import { env } from 'cloudflare:workers';
import { expect, it } from 'vitest';
import { archiveColdDays } from '../../../worker/archive/events-archive.ts';
import { createDb } from '../../../worker/db/client.ts';
import { refreshDirtyDays } from '../../../worker/db/rollups.ts';
import { DAY, dayEvents, insertEvents, resetArchiveState } from './fixture.ts';

const plays = async (day: number) =>
  (await env.DB.prepare('SELECT coalesce(sum(plays), 0) AS p FROM track_daily WHERE day = ?1').bind(day).first<{ p: number }>())?.p;

it.fails('Should keep the rollups of an archived day when a late event arrives for it', async () => {
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
  await insertEvents(dayEvents(day, 12).map((r) => ({ ...r, received_at: now - 60_000 })));
  await refreshDirtyDays(createDb(env.DB), { maxDays: 100 });
  expect(await plays(day)).toBe(9);

  // Once the rollups are current, the day moves; its rollups stay.
  const moved = await archiveColdDays({ db: env.DB, bucket: env.ARCHIVE }, { now: now + 20 * 60_000, hotDays: 35, maxDays: 3 });
  expect(moved.rows).toBe(12);
  expect(await plays(day)).toBe(9);

  // A late play for that day: the refresh should count 10 plays, not rebuild the day from 1 event.
  await insertEvents(
    dayEvents(day, 2, 'late')
      .slice(1)
      .map((r) => ({ ...r, received_at: Date.now() })),
  );
  await refreshDirtyDays(createDb(env.DB), { maxDays: 100 });
  expect(await plays(day)).toBe(10);
});
