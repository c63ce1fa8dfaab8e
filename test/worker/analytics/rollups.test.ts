import { createScheduledController } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { epochDay } from '../../../worker/analytics/period.ts';
import { createDb } from '../../../worker/db/client.ts';
import { recomputeDay } from '../../../worker/db/rollups.ts';
import worker from '../../../worker/index.ts';
import { api, type ErrorEnvelope, mintKey } from '../helpers.ts';
import { at, eventLog, seedCatalogue, seedImpressions, sendEvents, setTimezones } from './fixture.ts';

const P = 'ru';
const D1 = epochDay(at('2026-10-05T00:00:00Z'));

async function snapshot(artistId: string) {
  const tables = ['track_daily', 'track_daily_breakdown', 'artist_user_daily', 'artist_clock_daily'];
  const out: Record<string, unknown[]> = {};
  for (const t of tables) {
    const { results } = await env.DB.prepare(`SELECT * FROM ${t} WHERE artist_id = ? AND day = ? ORDER BY 1, 2, 3, 4`)
      .bind(artistId, D1)
      .all();
    out[t] = results;
  }
  return out;
}

async function dirty(day: number): Promise<boolean> {
  return (await env.DB.prepare('SELECT 1 FROM analytics_dirty_days WHERE day = ?').bind(day).first()) !== null;
}

beforeAll(async () => {
  await seedCatalogue(P);
  await sendEvents(eventLog(P));
  await seedImpressions(P);
  await setTimezones(P);
});

describe('Rollups', () => {
  it('Should clear marked days and pending batches on the scheduled run', async () => {
    await env.DB.prepare('INSERT INTO analytics_dirty_days (day, version, marked_at) VALUES (?, 1, ?)').bind(D1, Date.now()).run();
    expect(await dirty(D1)).toBe(true);
    await worker.scheduled(createScheduledController({ cron: '* * * * *', scheduledTime: Date.now() }), env);
    expect(await dirty(D1)).toBe(false);
    const row = await env.DB.prepare('SELECT streams, plays_started FROM track_daily WHERE track_id = ? AND day = ?')
      .bind(`${P}-t1`, D1)
      .first();
    expect(row).toEqual({ streams: 2, plays_started: 3 });
  });

  it('Should give the same rows when a day is recomputed again, for everyone or for one artist', async () => {
    const once = await snapshot(`${P}-a`);
    expect(once.track_daily?.length).toBeGreaterThan(0);
    expect(once.artist_clock_daily?.length).toBeGreaterThan(0);
    const db = createDb(env.DB);
    await recomputeDay(db, D1);
    expect(await snapshot(`${P}-a`)).toEqual(once);
    await recomputeDay(db, D1, `${P}-a`);
    expect(await snapshot(`${P}-a`)).toEqual(once);
    // Another artist's rows survive a one-artist recompute.
    const other = await env.DB.prepare('SELECT count(*) AS n FROM track_daily WHERE artist_id = ?').bind(`${P}-b`).first<{ n: number }>();
    expect(other?.n).toBe(1);
  });

  it('Should let only admins trigger a refresh, and validate its body', async () => {
    const ok = await api('/v1/admin/analytics/refresh', { body: { max_days: 5 } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ remaining: expect.any(Number), refreshed: expect.any(Number) });
    const bad = await api('/v1/admin/analytics/refresh', { body: { max_days: 0 } });
    expect(bad.status).toBe(400);
    const backwards = await api('/v1/admin/analytics/refresh', { body: { stale_from: '2026-10-06', stale_to: '2026-10-05' } });
    expect(((await backwards.json()) as ErrorEnvelope).error.details?.issues?.map((i) => i.path)).toEqual(['json.stale_to']);
    // Old impressions imported late are picked up once their days are marked stale.
    const marked = await api('/v1/admin/analytics/refresh', { body: { stale_from: '2026-10-05', stale_to: '2026-10-06', max_days: 400 } });
    expect(((await marked.json()) as { refreshed: number }).refreshed).toBeGreaterThanOrEqual(2);
    expect(await dirty(D1)).toBe(false);
    const artistKey = await mintKey('artist', [`${P}-a`]);
    expect((await api('/v1/admin/analytics/refresh', { key: artistKey, body: {} })).status).toBe(403);
  });
});
