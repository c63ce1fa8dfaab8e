/**
 * Which model serves traffic, per isolate. The active version (settings.active_model) is re-read
 * at most every ACTIVE_VERSION_TTL_MS, so an activation reaches every isolate within that time
 * without a redeploy; loaded bundles are kept per version (the previous one too, so a switch back
 * is instant) and released beyond that.
 */
import { BundleError } from '../../contract/bundle-manifest.ts';
import type { Db } from '../db/client.ts';
import { activeModelVersion, findModel } from '../db/models.ts';
import { openStoredBundle } from './bundle-store.ts';
import { type LoadedModel, loadModel } from './loaded-model.ts';

export const ACTIVE_VERSION_TTL_MS = 30_000;
const KEEP_VERSIONS = 2;

let lookup: { version: string | null; checkedAt: number } | null = null;
const loaded = new Map<string, Promise<LoadedModel>>();

/** The active version, read from D1 at most every 30 s per isolate. */
async function activeVersion(db: Db, now: number): Promise<string | null> {
  if (lookup && now - lookup.checkedAt < ACTIVE_VERSION_TTL_MS) return lookup.version;
  const version = await activeModelVersion(db);
  lookup = { version, checkedAt: now };
  return version;
}

/** Makes this isolate see a new activation at once (the others notice within the TTL). */
export function forgetActiveVersion(): void {
  lookup = null;
}

/**
 * The loaded bundle of `version` (from R2 on first use in this isolate, about 0.2 s plus the
 * download). A failed load is not cached, so the next request retries.
 *
 * @example const model = await modelOf(db, env.MODELS, 'v1');
 */
export function modelOf(db: Db, bucket: R2Bucket, version: string): Promise<LoadedModel> {
  const hit = loaded.get(version);
  if (hit) {
    // Map order is recency order: re-insert so eviction drops the least recently used.
    loaded.delete(version);
    loaded.set(version, hit);
    return hit;
  }
  const load = (async () => {
    const row = await findModel(db, version);
    if (!row) throw new BundleError('version', `active model ${version} is not registered`);
    return loadModel(await openStoredBundle(bucket, row.manifest));
  })();
  load.catch(() => loaded.delete(version));
  loaded.set(version, load);
  while (loaded.size > KEEP_VERSIONS) {
    const [oldest] = loaded.keys();
    if (oldest === undefined) break;
    // Sessions live in wasm memory, outside the garbage collector: free them explicitly.
    loaded
      .get(oldest)
      ?.then((m) => m.release())
      .catch(() => undefined);
    loaded.delete(oldest);
  }
  return load;
}

/** The active model, or null when none has been activated yet. */
export async function activeModel(db: Db, bucket: R2Bucket, now: number): Promise<LoadedModel | null> {
  const version = await activeVersion(db, now);
  return version ? modelOf(db, bucket, version) : null;
}
