import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env.ts';
import { ApiError } from '../errors.ts';

/**
 * Per-key request budget through the Workers rate-limiting binding (configured in wrangler.toml).
 * Runs after `authenticate`, so the budget belongs to the key, not to an IP that many apps share.
 */
export const rateLimitPerKey = createMiddleware<AppEnv>(async (c, next) => {
  const { success } = await c.env.RATE_LIMITER.limit({ key: c.get('principal').keyId });
  if (!success) {
    c.header('Retry-After', '10');
    throw new ApiError(429, 'rate_limited', 'Too many requests for this key; retry after 10 seconds');
  }
  await next();
});
