import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS } from '../../contract/events.ts';
import { api, type ErrorEnvelope, event, mintKey, settleRollups, track } from './helpers.ts';

const DAYS_AGO = 20;
const servedAt = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate()) - DAYS_AGO * DAY_MS + 3_600_000;

const list = (recId: string, userId: string, tracks: string[]) => ({
  rec_id: recId,
  user_id: userId,
  surface: 'home',
  served_at: servedAt,
  items: tracks.map((track_id) => ({ track_id })),
});

describe('Served-list backfill', () => {
  beforeAll(async () => {
    const res = await api('/v1/tracks', {
      method: 'PUT',
      body: { tracks: [track('sl-t1', 'sl-a'), track('sl-t2', 'sl-a'), track('sl-t3', 'sl-a')] },
    });
    expect(res.status).toBe(200);
  });

  it('Should store historic lists as impressions on their day, count them once however often they are resent, and let their plays convert', async () => {
    const body = { lists: [list('sl-r1', 'sl-u1', ['sl-t1', 'sl-t2', 'sl-t3']), list('sl-r2', 'sl-u2', ['sl-t2', 'sl-t1'])] };
    const first = await api('/v1/admin/served-lists', { body });
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ accepted: 2, stored: 2, duplicates: 0, rejected: [] });
    const again = await api('/v1/admin/served-lists', { body });
    expect(await again.json()).toEqual({ accepted: 2, stored: 0, duplicates: 2, rejected: [] });
    const rows = await env.DB.prepare(
      'SELECT rec_id, position, track_id, user_id, source, served_at FROM rec_items WHERE rec_id = ?1 ORDER BY position',
    )
      .bind('sl-r1')
      .all();
    expect(rows.results).toEqual(
      ['sl-t1', 'sl-t2', 'sl-t3'].map((t, position) => ({
        rec_id: 'sl-r1',
        position,
        track_id: t,
        user_id: 'sl-u1',
        source: 'model',
        served_at: servedAt,
      })),
    );
    // A play sent back with the list's rec_id is an algorithmic stream of that day.
    const play = await api('/v1/events', {
      body: {
        events: [
          event({
            user_id: 'sl-u1',
            track_id: 'sl-t2',
            type: 'play_end',
            ms_played: 120_000,
            ts: servedAt + 60_000,
            context: { source: 'algorithmic', rec_id: 'sl-r1', position: 1 },
          }),
        ],
      },
    });
    expect(play.status).toBe(200);
    await settleRollups();
    const day = new Date(servedAt).toISOString().slice(0, 10);
    const reach = (await (await api(`/v1/artists/sl-a/reach?from=${day}&to=${day}`)).json()) as {
      series: Array<{ date: string; impressions: number; reach: number; algorithmic_streams: number }>;
    };
    expect(reach.series.find((p) => p.date === day)).toEqual({ date: day, impressions: 5, reach: 2, algorithmic_streams: 1 });
  });

  it('Should refuse a list with a bad id, no items or a future day, naming the field, and store nothing of that request', async () => {
    const cases: Array<[unknown, string]> = [
      [{ lists: [list('ok-1', 'u', ['sl-t1']), { ...list('bad id', 'u', ['sl-t1']) }] }, 'json.lists[1].rec_id'],
      [{ lists: [{ ...list('sl-r9', 'u', []) }] }, 'json.lists[0].items'],
      [{ lists: [{ ...list('sl-r9', 'u', ['sl-t1']), served_at: Date.now() + 3 * DAY_MS }] }, 'json.lists[0].served_at'],
      [{ lists: [] }, 'json.lists'],
    ];
    for (const [body, path] of cases) {
      const res = await api('/v1/admin/served-lists', { body });
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
      expect(((await res.json()) as ErrorEnvelope).error.details?.issues?.map((i) => i.path)).toContain(path);
    }
    expect(await env.DB.prepare("SELECT count(*) AS n FROM rec_lists WHERE rec_id = 'ok-1'").first('n')).toBe(0);
  });

  it('Should let only admin keys backfill', async () => {
    for (const role of ['app', 'artist', 'marketer', 'editor'] as const) {
      const key = await mintKey(role, role === 'artist' || role === 'marketer' ? ['sl-a'] : undefined);
      const res = await api('/v1/admin/served-lists', { key, body: { lists: [list('sl-r5', 'u', ['sl-t1'])] } });
      expect({ role, status: res.status }).toEqual({ role, status: 403 });
    }
  });
});
