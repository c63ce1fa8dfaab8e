import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import {
  ArchiveError,
  archiveColdDays,
  type EventRow,
  eventIdDigest,
  listArchive,
  ORPHAN_GRACE_MS,
  readArchivedDay,
  sweepOrphans,
} from '../../../worker/archive/events-archive.ts';
import { byId, d1Rows, dayEvents, HOT_DAYS, insertEvents, manifest, NOW, r2Keys, resetArchiveState, TODAY } from './fixture.ts';

const deps = () => ({ db: env.DB, bucket: env.ARCHIVE });
const run = (extra: Partial<Parameters<typeof archiveColdDays>[1]> = {}) =>
  archiveColdDays(deps(), { now: NOW, hotDays: HOT_DAYS, maxDays: 10, ...extra });

// Cold: d < TODAY - HOT_DAYS. TODAY - 35 is the oldest hot day.
const COLD = [TODAY - 40, TODAY - 39, TODAY - 36];
const HOT = [TODAY - 35, TODAY - 1];

async function seed(perDay = 12): Promise<EventRow[]> {
  const rows = [...COLD, ...HOT].flatMap((d) => dayEvents(d, perDay));
  await insertEvents(rows);
  return rows.sort(byId);
}

async function archivedRows(days = COLD): Promise<EventRow[]> {
  const out: EventRow[] = [];
  for (const d of days) out.push(...(await readArchivedDay(env.ARCHIVE, env.DB, d)));
  return out;
}

/** Every original event exactly once across the two tiers, cell for cell. */
async function expectEachOnce(original: EventRow[]): Promise<void> {
  const both = [...(await d1Rows()), ...(await archivedRows())].sort(byId);
  expect(both.map((r) => r.event_id)).toEqual(original.map((r) => r.event_id));
  expect(both).toEqual(original);
}

beforeEach(resetArchiveState);

