/**
 * Bundles in R2: the files of one version live under `models/<version>/<file>`, exactly as the
 * trainer wrote them on disk (../shared/spec/model-bundle.md).
 */
import { BundleError, MANIFEST_FILE, type Manifest } from '../../models/bundle/manifest.ts';

export function objectKey(version: string, file: string): string {
  return `models/${version}/${file}`;
}

/** Names of every file a manifest refers to, manifest.json excluded. */
export function bundleFileNames(manifest: Manifest): string[] {
  return Object.values(manifest.files).filter((f): f is string => typeof f === 'string');
}

/** Writes every file of a validated bundle, manifest.json last so a half-written bundle has none. */
export async function putBundle(
  bucket: R2Bucket,
  manifest: Manifest,
  files: Record<string, Uint8Array>,
  manifestText: string,
): Promise<void> {
  await Promise.all(bundleFileNames(manifest).map((name) => bucket.put(objectKey(manifest.version, name), files[name] as Uint8Array)));
  await bucket.put(objectKey(manifest.version, MANIFEST_FILE), manifestText, { httpMetadata: { contentType: 'application/json' } });
}

/**
 * Reads the files of a bundle from R2; throws naming the first missing file.
 *
 * @example const files = await readBundleFiles(env.MODELS, manifest); files['scorer.onnx'];
 */
export async function readBundleFiles(bucket: R2Bucket, manifest: Manifest): Promise<Record<string, Uint8Array>> {
  const names = bundleFileNames(manifest);
  const bodies = await Promise.all(names.map((name) => bucket.get(objectKey(manifest.version, name))));
  const files: Record<string, Uint8Array> = {};
  for (const [i, name] of names.entries()) {
    const body = bodies[i];
    if (!body) throw new BundleError('files', `model ${manifest.version}: ${objectKey(manifest.version, name)} is missing from R2`);
    files[name] = new Uint8Array(await body.arrayBuffer());
  }
  return files;
}
