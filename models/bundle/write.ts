/**
 * Writes a bundle folder atomically: everything goes to a temporary sibling folder, is read back and
 * verified against the contract, and only then renamed onto `--out`, so a failed run never leaves a
 * half-written bundle behind.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import {
  BUNDLE_FORMAT,
  CONTENT_FILE,
  type ContentFeature,
  ITEMS_FILE,
  MANIFEST_FILE,
  type Manifest,
  openBundle,
  SCORER_FILE,
  TRANSITIONS_FILE,
} from '../../contract/bundle-manifest.ts';
import type { EventWeights } from '../../contract/events.ts';

export interface BundleContents {
  scorer: Uint8Array;
  itemIds: string[];
  dims: number;
  content?: { onnx: Uint8Array; features: ContentFeature[] };
  /** transitions.bin (transitions-file.ts), when the training data had sessions */
  transitions?: Uint8Array;
  eventWeights: EventWeights;
  halfLifeDays: number;
  training: Manifest['training'];
  createdAt?: Date;
}

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** `2026-11-24T19-30-00Z-a1b2c3`: sortable, and distinct for distinct scorers made in the same second. */
function bundleVersion(createdAt: Date, scorerSha256: string): string {
  return `${createdAt.toISOString().slice(0, 19).replaceAll(':', '-')}Z-${scorerSha256.slice(0, 6)}`;
}

/**
 * Writes the bundle to `outDir` and returns its manifest.
 *
 * @example
 * const manifest = await writeBundle('model/', { scorer, itemIds, dims: 64, eventWeights, halfLifeDays: 30, training });
 */
export async function writeBundle(outDir: string, b: BundleContents): Promise<Manifest> {
  const out = resolve(outDir);
  const tmp = join(dirname(out), `.${basename(out)}.tmp-${randomBytes(4).toString('hex')}`);
  const createdAt = b.createdAt ?? new Date();
  const items = new TextEncoder().encode(JSON.stringify(b.itemIds));
  const files: Record<string, Uint8Array> = { [SCORER_FILE]: b.scorer, [ITEMS_FILE]: items };
  if (b.content) files[CONTENT_FILE] = b.content.onnx;
  if (b.transitions) files[TRANSITIONS_FILE] = b.transitions;
  const checksums = Object.fromEntries(Object.entries(files).map(([name, bytes]) => [name, sha256(bytes)]));
  const manifest: Manifest = {
    format: BUNDLE_FORMAT,
    version: bundleVersion(createdAt, checksums[SCORER_FILE]!),
    createdAt: `${createdAt.toISOString().slice(0, 19)}Z`,
    items: b.itemIds.length,
    dims: b.dims,
    files: {
      scorer: SCORER_FILE,
      items: ITEMS_FILE,
      ...(b.content ? { content: CONTENT_FILE } : {}),
      ...(b.transitions ? { transitions: TRANSITIONS_FILE } : {}),
    },
    sha256: checksums,
    eventWeights: b.eventWeights,
    halfLifeDays: b.halfLifeDays,
    contentFeatures: b.content?.features ?? [],
    training: b.training,
  };
  await mkdir(tmp, { recursive: true });
  try {
    for (const [name, bytes] of Object.entries(files)) await writeFile(join(tmp, name), bytes);
    await writeFile(join(tmp, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    await readBundle(tmp);
    const old = `${tmp}.old`;
    const hadOld = await rename(out, old).then(
      () => true,
      () => false,
    );
    await rename(tmp, out);
    if (hadOld) await rm(old, { recursive: true, force: true });
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  return manifest;
}

export interface LoadedBundle {
  manifest: Manifest;
  itemIds: string[];
  files: Record<string, Uint8Array>;
}

/** Reads and fully verifies a bundle folder (openBundle); throws a BundleError naming the field at fault. */
export async function readBundle(dir: string): Promise<LoadedBundle> {
  const { manifest, itemIds, files } = await openBundle(JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')), (name) =>
    readFile(join(dir, name)).then(
      (b) => (b.length > 0 ? new Uint8Array(b) : null),
      () => null,
    ),
  );
  return { manifest, itemIds, files };
}
