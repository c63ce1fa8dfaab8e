/**
 * Bundles in R2: the files of one version live under `models/<version>/<file>`, exactly as the
 * trainer wrote them on disk (../shared/spec/model-bundle.md).
 */
import { BundleError, MANIFEST_FILE, type Manifest, type OpenedBundle, openBundle } from '../../contract/bundle-manifest.ts';

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
 * Opens the bundle of a registered version from R2 (contract/bundle-manifest.ts's openBundle: read
 * and verify in one pass); a file missing from R2 is a BundleError naming its key.
 *
 * @example const bundle = await openStoredBundle(env.MODELS, row.manifest);
 */
export function openStoredBundle(bucket: R2Bucket, manifestText: string): Promise<OpenedBundle> {
  const manifestJson: unknown = JSON.parse(manifestText);
  const version = (manifestJson as { version?: unknown }).version;
  return openBundle(manifestJson, async (name) => {
    const body = await bucket.get(objectKey(String(version), name));
    if (!body) throw new BundleError('files', `model ${String(version)}: ${objectKey(String(version), name)} is missing from R2`);
    return new Uint8Array(await body.arrayBuffer());
  });
}
