/**
 * GET /v1/tracks?q=: D1 refuses LIKE patterns over 50 bytes, so a long or multi-byte query must still
 * answer 200 and find what it names (found by the OpenAPI fuzz test).
 */
import { describe, expect, it } from 'vitest';
import { api, track } from './helpers.ts';

describe('Track search', () => {
  it('Should find a track by a query longer than the LIKE pattern limit, multi-byte characters included', async () => {
    const title = 'Größere Nächte über dem schwarzen Wasser und die langen Straßen';
    const put = await api('/v1/tracks', {
      method: 'PUT',
      body: { tracks: [track('ts-long', 'ts-a', { title }), track('ts-other', 'ts-a', { title: 'Größere Nächte über dem Meer' })] },
    });
    expect(put.status).toBe(200);
    const res = await api(`/v1/tracks?q=${encodeURIComponent(title.slice(0, 60))}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { tracks: { id: string }[] };
    expect(body.tracks.map((t) => t.id)).toEqual(['ts-long']);
  });

  it('Should answer 200 for a 100-character query of LIKE wildcards and multi-byte characters', async () => {
    const res = await api(`/v1/tracks?q=${encodeURIComponent('%_\\語'.repeat(25))}`);
    expect(res.status).toBe(200);
  });
});
