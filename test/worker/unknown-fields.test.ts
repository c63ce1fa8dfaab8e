/**
 * One rule for every route (issue 28, item 6): a query parameter or body field the operation does
 * not declare gets 400 with its path, never a silent 200 that ignores it.
 */
import { describe, expect, it } from 'vitest';
import { api, type ErrorEnvelope, event } from './helpers.ts';

async function issues(res: Response) {
  expect(res.status).toBe(400);
  const body = (await res.json()) as ErrorEnvelope;
  expect(body.error.code).toBe('invalid_request');
  return body.error.details?.issues ?? [];
}

describe('Unknown parameters and fields', () => {
  it('Should refuse an undeclared query parameter on any route, naming it', async () => {
    expect(await issues(await api('/v1/users/u1/recommendations?limit=5&exclude_artist=a1'))).toEqual([
      { path: 'query.exclude_artist', code: 'unrecognized_keys', message: 'Unknown query parameter exclude_artist' },
    ]);
    const two = await issues(await api('/v1/artists/a1/overview?from=2026-11-01&colour=red&sort=x'));
    expect(two.map((i) => i.path)).toEqual(['query.colour', 'query.sort']);
    expect((await issues(await api('/v1/admin/keys?page=2'))).map((i) => i.path)).toEqual(['query.page']);
  });

  it('Should still take every declared parameter', async () => {
    await api('/v1/tracks', {
      method: 'PUT',
      body: { tracks: [{ id: 'uf-t1', title: 'x', artist: { id: 'uf-a1', name: 'A' }, duration_ms: 1000 }] },
    });
    expect((await api('/v1/tracks?q=x&limit=3')).status).toBe(200);
    expect((await api('/v1/admin/audit?limit=5')).status).toBe(200);
    expect((await api('/v1/artists/uf-a1/tracks?format=csv&sort=streams&order=asc')).status).toBe(200);
    // A route without parameters takes a bare query string too.
    expect((await api('/v1/me?')).status).toBe(200);
  });

  it('Should refuse unknown top-level fields of batches and of the archive run', async () => {
    const batch = await api('/v1/events', { body: { events: [event({ user_id: 'uf-u1' })], user: 'x' } });
    expect(await issues(batch)).toEqual([{ path: 'user', code: 'unrecognized_keys', message: 'Unknown field user' }]);
    const run = await api('/v1/admin/archive/run', { body: { max_days: 1, deep: { a: { b: 1 } } } });
    expect(await issues(run)).toEqual([{ path: 'json.deep', code: 'unrecognized_keys', message: 'Unknown field deep' }]);
    const recs = await api('/v1/users/u1/recommendations', { body: { limit: 5, colour: 'red' } });
    expect((await issues(recs)).map((i) => i.path)).toEqual(['json.colour']);
  });
});
