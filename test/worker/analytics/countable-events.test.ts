/**
 * Issue 12, defects 1 and 2: an event the API accepts must never break a later read or refresh.
 */
import { describe, expect, it } from 'vitest';
import { api, event, settleRollups, track } from '../helpers.ts';

const FROM = '2026-10-01';
const TO = '2026-10-10';
const q = `from=${FROM}&to=${TO}`;
const TS = Date.UTC(2026, 9, 5, 12);

const VIEWS = ['overview', 'timeseries', 'tracks', 'audience', 'reach'];

async function expectAllViews(artistId: string): Promise<void> {
  for (const view of VIEWS) {
    const res = await api(`/v1/artists/${artistId}/${view}?${q}`);
    expect({ view, status: res.status }).toEqual({ view, status: 200 });
  }
}

describe('Countable events', () => {
  it('Should keep every analytics view and the global refresh working after a lone play_end with no context', async () => {
    const put = await api('/v1/tracks', { method: 'PUT', body: { tracks: [track('ce-t1', 'ce-a1')] } });
    expect(put.status).toBe(200);
    const sent = await api('/v1/events', {
      body: { events: [event({ user_id: 'ce-u1', track_id: 'ce-t1', type: 'play_end', ts: TS, ms_played: 190_000 })] },
    });
    expect(sent.status).toBe(200);
    await settleRollups();
    await expectAllViews('ce-a1');
    const overview = (await (await api(`/v1/artists/ce-a1/overview?${q}`)).json()) as {
      metrics: Record<string, { value: number | null }>;
    };
    expect(overview.metrics.streams?.value).toBe(1);
    expect(overview.metrics.algorithmic_streams?.value).toBe(0);
    const refresh = await api('/v1/admin/analytics/refresh', { body: { stale_from: FROM, stale_to: TO, max_days: 400 } });
    expect(refresh.status).toBe(200);
    expect(((await refresh.json()) as { failed: unknown[] }).failed).toEqual([]);
  });

  it('Should move a track and its counts to its new artist, without an error on either side', async () => {
    await api('/v1/tracks', { method: 'PUT', body: { tracks: [track('ce-t2', 'ce-old')] } });
    const sent = await api('/v1/events', {
      body: {
        events: [
          event({ user_id: 'ce-u2', track_id: 'ce-t2', type: 'play_start', ts: TS }),
          event({ user_id: 'ce-u2', track_id: 'ce-t2', type: 'play_end', ts: TS + 1000, ms_played: 60_000 }),
        ],
      },
    });
    expect(sent.status).toBe(200);
    await settleRollups();
    await expectAllViews('ce-old'); // rolls the day up under the old artist
    const moved = await api('/v1/tracks', { method: 'PUT', body: { tracks: [track('ce-t2', 'ce-new')] } });
    expect(moved.status).toBe(200);
    await settleRollups();
    await expectAllViews('ce-new');
    const csv = await api(`/v1/artists/ce-new/tracks?${q}&format=csv`);
    expect(csv.status).toBe(200);
    const streams = async (artistId: string) =>
      ((await (await api(`/v1/artists/${artistId}/overview?${q}`)).json()) as { metrics: Record<string, { value: number | null }> }).metrics
        .streams?.value;
    expect(await streams('ce-new')).toBe(1);
    expect(await streams('ce-old')).toBe(0);
  });
});
