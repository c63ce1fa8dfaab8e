import { describe, expect, it } from 'vitest';
import { MAX_URL_LENGTH } from '../../worker/app.ts';
import { api, type ErrorEnvelope } from './helpers.ts';

const BASE = 'http://backbeat.test';

describe('Long URLs', () => {
  it('Should answer a URL over the limit with 414 in the error envelope, with or without a key', async () => {
    const path = `/v1/tracks?q=${'x'.repeat(MAX_URL_LENGTH)}`;
    for (const key of [undefined, null]) {
      const res = await api(path, key === null ? { key: null } : {});
      expect(res.status).toBe(414);
      expect(res.headers.get('content-type')).toContain('application/json');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      const body = (await res.json()) as ErrorEnvelope;
      expect(body.error.code).toBe('uri_too_long');
      expect(body.error.message).toContain(String(MAX_URL_LENGTH));
    }
  });

  it('Should pass a URL at the limit on to the route (which judges the query itself)', async () => {
    const prefix = '/v1/tracks?q=';
    const path = `${prefix}${'y'.repeat(MAX_URL_LENGTH - BASE.length - prefix.length)}`;
    expect(BASE.length + path.length).toBe(MAX_URL_LENGTH);
    const res = await api(path);
    // The route's own validation answers (q is at most 200 characters), not the URL limit.
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorEnvelope).error.details?.issues?.[0]?.path).toBe('query.q');
  });
});
