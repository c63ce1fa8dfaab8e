import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { api, type ErrorEnvelope, event, mintKey } from './helpers.ts';

interface IngestResult {
  accepted: number;
  stored: number;
  duplicates: number;
  rejected: { index: number; event_id: string | null; errors: { path: string; code: string; message: string }[] }[];
}

async function countEvents(): Promise<number> {
  const row = await env.DB.prepare('SELECT count(*) AS n FROM events').first<{ n: number }>();
  return row?.n ?? 0;
}

const DAY = 86_400_000;
/** Three days ago at 09:00 UTC, written as 10:00 in a +01:00 zone. */
const THREE_DAYS_AGO = Math.floor(Date.now() / DAY - 3) * DAY + 9 * 3_600_000;
const THREE_DAYS_AGO_CET = `${new Date(THREE_DAYS_AGO + 3_600_000).toISOString().slice(0, 19)}+01:00`;

describe('POST /v1/events', () => {
  it('Should store a valid batch and create users on first sight', async () => {
    const app = await mintKey('app');
    const batch = [
      event({ user_id: 'new-user', type: 'play_start' }),
      event({ user_id: 'new-user', type: 'play_end', ms_played: 185_000, context: { source: 'algorithmic', rec_id: 'r1', position: 2 } }),
      event({ user_id: 'new-user', type: 'save', ts: THREE_DAYS_AGO_CET }),
    ];
    const res = await api('/v1/events', { key: app, body: { events: batch } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ accepted: 3, stored: 3, duplicates: 0, rejected: [] });
    const stored = await env.DB.prepare('SELECT type, ts, ms_played, source, rec_id, position FROM events WHERE user_id = ? ORDER BY ts')
      .bind('new-user')
      .all();
    expect(stored.results).toContainEqual({
      type: 'save',
      ts: THREE_DAYS_AGO,
      ms_played: null,
      source: null,
      rec_id: null,
      position: null,
    });
    expect(stored.results).toContainEqual(
      expect.objectContaining({ type: 'play_end', ms_played: 185_000, source: 'algorithmic', rec_id: 'r1', position: 2 }),
    );
    const user = await env.DB.prepare('SELECT id FROM users WHERE id = ?').bind('new-user').first();
    expect(user).toEqual({ id: 'new-user' });
  });

  it('Should never count a resent event twice', async () => {
    const app = await mintKey('app');
    const batch = [event(), event()];
    const before = await countEvents();
    const first = await api('/v1/events', { key: app, body: { events: batch } });
    expect(((await first.json()) as IngestResult).stored).toBe(2);
    // A retry of the same batch, and the same event twice in one batch.
    const retry = await api('/v1/events', { key: app, body: { events: [...batch, batch[0]] } });
    expect(retry.status).toBe(200);
    expect(await retry.json()).toMatchObject({ accepted: 3, stored: 0, duplicates: 3 });
    expect(await countEvents()).toBe(before + 2);
  });

  it('Should dedupe within the hot window, and refuse app events older than it with too_old at their ts', async () => {
    const app = await mintKey('app');
    // EVENTS_HOT_DAYS is 35: today and the 34 UTC days before it.
    const oldest = (Math.floor(Date.now() / DAY) - 34) * DAY;
    const edge = event({ user_id: 'window-user', ts: oldest });
    const tooOld = event({ user_id: 'window-user', ts: oldest - 1 });
    const res = await api('/v1/events', { key: app, body: { events: [edge, tooOld] } });
    expect(res.status).toBe(207);
    const body = (await res.json()) as IngestResult;
    expect(body).toMatchObject({ accepted: 1, stored: 1 });
    expect(body.rejected).toEqual([
      {
        index: 1,
        event_id: tooOld.event_id,
        errors: [{ path: 'events[1].ts', code: 'too_old', message: expect.stringContaining('35-day') }],
      },
    ]);
    // The oldest accepted event is still deduplicated, and a batch of duplicates leaves no rollup work.
    const pendingBefore = await env.DB.prepare('SELECT count(*) AS n FROM rollup_pending').first<{ n: number }>();
    const again = await api('/v1/events', { key: app, body: { events: [edge] } });
    expect(await again.json()).toMatchObject({ accepted: 1, stored: 0, duplicates: 1 });
    expect(await env.DB.prepare('SELECT count(*) AS n FROM rollup_pending').first<{ n: number }>()).toEqual(pendingBefore);
    // Only too-old events: 422 with every rejection.
    const none = await api('/v1/events', { key: app, body: { events: [tooOld] } });
    expect(none.status).toBe(422);
    expect(((await none.json()) as ErrorEnvelope).error.code).toBe('all_events_rejected');
    // Admin keys backfill history of any age.
    const backfill = await api('/v1/events', { body: { events: [event({ user_id: 'window-user', ts: oldest - 400 * DAY })] } });
    expect(await backfill.json()).toMatchObject({ stored: 1, rejected: [] });
  });

  it('Should store valid events and reject invalid ones with their index and field path', async () => {
    const app = await mintKey('app');
    const good = event();
    const res = await api('/v1/events', {
      key: app,
      body: {
        events: [
          good,
          event({ type: 'skip' }), // skip needs ms_played
          event({ ts: 'yesterday' }),
          event({ context: { source: 'telepathy' } }),
          'not an event',
          event({ colour: 'blue' }),
        ],
      },
    });
    expect(res.status).toBe(207);
    const body = (await res.json()) as IngestResult;
    expect(body.accepted).toBe(1);
    expect(body.rejected.map((r) => r.index)).toEqual([1, 2, 3, 4, 5]);
    const paths = body.rejected.map((r) => r.errors.map((e) => e.path));
    expect(paths[0]).toContain('events[1].ms_played');
    expect(paths[1]).toContain('events[2].ts');
    expect(paths[2]).toContain('events[3].context.source');
    expect(paths[3]).toContain('events[4]');
    expect(body.rejected[0]?.event_id).toMatch(/^ev-/);
    expect(body.rejected[3]?.event_id).toBeNull();
    const kept = await env.DB.prepare('SELECT event_id FROM events WHERE event_id = ?').bind(good.event_id).first();
    expect(kept).not.toBeNull();
  });

  it('Should answer 422 when no event is valid', async () => {
    const res = await api('/v1/events', { body: { events: [{ event_id: 'x' }] } });
    expect(res.status).toBe(422);
    expect(((await res.json()) as ErrorEnvelope).error.code).toBe('all_events_rejected');
  });

  it('Should reject a batch over 500 events', async () => {
    const events = Array.from({ length: 501 }, () => event());
    const res = await api('/v1/events', { body: { events } });
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorEnvelope;
    expect(body.error.code).toBe('invalid_batch_size');
    expect(body.error.details?.issues?.[0]?.path).toBe('events');
  });

  it('Should reject a body over 1 MB', async () => {
    const res = await api('/v1/events', { body: { events: [event({ pad: 'x'.repeat(1_100_000) })] } });
    expect(res.status).toBe(413);
    expect(((await res.json()) as ErrorEnvelope).error.code).toBe('payload_too_large');
  });

  it('Should reject malformed JSON and a missing events array', async () => {
    const broken = await api('/v1/events', { body: '{"events": [' });
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as ErrorEnvelope).error.code).toBe('invalid_json');
    const missing = await api('/v1/events', { body: { items: [] } });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as ErrorEnvelope).error.details?.issues?.[0]?.path).toBe('events');
  });

  it('Should refuse artist and marketer keys', async () => {
    const artist = await mintKey('artist', ['a1']);
    const res = await api('/v1/events', { key: artist, body: { events: [event()] } });
    expect(res.status).toBe(403);
    expect(((await res.json()) as ErrorEnvelope).error.code).toBe('forbidden');
  });
});
