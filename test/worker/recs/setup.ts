import { exports } from 'cloudflare:workers';
import { ADMIN, api } from '../helpers.ts';
import { BUNDLES, type FixtureBundle, TRACKS } from './fixtures/bundles.gen.ts';

export { BUNDLES, TRACKS };

export const decode = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));

export function versionOf(bundle: FixtureBundle): string {
  return (JSON.parse(bundle.manifest) as { version: string }).version;
}

/** POSTs a bundle as multipart/form-data, one part per file; `tamper` edits it first. */
export function uploadBundle(
  bundle: FixtureBundle,
  opts: { key?: string; manifest?: (m: Record<string, unknown>) => void; files?: Record<string, Uint8Array | null> } = {},
) {
  const form = new FormData();
  const manifest = JSON.parse(bundle.manifest) as Record<string, unknown>;
  opts.manifest?.(manifest);
  form.append('manifest.json', new Blob([JSON.stringify(manifest)]), 'manifest.json');
  const files: Record<string, Uint8Array | null> = {
    ...Object.fromEntries(Object.entries(bundle.files).map(([n, b]) => [n, decode(b)])),
    ...opts.files,
  };
  for (const [name, bytes] of Object.entries(files)) if (bytes) form.append(name, new Blob([bytes as Uint8Array<ArrayBuffer>]), name);
  return exports.default.fetch('http://backbeat.test/v1/admin/models', {
    method: 'POST',
    headers: { authorization: `Bearer ${opts.key ?? ADMIN}` },
    body: form,
  });
}

export async function uploadAndActivate(bundle: FixtureBundle): Promise<string> {
  const up = await uploadBundle(bundle);
  if (up.status !== 201 && up.status !== 409) throw new Error(`upload failed: ${up.status} ${await up.text()}`);
  const version = versionOf(bundle);
  const act = await api(`/v1/admin/models/${version}/activate`, { method: 'POST' });
  if (act.status !== 200) throw new Error(`activation failed: ${act.status} ${await act.text()}`);
  return version;
}

/** The fixture catalogue, with the new singles released three days ago. */
export async function putCatalogue(): Promise<void> {
  const recent = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
  const tracks = TRACKS.map((t) => ({ ...t, release_date: t.release_date === 'RECENT' ? recent : t.release_date }));
  for (let i = 0; i < tracks.length; i += 500) {
    const res = await api('/v1/tracks', { method: 'PUT', body: { tracks: tracks.slice(i, i + 500) } });
    if (res.status !== 200) throw new Error(`catalogue upload failed: ${res.status} ${await res.text()}`);
  }
}

export function genreOf(trackId: string): string | undefined {
  return TRACKS.find((t) => t.id === trackId)?.genre;
}

export function artistOf(trackId: string): string | undefined {
  return TRACKS.find((t) => t.id === trackId)?.artist.id;
}

export interface RecList {
  rec_id: string;
  model_version: string;
  cold_start: string;
  context: { activity: string | null };
  items: Array<{ track_id: string; score: number; reason: string; source: string; campaign_id: string | null }>;
}

/** GET (or POST with `init.body`) the user's recommendations; throws on anything but 200. */
export async function recs(userId: string, query = '', init: { body?: unknown; key?: string } = {}): Promise<RecList> {
  const res = init.body
    ? await api(`/v1/users/${userId}/recommendations`, { body: init.body, ...(init.key ? { key: init.key } : {}) })
    : await api(`/v1/users/${userId}/recommendations${query}`, init.key ? { key: init.key } : {});
  if (res.status !== 200) throw new Error(`recommendations failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as RecList;
}
