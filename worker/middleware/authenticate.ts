import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { digestsEqual, parseKeyId, sha256Hex } from '../auth/key-material.ts';
import type { Principal } from '../auth/principal.ts';
import { findActiveKey } from '../db/api-keys.ts';
import { createDb } from '../db/client.ts';
import type { AppEnv } from '../env.ts';
import { ApiError } from '../errors.ts';

/** Id under which the deployment's ADMIN_TOKEN acts; it is not a row in api_keys. */
export const ROOT_KEY_ID = 'root';

function presentedKey(header: string | undefined, apiKeyHeader: string | undefined): string | null {
  if (apiKeyHeader) return apiKeyHeader.trim();
  if (!header) return null;
  const m = /^Bearer\s+(.+)$/i.exec(header.trim());
  return m?.[1]?.trim() ?? null;
}

async function resolvePrincipal(env: Env, key: string): Promise<Principal | null> {
  const hash = await sha256Hex(key);
  if (env.ADMIN_TOKEN && digestsEqual(hash, await sha256Hex(env.ADMIN_TOKEN))) {
    return { keyId: ROOT_KEY_ID, role: 'admin', artistIds: [] };
  }
  const id = parseKeyId(key);
  if (!id) return null;
  const row = await findActiveKey(createDb(env.DB), id);
  if (!row || !digestsEqual(hash, row.hash)) return null;
  return { keyId: row.id, role: row.role, artistIds: row.artistIds };
}

/** Seconds a client address waits once its budget of requests without a valid key is spent. */
const AUTH_FAILURE_PERIOD_S = 60;

/**
 * Counts a request without a valid key against its client address (the AUTH_FAILURES binding,
 * wrangler.toml), so guessing keys or flooding with bad ones costs the sender, not the service.
 * Requests that reach a Worker always carry CF-Connecting-IP; without it (local tools) they share one budget.
 */
async function unauthorized(c: Context<AppEnv>, message: string): Promise<never> {
  const { success } = await c.env.AUTH_FAILURES.limit({ key: c.req.header('cf-connecting-ip') ?? 'local' });
  if (!success) {
    c.header('Retry-After', String(AUTH_FAILURE_PERIOD_S));
    throw new ApiError(
      429,
      'too_many_failed_auth',
      `Too many requests without a valid key from this address; retry after ${AUTH_FAILURE_PERIOD_S} seconds`,
    );
  }
  throw new ApiError(401, 'unauthorized', message);
}

/**
 * Requires an API key (`Authorization: Bearer <key>` or `X-Api-Key`) and sets `principal`.
 * Unknown, malformed and revoked keys all answer the same 401 so keys cannot be probed, and count
 * against the client address's budget of failures (429 once it is spent).
 */
export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  const key = presentedKey(c.req.header('authorization'), c.req.header('x-api-key'));
  if (!key) return unauthorized(c, 'Missing API key: send Authorization: Bearer <key>');
  const principal = await resolvePrincipal(c.env, key);
  if (!principal) return unauthorized(c, 'Unknown or revoked API key');
  c.set('principal', principal);
  await next();
});
