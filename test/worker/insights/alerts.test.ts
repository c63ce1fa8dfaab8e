/**
 * Alerts: a day outside median ± 3 MAD of the artist's own 28 days before, and not for a quiet artist.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { isoToDay } from '../../../worker/analytics/period.ts';
import { createDb } from '../../../worker/db/client.ts';
import { type DeliveryMessage, detectAlerts } from '../../../worker/insights/alerts.ts';
import { bandOf, detectDay, mad, median, outlierOf } from '../../../worker/insights/band.ts';
import { api, mintKey } from '../helpers.ts';
import { type DayRow, seedArtist, seedTrackDays } from './seed.ts';

const P = 'ia';
const SPIKE = '2026-11-20';
const D = isoToDay(SPIKE);

/** 28 steady days (100–104 streams, 5 skips, 3 saves) and then `spike` streams on SPIKE. */
function steady(artistId: string, trackId: string, spike: number): DayRow[] {
  const rows: DayRow[] = Array.from({ length: 28 }, (_, i) => {
    const streams = 100 + (i % 5);
    return { trackId, artistId, day: D - 28 + i, streams, playsStarted: streams + 10, skips: 5, saves: 3 };
  });
  rows.push({ trackId, artistId, day: D, streams: spike, playsStarted: spike + 10, skips: 5, saves: 3 });
  return rows;
}

/** A quiet artist: 0–3 streams a day, then 12 on SPIKE (far outside its band, but only 10 streams more). */
function quiet(artistId: string, trackId: string): DayRow[] {
  const rows: DayRow[] = Array.from({ length: 28 }, (_, i) => ({ trackId, artistId, day: D - 28 + i, streams: i % 4 }));
  rows.push({ trackId, artistId, day: D, streams: 12 });
  return rows;
}

/** A queue that keeps what it is sent. */
function captureQueue() {
  const sent: DeliveryMessage[] = [];
  const queue = {
    send: async (body: DeliveryMessage) => void sent.push(body),
    sendBatch: async (msgs: Iterable<{ body: DeliveryMessage }>) => {
      for (const m of msgs) sent.push(m.body);
    },
  } as unknown as Queue<DeliveryMessage>;
  return { queue, sent };
}

describe('Alert band', () => {
  it('Should compute median, MAD and a band of 3 scaled MADs', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([1, 2, 3, 4])).toBe(2.5);
    expect(mad([1, 2, 3, 4, 100])).toBe(1);
    expect(bandOf([1, 2, 3, 4, 100])).toEqual({ median: 3, mad: 1, low: 3 - 3 * 1.4826, high: 3 + 3 * 1.4826 });
  });

  it('Should alert only outside the band and beyond the minimum change', () => {
    const base = Array.from({ length: 28 }, (_, i) => 100 + (i % 5)); // median 102, MAD 1 → band 97.55–106.45
    expect(outlierOf('streams', 140, base)).toMatchObject({ direction: 'up', median: 102 });
    expect(outlierOf('streams', 110, base)).toBeNull(); // outside the band, but only 8 more than the median
    expect(outlierOf('streams', 60, base)).toMatchObject({ direction: 'down' });
    expect(outlierOf('streams', 140, base.slice(0, 13))).toBeNull(); // too little history
  });

  it('Should need 14 days with streams before an artist has a normal at all', () => {
    const byDay = new Map([[D, { streams: 5000, playsStarted: 5000, skips: 0, netSaves: 0, reach: 0 }]]);
    expect(detectDay(byDay, D)).toEqual([]);
  });
});

describe('Alert detection', () => {
  it('Should alert on an injected spike, not on a quiet artist, and only once per day and metric', async () => {
    await seedArtist(`${P}-loud`, [{ id: `${P}-t1` }]);
    await seedArtist(`${P}-quiet`, [{ id: `${P}-t2` }]);
    await seedTrackDays([...steady(`${P}-loud`, `${P}-t1`, 400), ...quiet(`${P}-quiet`, `${P}-t2`)]);

    const run = await api('/v1/admin/insights/alerts/run', { body: { day: SPIKE } });
    expect(run.status).toBe(200);
    const body = (await run.json()) as { date: string; alerts: { artist_id: string; metric: string }[]; deliveries: number };
    expect(body.date).toBe(SPIKE);
    // Skip rate fell (5 of 410 against ~5 of 112) but by less than 10 points; saves did not move.
    expect(body.alerts.map((a) => [a.artist_id, a.metric])).toEqual([[`${P}-loud`, 'streams']]);
    expect(body.deliveries).toBe(0);

    const key = await mintKey('artist', [`${P}-loud`]);
    const list = await api(`/v1/artists/${P}-loud/alerts?from=2026-11-01&to=2026-11-30`, { key });
    expect(list.status).toBe(200);
    const { alerts } = (await list.json()) as { alerts: Record<string, unknown>[] };
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ date: SPIKE, metric: 'streams', direction: 'up', value: 400, median: 102 });
    expect(alerts[0]!.sentence).toBe('Streams on 2026-11-20: 400, well above your usual 102 (normal range 98–106).');

    const quietAlerts = await api(`/v1/artists/${P}-quiet/alerts?from=2026-11-01&to=2026-11-30`);
    expect(((await quietAlerts.json()) as { alerts: unknown[] }).alerts).toEqual([]);

    const again = await api('/v1/admin/insights/alerts/run', { body: { day: SPIKE } });
    expect(((await again.json()) as { alerts: unknown[] }).alerts).toEqual([]);
  });

  it('Should queue one signed-payload delivery per new alert and webhook of its artist', async () => {
    await seedArtist(`${P}-hooked`, [{ id: `${P}-t3` }]);
    await seedTrackDays(steady(`${P}-hooked`, `${P}-t3`, 10)); // a drop: 10 streams against ~102
    const key = await mintKey('artist', [`${P}-hooked`]);
    const hook = await api(`/v1/artists/${P}-hooked/webhooks`, { key, body: { url: 'http://127.0.0.1:9/hook' } });
    expect(hook.status).toBe(201);
    const { queue, sent } = captureQueue();
    const { alerts, deliveries } = await detectAlerts({ db: createDb(env.DB), queue }, [D], Date.now());
    expect(alerts.map((a) => [a.artistId, a.metric, a.direction])).toEqual([[`${P}-hooked`, 'streams', 'down']]);
    expect(deliveries).toBe(1);
    expect(sent).toHaveLength(1);
    const list = await api(`/v1/artists/${P}-hooked/webhooks/deliveries?status=pending`, { key });
    const { deliveries: rows } = (await list.json()) as { deliveries: { id: string; event: string; payload: unknown }[] };
    expect(rows.map((r) => r.id)).toEqual([sent[0]!.delivery_id]);
    expect(rows[0]).toMatchObject({
      event: 'alert.created',
      payload: { event: 'alert.created', alert: { metric: 'streams', direction: 'down' } },
    });
  });
});
