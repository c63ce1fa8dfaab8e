/** Mints the demo's app, artist and marketer keys through POST /v1/admin/keys. */
import { apiCall } from '../lib/local-worker.ts';
import type { DemoKey } from './state.ts';

export interface NamedArtist {
  id: string;
  name: string;
}

async function mint(
  url: string,
  admin: string,
  role: 'app' | 'artist' | 'marketer',
  name: string,
  artists?: NamedArtist[],
): Promise<DemoKey> {
  const body = { role, name, ...(artists ? { artist_ids: artists.map((a) => a.id) } : {}) };
  const res = await apiCall<{ key: string }>(url, admin, '/v1/admin/keys', { body });
  if (res.status !== 201) throw new Error(`minting the ${role} key failed (${res.status}): ${JSON.stringify(res.body)}`);
  return { key: res.body.key, ...(artists ? { artistIds: artists.map((a) => a.id), artistNames: artists.map((a) => a.name) } : {}) };
}

/**
 * The artist key is bound to the three biggest artists (the richest charts); the marketer key to a
 * label-sized roster of big and mid-sized artists, so campaigns have both headliners and room to grow.
 *
 * @example const keys = await mintDemoKeys(url, adminToken, world.biggestArtists(40));
 */
export async function mintDemoKeys(url: string, admin: string, byPopularity: NamedArtist[]) {
  const artist = byPopularity.slice(0, 3);
  const roster = [...byPopularity.slice(0, 4), ...byPopularity.slice(10, 40).filter((_, i) => i % 3 === 0)];
  return {
    app: await mint(url, admin, 'app', 'demo app'),
    artist: await mint(url, admin, 'artist', `demo artist team (${artist.map((a) => a.name).join(', ')})`, artist),
    marketer: await mint(url, admin, 'marketer', 'demo label marketer', roster),
  };
}

/** True when the key still authenticates (the local database may have been wiped since). */
export async function keyWorks(url: string, key: string): Promise<boolean> {
  const res = await apiCall(url, key, '/v1/me');
  return res.status === 200;
}
