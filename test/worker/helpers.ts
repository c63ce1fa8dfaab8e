import { env, exports } from 'cloudflare:workers';
import { rollupApplier } from '../../worker/rollups/applier.ts';
import { TEST_ADMIN_TOKEN } from './constants.ts';

export const ADMIN = TEST_ADMIN_TOKEN;

/** Calls the Worker's default export as a client would. */
export function api(path: string, init: { method?: string; key?: string | null; body?: unknown; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...init.headers };
  const key = init.key === undefined ? ADMIN : init.key;
  if (key) headers.authorization = `Bearer ${key}`;
  let body: string | undefined;
  if (init.body !== undefined) {
    body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
    headers['content-type'] ??= 'application/json';
  }
  return exports.default.fetch(`http://backbeat.test${path}`, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body });
}

export async function mintKey(role: 'admin' | 'app' | 'artist' | 'marketer' | 'editor', artistIds?: string[]): Promise<string> {
  const res = await api('/v1/admin/keys', { body: { role, name: `${role} test key`, ...(artistIds ? { artist_ids: artistIds } : {}) } });
  if (res.status !== 201) throw new Error(`minting a ${role} key failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { key: string }).key;
}

export function track(id: string, artistId: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    title: `Track ${id}`,
    artist: { id: artistId, name: `Artist ${artistId}` },
    duration_ms: 200_000,
    genre: 'indie',
    tags: ['dreamy'],
    audio_features: { energy: 0.4, valence: 0.6, tempo: 110 },
    ...extra,
  };
}

let seq = 0;
export function event(extra: Record<string, unknown> = {}) {
  seq += 1;
  return {
    event_id: `ev-${seq}-${crypto.randomUUID()}`,
    user_id: 'u1',
    track_id: 't1',
    type: 'play_start',
    ts: Date.now() - 60_000,
    ...extra,
  };
}

export interface ErrorEnvelope {
  error: {
    code: string;
    message: string;
    details?: { issues?: { path: string; code: string; message: string }[] } & Record<string, unknown>;
  };
}

/**
 * Brings the rollups up to date as the applier would a moment after ingest: every pending delta,
 * then every marked day. Tests call it between writing and reading analytics.
 */
export async function settleRollups(): Promise<void> {
  const run = await rollupApplier(env).refresh({ maxDays: 400, retryFailed: true });
  if (run.failed.length > 0 || run.deltas.failed.length > 0) throw new Error(`rollups failed: ${JSON.stringify(run)}`);
}