describe('archiveColdDays', () => {
  it('Should move cold days to Parquet cell for cell, delete them from D1 and leave hot days alone', async () => {
    const original = await seed();
    const result = await run();
    expect(result.days.map((p) => p.day)).toEqual(COLD);
    expect(result.rows).toBe(36);
    expect(result.bytes).toBe(result.days.reduce((n, p) => n + p.bytes, 0));
    expect(result.skipped).toEqual([]);
    expect(result.days[0]!.key).toMatch(/^events\/day=2026-10-11\/part-[0-9a-f]{32}\.parquet$/);

    for (const day of COLD) {
      const expected = original.filter((r) => Math.floor(Number(r.ts) / 86_400_000) === day);
      expect(await readArchivedDay(env.ARCHIVE, env.DB, day)).toEqual(expected);
    }
    const left = await d1Rows();
    expect(left).toEqual(original.filter((r) => HOT.includes(Math.floor(Number(r.ts) / 86_400_000))));
    expect((await manifest()).map((m) => [m.day, m.rows])).toEqual(COLD.map((d) => [d, 12]));
    expect(await r2Keys()).toEqual(result.days.map((p) => p.key).sort());
    const object = await env.ARCHIVE.head(result.days[0]!.key);
    expect(object?.size).toBe(result.days[0]!.bytes);
  });

  it('Should split a large day into parts of at most maxRowsPerPart rows, each listed once', async () => {
    const rows = dayEvents(TODAY - 50, 25);
    await insertEvents(rows);
    const result = await run({ maxRowsPerPart: 10 });
    expect(result.days.map((p) => p.rows)).toEqual([10, 10, 5]);
    expect(new Set(result.days.map((p) => p.key)).size).toBe(3);
    expect(await readArchivedDay(env.ARCHIVE, env.DB, TODAY - 50)).toEqual(rows);
    expect(await d1Rows()).toEqual([]);
  });

  it('Should move at most maxDays days, oldest first', async () => {
    const original = await seed();
    const first = await run({ maxDays: 2 });
    expect(first.days.map((p) => p.day)).toEqual(COLD.slice(0, 2));
    expect((await run({ maxDays: 2 })).days.map((p) => p.day)).toEqual([COLD[2]]);
    await expectEachOnce(original);
  });

  it('Should archive every column the table has, including ones added after this code', async () => {
    await env.DB.prepare('ALTER TABLE events ADD COLUMN archive_probe_text TEXT').run();
    await env.DB.prepare('ALTER TABLE events ADD COLUMN archive_probe_int INTEGER').run();
    onTestFinished(async () => {
      // Storage lives as long as the test file: put the table back as the migrations left it.
      await env.DB.prepare('DELETE FROM events').run();
      await env.DB.prepare('ALTER TABLE events DROP COLUMN archive_probe_text').run();
      await env.DB.prepare('ALTER TABLE events DROP COLUMN archive_probe_int').run();
    });
    await insertEvents(dayEvents(TODAY - 45, 3));
    await env.DB.prepare(
      "UPDATE events SET archive_probe_text = 'batch-' || substr(event_id, -1), archive_probe_int = 9007199254740991 WHERE event_id LIKE '%1'",
    ).run();
    const before = await d1Rows();
    await run();
    const archived = await readArchivedDay(env.ARCHIVE, env.DB, TODAY - 45);
    expect(archived).toEqual(before);
    expect(archived[1]).toMatchObject({ archive_probe_text: 'batch-1', archive_probe_int: 9007199254740991 });
    expect(archived[0]).toMatchObject({ archive_probe_text: null, archive_probe_int: null });
  });

  it('Should leave days the rollups have not caught up with', async () => {
    await insertEvents([...dayEvents(TODAY - 40, 4), ...dayEvents(TODAY - 39, 4)]);
    await insertEvents(dayEvents(TODAY - 38, 4).map((r, i) => (i === 0 ? { ...r, received_at: NOW - 60_000 } : r)));
    await env.DB.prepare('INSERT INTO analytics_dirty_days (day, version) VALUES (?1, 1)')
      .bind(TODAY - 40)
      .run();
    const result = await run();
    expect(result.days.map((p) => p.day)).toEqual([TODAY - 39]);
    expect(result.skipped).toEqual([
      { day: TODAY - 40, reason: 'rollup_pending' },
      { day: TODAY - 38, reason: 'recently_received' },
    ]);
    expect((await d1Rows()).length).toBe(8);
  });

  it('Should keep an event inserted while its day moves for the next run', async () => {
    const original = dayEvents(TODAY - 40, 6);
    await insertEvents(original);
    const late = dayEvents(TODAY - 40, 1, 'late')[0]!;
    // R2 that lets an ingest land between the read and the commit.
    const bucket = new Proxy(env.ARCHIVE, {
      get(target, prop) {
        if (prop === 'put')
          return async (...args: Parameters<R2Bucket['put']>) => {
            await insertEvents([late]);
            return target.put(...args);
          };
        const value = Reflect.get(target, prop);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const result = await archiveColdDays({ db: env.DB, bucket }, { now: NOW, hotDays: HOT_DAYS, maxDays: 5 });
    expect(result.rows).toBe(6);
    expect(await d1Rows()).toEqual([late]);
    expect(await readArchivedDay(env.ARCHIVE, env.DB, TODAY - 40)).toEqual(original);
    const next = await run();
    expect(next.days).toEqual([expect.objectContaining({ day: TODAY - 40, rows: 1 })]);
    expect(await d1Rows()).toEqual([]);
    expect((await readArchivedDay(env.ARCHIVE, env.DB, TODAY - 40)).sort(byId)).toEqual([...original, late].sort(byId));
  });

  it('Should commit nothing when an event arrives mid-move that the rollups have not seen', async () => {
    await insertEvents(dayEvents(TODAY - 40, 3));
    const fresh = { ...dayEvents(TODAY - 40, 1, 'fresh')[0]!, received_at: NOW - 1_000 };
    const bucket = new Proxy(env.ARCHIVE, {
      get(target, prop) {
        if (prop === 'put')
          return async (...args: Parameters<R2Bucket['put']>) => {
            await insertEvents([fresh]);
            return target.put(...args);
          };
        const value = Reflect.get(target, prop);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const result = await archiveColdDays({ db: env.DB, bucket }, { now: NOW, hotDays: HOT_DAYS, maxDays: 5 });
    expect(result.days).toEqual([]);
    expect(result.skipped).toEqual([{ day: TODAY - 40, reason: 'not_settled' }]);
    expect((await d1Rows()).length).toBe(4);
    expect(await manifest()).toEqual([]);
  });

  it('Should delete nothing when the object read back is not what was written', async () => {
    const original = dayEvents(TODAY - 40, 4);
    await insertEvents(original);
    // R2 that stores something else than it was given.
    const bucket = new Proxy(env.ARCHIVE, {
      get(target, prop) {
        if (prop === 'put') return (key: string) => target.put(key, 'garbage');
        const value = Reflect.get(target, prop);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    await expect(archiveColdDays({ db: env.DB, bucket }, { now: NOW, hotDays: HOT_DAYS, maxDays: 5 })).rejects.toMatchObject({
      code: 'archive_verify_failed',
    });
    expect(await d1Rows()).toEqual(original);
    expect(await manifest()).toEqual([]);
  });

  it('Should refuse a bad configuration with a code', async () => {
    await expect(run({ hotDays: -1 })).rejects.toMatchObject({ code: 'invalid_hot_days' });
    await expect(run({ maxDays: 0 })).rejects.toMatchObject({ code: 'invalid_max_days' });
    await expect(run({ maxRowsPerPart: 0 })).rejects.toMatchObject({ code: 'invalid_max_rows' });
  });
});

describe('crash safety', () => {
  for (const failAt of ['after-write', 'after-verify'] as const) {
    it(`Should lose and duplicate nothing when a run dies ${failAt}, and finish on the rerun`, async () => {
      const original = await seed();
      const err = await run({ failAt }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ArchiveError);
      expect((err as ArchiveError).code).toBe('injected_failure');
      // The object was written but is an orphan: not in the manifest, invisible to readers, events still in D1.
      const orphans = await r2Keys();
      expect(orphans).toHaveLength(1);
      expect(await manifest()).toEqual([]);
      expect(await archivedRows()).toEqual([]);
      expect(await d1Rows()).toEqual(original);

      const rerun = await run();
      expect(rerun.days.map((p) => p.day)).toEqual(COLD);
      // The rerun wrote the orphan's key again (same ids, same key): one object per part, no leftovers.
      expect(rerun.days[0]!.key).toBe(orphans[0]);
      const listed = await manifest();
      expect(listed.map((m) => m.key).sort()).toEqual(await r2Keys());
      expect(listed).toHaveLength(COLD.length);
      await expectEachOnce(original);
    });
  }

  it('Should finish after a crash right after a commit (the next run picks up the rest)', async () => {
    const original = await seed();
    // A run that committed one part and then died is indistinguishable from a run with maxDays 1.
    await run({ maxDays: 1, maxRowsPerPart: 5 });
    expect(await manifest()).toHaveLength(3);
    await expectEachOnce(original);
    await run({ maxRowsPerPart: 5 });
    expect(await manifest()).toHaveLength(9);
    expect((await manifest()).map((m) => m.key).sort()).toEqual(await r2Keys());
    await expectEachOnce(original);
  });

  it('Should do nothing on a rerun once everything cold has moved', async () => {
    const original = await seed();
    await run();
    const before = await Promise.all((await r2Keys()).map(async (k) => (await env.ARCHIVE.head(k))?.etag));
    const again = await run();
    expect(again).toEqual({ days: [], rows: 0, bytes: 0, skipped: [] });
    expect(await Promise.all((await r2Keys()).map(async (k) => (await env.ARCHIVE.head(k))?.etag))).toEqual(before);
    expect(await listArchive(env.DB)).toHaveLength(COLD.length);
    await expectEachOnce(original);
  });

  it('Should refuse to overwrite a committed part when its events come back to D1', async () => {
    const rows = dayEvents(TODAY - 40, 3);
    await insertEvents(rows);
    await run();
    await insertEvents(rows); // a client resends events that were archived already
    const again = await run();
    expect(again.skipped).toEqual([{ day: TODAY - 40, reason: 'part_committed_already' }]);
    expect((await d1Rows()).length).toBe(3);
    expect(await readArchivedDay(env.ARCHIVE, env.DB, TODAY - 40)).toEqual(rows);
  });

  it('Should notice when R2 lost or changed a listed part', async () => {
    await insertEvents(dayEvents(TODAY - 40, 3));
    const [part] = (await run()).days;
    await env.ARCHIVE.put(part!.key, 'not parquet');
    await expect(readArchivedDay(env.ARCHIVE, env.DB, TODAY - 40)).rejects.toMatchObject({ code: 'archive_corrupt' });
    await env.ARCHIVE.delete(part!.key);
    await expect(readArchivedDay(env.ARCHIVE, env.DB, TODAY - 40)).rejects.toMatchObject({ code: 'archive_object_missing' });
  });
});

describe('eventIdDigest', () => {
  it('Should not depend on the order of the ids', async () => {
    const a = await eventIdDigest(['e1', 'e2', 'e3']);
    expect(await eventIdDigest(['e3', 'e1', 'e2'])).toBe(a);
    expect(await eventIdDigest(['e1', 'e2'])).not.toBe(a);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('sweepOrphans', () => {
  it('Should delete only unlisted, old parts of days with no events left in D1', async () => {
    const rows = dayEvents(TODAY - 40, 3);
    await insertEvents([...rows, ...dayEvents(TODAY - 20, 2)]);
    const [part] = (await run()).days;
    const body = new Uint8Array([1, 2, 3]);
    const orphan = 'events/day=2026-10-11/part-orphan.parquet'; // TODAY - 40: archived, nothing left in D1
    const busyDay = 'events/day=2026-10-31/part-inflight.parquet'; // TODAY - 20: its events are still in D1
    await env.ARCHIVE.put(orphan, body);
    await env.ARCHIVE.put(busyDay, body);
    await env.ARCHIVE.put('events/README.txt', body);
    const later = Date.now() + 2 * ORPHAN_GRACE_MS;

    // Young objects are never touched.
    expect((await sweepOrphans(deps(), { now: Date.now() })).deleted).toEqual([]);
    const swept = await sweepOrphans(deps(), { now: later });
    expect(swept).toEqual({ examined: 4, deleted: [orphan], truncated: false });
    expect(await r2Keys()).toEqual(['events/README.txt', busyDay, part!.key].sort());
    expect(await readArchivedDay(env.ARCHIVE, env.DB, TODAY - 40)).toEqual(rows);
  });

  it('Should stop at maxObjects and say so', async () => {
    for (let i = 0; i < 3; i++) await env.ARCHIVE.put(`events/day=2026-01-0${i + 1}/part-x.parquet`, 'x');
    const swept = await sweepOrphans(deps(), { now: Date.now() + 2 * ORPHAN_GRACE_MS, maxObjects: 2 });
    expect(swept.examined).toBe(2);
    expect(swept.truncated).toBe(true);
    expect(swept.deleted).toHaveLength(2);
  });
});
