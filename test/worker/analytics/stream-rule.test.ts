/**
 * One stream rule everywhere (issue 27, item 2): a random event stream for one track, counted by
 * analytics (the rollups), by catalogue popularity ("popular this week") and by the trainer's event
 * weights, gives one number. Each edge of the rule is in the stream: 29 999 and 30 000 ms, and skips
 * on both sides of 30 s (a skip after 30 s is still a stream).
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { DAY_MS, eventWeight } from '../../../contract/events.ts';
import { mulberry32 } from '../../../models/train/random.ts';
import { createDb } from '../../../worker/db/client.ts';
import { trackPlayCounts } from '../../../worker/db/recs.ts';
import { api, event, settleRollups, track } from '../helpers.ts';

const TYPES = ['play_start', 'play_end', 'skip', 'save', 'playlist_add', 'share'] as const;
const EDGES = [0, 1_000, 29_999, 30_000, 30_001, 120_000, 199_999];

describe('One stream rule', () => {
  it('Should count the same streams in analytics, catalogue popularity and the trainer for a random event stream', async () => {
    const now = Date.now();
    const random = mulberry32(27); // deterministic, so a failure replays
    expect((await api('/v1/tracks', { method: 'PUT', body: { tracks: [track('sr-t1', 'sr-a1', { duration_ms: 200_000 })] } })).status).toBe(
      200,
    );
    const events = Array.from({ length: 300 }, (_, i) => {
      const type = TYPES[Math.floor(random() * TYPES.length)] as (typeof TYPES)[number];
      const closes = type === 'play_end' || type === 'skip';
      const ms = EDGES[Math.floor(random() * EDGES.length)] as number;
      return event({
        user_id: `sr-u${i % 17}`,
        track_id: 'sr-t1',
        type,
        ts: now - Math.floor(random() * 5 * DAY_MS) - 60_000,
        ...(closes ? { ms_played: ms } : {}),
      });
    });
    for (let i = 0; i < events.length; i += 100) {
      const res = await api('/v1/events', { body: { events: events.slice(i, i + 100) } });
      expect(res.status).toBe(200);
    }
    await settleRollups();

    const from = new Date(now - 6 * DAY_MS).toISOString().slice(0, 10);
    const to = new Date(now).toISOString().slice(0, 10);
    const overview = (await (await api(`/v1/artists/sr-a1/overview?from=${from}&to=${to}`)).json()) as {
      metrics: Record<string, { value: number | null }>;
    };
    const analytics = overview.metrics.streams?.value;

    const popular = (await trackPlayCounts(createDb(env.DB), now - 7 * DAY_MS)).find((r) => r.trackId === 'sr-t1')?.streams;

    // The trainer: an event is a stream when it earns the `play` or `complete` weight.
    const weights = { play: 1, complete: 1, save: 0, playlist_add: 0, skip: 0 };
    const trainer = events.filter(
      (e) =>
        (e.type === 'play_end' || e.type === 'skip') &&
        eventWeight({ type: e.type, ts: e.ts, msPlayed: (e as { ms_played?: number }).ms_played ?? null, durationMs: 200_000 }, weights) >
          0,
    ).length;

    expect(trainer).toBeGreaterThan(20);
    expect({ analytics, popular }).toEqual({ analytics: trainer, popular: trainer });
  });
});
