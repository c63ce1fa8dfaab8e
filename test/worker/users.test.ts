import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { api, type ErrorEnvelope, event, mintKey } from './helpers.ts';

describe('PUT /v1/users', () => {
  it('Should create listener profiles and read them back', async () => {
    const app = await mintKey('app');
    const res = await api('/v1/users', {
      method: 'PUT',
      key: app,
      body: {
        users: [
          { id: 'usr-1', timezone: 'Europe/Berlin', country: 'DE' },
          { id: 'usr-2', timezone: 'Asia/Tokyo' },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ accepted: 2, rejected: [] });
    const profile = await (await api('/v1/users/usr-1/profile', { key: app })).json();
    expect(profile).toMatchObject({ id: 'usr-1', timezone: 'Europe/Berlin', country: 'DE' });
  });

  it('Should keep stored fields that a later update leaves out', async () => {
    await api('/v1/users', { method: 'PUT', body: { users: [{ id: 'usr-3', timezone: 'America/New_York', country: 'US' }] } });
    await api('/v1/users', { method: 'PUT', body: { users: [{ id: 'usr-3', country: 'CA' }] } });
    const row = await env.DB.prepare('SELECT timezone, country FROM users WHERE id = ?').bind('usr-3').first();
    expect(row).toEqual({ timezone: 'America/New_York', country: 'CA' });
  });

  it('Should set the time zone of a listener first seen through events', async () => {
    const app = await mintKey('app');
    await api('/v1/events', { key: app, body: { events: [event({ user_id: 'usr-4' })] } });
    const res = await api('/v1/users', { method: 'PUT', key: app, body: { users: [{ id: 'usr-4', timezone: 'Europe/London' }] } });
    expect(res.status).toBe(200);
    const rows = await env.DB.prepare('SELECT timezone FROM users WHERE id = ?').bind('usr-4').all();
    expect(rows.results).toEqual([{ timezone: 'Europe/London' }]);
  });

  it('Should store the valid listeners and report the invalid ones with field paths (207)', async () => {
    const res = await api('/v1/users', {
      method: 'PUT',
      body: {
        users: [
          { id: 'usr-5', timezone: 'Mars/Olympus' },
          { id: 'usr-6', country: 'de' },
          { id: 'usr-7', country: 'FR' },
        ],
      },
    });
    expect(res.status).toBe(207);
    const body = (await res.json()) as { accepted: number; rejected: { index: number; id: string; errors: { path: string }[] }[] };
    expect(body.accepted).toBe(1);
    expect(body.rejected.map((r) => [r.index, r.id, r.errors[0]?.path])).toEqual([
      [0, 'usr-5', 'users[0].timezone'],
      [1, 'usr-6', 'users[1].country'],
    ]);
  });

  it('Should answer 422 when no listener is valid and 400 for a batch over 500', async () => {
    const none = await api('/v1/users', { method: 'PUT', body: { users: [{ id: '' }] } });
    expect(none.status).toBe(422);
    expect(((await none.json()) as ErrorEnvelope).error.code).toBe('all_users_rejected');
    const big = await api('/v1/users', { method: 'PUT', body: { users: Array.from({ length: 501 }, (_, i) => ({ id: `b-${i}` })) } });
    expect(big.status).toBe(400);
  });

  it('Should refuse artist keys', async () => {
    const artist = await mintKey('artist', ['some-artist']);
    const res = await api('/v1/users', { method: 'PUT', key: artist, body: { users: [{ id: 'usr-8' }] } });
    expect(res.status).toBe(403);
    const read = await api('/v1/users/usr-1/profile', { key: artist });
    expect(read.status).toBe(403);
  });

  it('Should date first_seen_at from the earliest event, even when the profile or later events came first', async () => {
    const now = Date.now();
    const day = 86_400_000;
    expect((await api('/v1/users', { method: 'PUT', body: { users: [{ id: 'fs-u1', country: 'DE' }] } })).status).toBe(200);
    const first = async () =>
      Date.parse(((await (await api('/v1/users/fs-u1/profile')).json()) as { first_seen_at: string }).first_seen_at);
    expect(await first()).toBeGreaterThanOrEqual(now - 1000);
    // A backfill of 120 days of history (admin keys may send old events), newest batch first.
    const send = async (...ts: number[]) => {
      const res = await api('/v1/events', { body: { events: ts.map((t) => event({ user_id: 'fs-u1', ts: t })) } });
      expect(res.status, await res.text()).toBe(200);
    };
    await send(now - 10 * day);
    expect(await first()).toBe(now - 10 * day);
    await send(now - 120 * day, now - 50 * day);
    expect(await first()).toBe(now - 120 * day);
    await send(now - 5 * day);
    expect(await first()).toBe(now - 120 * day);
  });

  it('Should answer 404 for an unknown listener', async () => {
    const res = await api('/v1/users/nobody-here/profile');
    expect(res.status).toBe(404);
    expect(((await res.json()) as ErrorEnvelope).error.code).toBe('user_not_found');
  });
});
