/**
 * Issue 19, item 8: the per-key budget, spent end to end. This project's configuration
 * (vitest.config.ts) lowers the RATE_LIMITER binding to RATE_LIMIT_IN_TEST requests per 10 s.
 */
import { describe, expect, it } from 'vitest';
import { RATE_LIMIT_IN_TEST } from '../constants.ts';
import { api, type ErrorEnvelope, mintKey } from '../helpers.ts';

describe('Per-key request budget', () => {
  it('Should answer 429 with Retry-After once a key has spent its budget, and keep other keys going', async () => {
    const spender = await mintKey('app');
    const other = await mintKey('app');
    const statuses: number[] = [];
    for (let i = 0; i < RATE_LIMIT_IN_TEST; i++) statuses.push((await api('/v1/me', { key: spender })).status);
    expect(statuses).toEqual(Array(RATE_LIMIT_IN_TEST).fill(200));
    const over = await api('/v1/me', { key: spender });
    expect(over.status).toBe(429);
    expect(over.headers.get('retry-after')).toBe('10');
    expect(((await over.json()) as ErrorEnvelope).error.code).toBe('rate_limited');
    expect((await api('/v1/me', { key: other })).status).toBe(200);
  });
});
