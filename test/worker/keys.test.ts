import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { api, type ErrorEnvelope, mintKey } from './helpers.ts';

describe('API keys', () => {
  it('Should answer 401 with the error envelope and a request id when the key is missing', async () => {
    const res = await api('/v1/me', { key: null });
    expect(res.status).toBe(401);
    expect(res.headers.get('x-request-id')).toBeTruthy();
    expect(((await res.json()) as ErrorEnvelope).error.code).toBe('unauthorized');
  });

  it('Should answer 401 for an unknown key of the right shape', async () => {
    const res = await api('/v1/me', { key: `bb_${'a'.repeat(12)}_${'b'.repeat(32)}` });
    expect(res.status).toBe(401);
  });

  it('Should throttle requests without a valid key per client address, with Retry-After', async () => {
    const from = (ip: string, key: string | null) => api('/v1/me', { key, headers: { 'cf-connecting-ip': ip } });
    const guess = () => `bb_${'c'.repeat(12)}_${crypto.randomUUID().replaceAll('-', '')}`;
    // The budget (wrangler.toml AUTH_FAILURES) is 100 failures a minute per address.
    const statuses: number[] = [];
    for (let i = 0; i < 101; i++) statuses.push((await from('203.0.113.7', i % 2 === 0 ? guess() : null)).status);
    expect(statuses.slice(0, 100).every((s) => s === 401)).toBe(true);
    const over = await from('203.0.113.7', guess());
    expect(over.status).toBe(429);
    expect(over.headers.get('retry-after')).toBe('60');
    expect(((await over.json()) as ErrorEnvelope).error.code).toBe('too_many_failed_auth');
    // Another address still gets its 401, and valid keys are never counted.
    expect((await from('198.51.100.4', guess())).status).toBe(401);
    expect((await from('203.0.113.7', (await mintKey('app')) as string)).status).toBe(200);
  });

  it('Should show a minted key once and store only its hash', async () => {
    const res = await api('/v1/admin/keys', { body: { role: 'artist', name: 'Label A', artist_ids: ['a1', 'a2'] } });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: string; key: string; role: string; artist_ids: string[] };
    expect(created.key).toMatch(/^bb_[a-z0-9]{12}_[a-z0-9]{32}$/);
    expect(created.key.startsWith(`bb_${created.id}_`)).toBe(true);
    const row = await env.DB.prepare('SELECT * FROM api_keys WHERE id = ?').bind(created.id).first<Record<string, unknown>>();
    expect(JSON.stringify(row)).not.toContain(created.key.slice(16));
    expect(row?.hash).toMatch(/^[0-9a-f]{64}$/);
    const listed = (await (await api('/v1/admin/keys')).json()) as { keys: Record<string, unknown>[] };
    const mine = listed.keys.find((k) => k.id === created.id);
    expect(mine).toMatchObject({ role: 'artist', artist_ids: ['a1', 'a2'], revoked_at: null });
    expect(mine).not.toHaveProperty('key');
    const who = await api('/v1/me', { key: created.key });
    expect(await who.json()).toEqual({
      key_id: created.id,
      role: 'artist',
      artist_ids: ['a1', 'a2'],
      artists: [
        { id: 'a1', name: null },
        { id: 'a2', name: null },
      ],
    });
  });

  it('Should require artist ids for artist and marketer keys, naming the field', async () => {
    const res = await api('/v1/admin/keys', { body: { role: 'marketer', name: 'Campaign team' } });
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorEnvelope;
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.details?.issues?.map((i) => i.path)).toContain('json.artist_ids');
  });

  it('Should reject an unknown role', async () => {
    const res = await api('/v1/admin/keys', { body: { role: 'superuser', name: 'x' } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorEnvelope).error.details?.issues?.[0]?.path).toBe('json.role');
  });

  it('Should stop accepting a key once revoked', async () => {
    const key = await mintKey('app');
    const id = key.split('_')[1];
    expect((await api('/v1/me', { key })).status).toBe(200);
    const revoked = await api(`/v1/admin/keys/${id}`, { method: 'DELETE' });
    expect(revoked.status).toBe(200);
    expect(((await revoked.json()) as { revoked_at: string | null }).revoked_at).not.toBeNull();
    expect((await api('/v1/me', { key })).status).toBe(401);
    expect((await api('/v1/admin/keys/nosuchkey000', { method: 'DELETE' })).status).toBe(404);
  });

  it('Should keep key administration to admin keys', async () => {
    const app = await mintKey('app');
    const res = await api('/v1/admin/keys', { key: app, body: { role: 'admin', name: 'escalate' } });
    expect(res.status).toBe(403);
    expect(((await res.json()) as ErrorEnvelope).error.code).toBe('forbidden');
  });
});

describe('GET /v1/me', () => {
  it('Should name the bound artists in one answer, null for one not in the catalogue yet', async () => {
    const up = await api('/v1/tracks', {
      method: 'PUT',
      body: { tracks: [{ id: 'me-t1', title: 'x', artist: { id: 'me-a1', name: 'Nova' }, duration_ms: 1000 }] },
    });
    expect(up.status).toBe(200);
    const key = await mintKey('marketer', ['me-a1', 'me-a-later']);
    const me = (await (await api('/v1/me', { key })).json()) as { role: string; artists: Array<{ id: string; name: string | null }> };
    expect(me.role).toBe('marketer');
    expect(me.artists).toEqual([
      { id: 'me-a1', name: 'Nova' },
      { id: 'me-a-later', name: null },
    ]);
    const admin = (await (await api('/v1/me')).json()) as { artists: unknown[] };
    expect(admin.artists).toEqual([]);
  });
});

describe('Service', () => {
  it('Should serve the OpenAPI document without a key, covering the event schema', async () => {
    const res = await api('/v1/openapi.json', { key: null });
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/events', '/v1/tracks', '/v1/tracks/{id}', '/v1/admin/keys']));
    expect(doc.components.schemas).toHaveProperty('Event');
  });

  it('Should render a human-readable API reference at /docs', async () => {
    const res = await api('/docs', { key: null });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('/v1/events');
    expect(html).toContain('Send a batch of listening events');
  });

  it('Should answer unknown API routes with the error envelope', async () => {
    const res = await api('/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(((await res.json()) as ErrorEnvelope).error.code).toBe('not_found');
  });
});
