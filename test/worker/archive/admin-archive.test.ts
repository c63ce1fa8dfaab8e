import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import type { EventRow } from '../../../worker/archive/events-archive.ts';
import { archiveColdDays } from '../../../worker/jobs/archive-cold-days.ts';
import { runJob } from '../../../worker/jobs/index.ts';
import { api, type ErrorEnvelope, mintKey } from '../helpers.ts';
import { DAY, d1Rows, dayEvents, insertEvents, resetArchiveState } from './fixture.ts';

const today = () => Math.floor(Date.now() / DAY);

interface RunResult {
  hot_days: number;
  parts: { day: string; key: string; rows: number; bytes: number }[];
  rows: number;
  bytes: number;
  skipped: { day: string; reason: string }[];
}

beforeEach(resetArchiveState);

describe('/v1/admin/archive', () => {
  it('Should answer 401 without a key and 403 for keys that are not admin', async () => {
    expect((await api('/v1/admin/archive/run', { method: 'POST', key: null })).status).toBe(401);
    expect((await api('/v1/admin/archive', { key: null })).status).toBe(401);
    for (const role of ['app', 'artist', 'marketer'] as const) {
      const key = await mintKey(role, role === 'app' ? undefined : ['a1']);
      const run = await api('/v1/admin/archive/run', { method: 'POST', key });
      expect(run.status).toBe(403);
      expect(((await run.json()) as ErrorEnvelope).error.code).toBe('forbidden');
      expect((await api('/v1/admin/archive', { key })).status).toBe(403);
      expect((await api('/v1/admin/archive/sweep', { method: 'POST', key })).status).toBe(403);
    }
  });

  it('Should move the days older than EVENTS_HOT_DAYS and list them', async () => {
    const old = [today() - 50, today() - 49, today() - 40];
    // Received long ago, so the rollups have seen them.
    const rows: EventRow[] = old.flatMap((d) => dayEvents(d, 4).map((r) => ({ ...r, received_at: Date.now() - 30 * DAY })));
    const hot: EventRow[] = dayEvents(today() - 2, 3).map((r) => ({ ...r, received_at: Date.now() - DAY }));
    await insertEvents([...rows, ...hot]);

    const res = await api('/v1/admin/archive/run', { body: { max_days: 2 } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as RunResult;
    expect(body.hot_days).toBe(Number(env.EVENTS_HOT_DAYS));
    expect(body.parts).toHaveLength(2);
    expect(body.parts[0]).toEqual({
      day: new Date(old[0]! * DAY).toISOString().slice(0, 10),
      key: expect.stringMatching(/^events\/day=\d{4}-\d{2}-\d{2}\/part-[0-9a-f]{32}\.parquet$/),
      rows: 4,
      bytes: expect.any(Number),
    });
    expect(body.rows).toBe(8);
    expect(body.skipped).toEqual([]);

    // No body: the default of 3 days takes the remaining cold day.
    const rest = (await (await api('/v1/admin/archive/run', { method: 'POST' })).json()) as RunResult;
    expect(rest.parts.map((p) => p.rows)).toEqual([4]);
    expect((await d1Rows()).map((r) => r.event_id)).toEqual(hot.map((r) => r.event_id));

    const list = await api('/v1/admin/archive');
    expect(list.status).toBe(200);
    const listed = (await list.json()) as { parts: RunResult['parts']; rows: number; bytes: number };
    expect(listed.parts.map((p) => p.key)).toEqual([...body.parts, ...rest.parts].map((p) => p.key));
    expect(listed.rows).toBe(12);
    expect(listed.bytes).toBe(listed.parts.reduce((n, p) => n + p.bytes, 0));
  });

  it('Should sweep orphans on request, keeping what is young', async () => {
    await env.ARCHIVE.put('events/day=2020-01-01/part-orphan.parquet', 'x');
    const res = await api('/v1/admin/archive/sweep', { method: 'POST' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ examined: 1, deleted: [], truncated: false });
  });

  it('Should refuse max_days outside 1..365 with field paths', async () => {
    for (const max_days of [0, 366, 1.5, 'three']) {
      const res = await api('/v1/admin/archive/run', { body: { max_days } });
      expect(res.status).toBe(400);
      const err = (await res.json()) as ErrorEnvelope;
      expect(err.error.code).toBe('invalid_request');
      expect(err.error.details?.issues?.[0]?.path).toBe('json.max_days');
    }
  });

  it('Should never throw from the cron when archiving fails, and log a JSON line with a code', async () => {
    const lines: string[] = [];
    const original = console.error;
    console.error = (line: string) => lines.push(line);
    let ok: boolean;
    try {
      ok = await runJob(archiveColdDays, { ...env, EVENTS_HOT_DAYS: 'soon' as '35' }, Date.now());
    } finally {
      console.error = original;
    }
    expect(ok).toBe(false);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 'error',
      job: 'archive-cold-days',
      error: { code: 'invalid_config', message: expect.stringContaining('EVENTS_HOT_DAYS') },
    });
  });

  it('Should archive from the cron entry', async () => {
    await insertEvents(dayEvents(today() - 60, 5).map((r) => ({ ...r, received_at: Date.now() - 30 * DAY })));
    await runJob(archiveColdDays, env, Date.now());
    expect(await d1Rows()).toEqual([]);
    expect((await env.DB.prepare('SELECT rows FROM event_archive').all()).results).toEqual([{ rows: 5 }]);
  });
});

describe("The archive job's sweep", () => {
  it('Should sweep orphans on the run at minute 0 only', async () => {
    await env.ARCHIVE.put('events/day=2020-01-01/part-orphan.parquet', 'x');
    const later = Date.now() + 3 * 3_600_000;
    const atMinute = (m: number) => {
      const d = new Date(later);
      d.setUTCMinutes(m, 0, 0);
      return d.getTime();
    };
    await runJob(archiveColdDays, env, atMinute(7));
    expect((await env.ARCHIVE.list({ prefix: 'events/' })).objects).toHaveLength(1);
    await runJob(archiveColdDays, env, atMinute(0));
    expect((await env.ARCHIVE.list({ prefix: 'events/' })).objects).toHaveLength(0);
  });
});
