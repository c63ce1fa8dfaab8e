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

/**
 * Requires an API key (`Authorization: Bearer <key>` or `X-Api-Key`) and sets `principal`.
 * Unknown, malformed and revoked keys all answer the same 401 so keys cannot be probed.
 */
export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  const key = presentedKey(c.req.header('authorization'), c.req.header('x-api-key'));
  if (!key) throw new ApiError(401, 'unauthorized', 'Missing API key: send Authorization: Bearer <key>');
  const principal = await resolvePrincipal(c.env, key);
  if (!principal) throw new ApiError(401, 'unauthorized', 'Unknown or revoked API key');
  c.set('principal', principal);
  await next();
});
