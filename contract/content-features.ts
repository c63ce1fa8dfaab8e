/**
 * Turns one catalogue row into content.onnx's `features` vector by the manifest's
 * `contentFeatures` (name, source, transform). Shared by the trainer and the Worker, so it imports
 * nothing from Node.
 */
import type { ContentFeature } from './bundle-manifest.ts';

/** A catalogue row: numbers (audio features), a genre string, a tags array; missing values allowed. */
export type CatalogueRow = Record<string, unknown>;

/**
 * @example
 * contentFeatureVector(manifest.contentFeatures, { energy: 0.8, genre: 'rock', tags: ['indie'] });
 */
export function contentFeatureVector(features: readonly ContentFeature[], row: CatalogueRow): Float32Array {
  const out = new Float32Array(features.length);
  features.forEach((f, i) => {
    const raw = row[f.source ?? f.name];
    const t = f.transform;
    if (t === 'identity') out[i] = typeof raw === 'number' && Number.isFinite(raw) ? raw : 0;
    else if (t.kind === 'standardize') out[i] = typeof raw === 'number' && Number.isFinite(raw) ? (raw - t.mean) / t.std : 0;
    else if (t.kind === 'equals') out[i] = typeof raw === 'string' && raw.toLowerCase() === t.value ? 1 : 0;
    else out[i] = Array.isArray(raw) && raw.some((v) => typeof v === 'string' && v.toLowerCase() === t.value) ? 1 : 0;
  });
  return out;
}
