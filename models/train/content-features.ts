/**
 * Chooses the content feature columns for a catalogue: every numeric field standardised, the most
 * common genres one-hot, the most common tags as presence flags. Rare genres/tags are dropped: a
 * column seen on one or two items cannot generalise to a new one.
 */

import type { ContentFeature } from '../../contract/bundle-manifest.ts';
import { contentFeatureVector } from '../../contract/content-features.ts';
import type { ItemContent } from '../data/content-rows.ts';

export interface FeatureOptions {
  maxTags: number;
  maxGenres: number;
  minItems: number;
}

export const DEFAULT_FEATURE_OPTIONS: FeatureOptions = { maxTags: 1000, maxGenres: 100, minItems: 3 };

/** The catalogue-row view of an ItemContent (what the Worker would read from the tracks table). */
export function catalogueRow(c: ItemContent): Record<string, unknown> {
  return { ...c.numeric, genre: c.genre, tags: [...c.tags.keys()] };
}

/** Feature definitions learned from the items' content. */
export function chooseFeatures(content: readonly ItemContent[], opts: FeatureOptions = DEFAULT_FEATURE_OPTIONS): ContentFeature[] {
  const features: ContentFeature[] = [];
  const numericNames = [...new Set(content.flatMap((c) => Object.keys(c.numeric)))].sort();
  for (const name of numericNames) {
    let n = 0;
    let sum = 0;
    let sq = 0;
    for (const c of content) {
      const v = c.numeric[name];
      if (typeof v === 'number' && Number.isFinite(v)) {
        n++;
        sum += v;
        sq += v * v;
      }
    }
    if (n < opts.minItems) continue;
    const mean = sum / n;
    const std = Math.sqrt(Math.max(sq / n - mean * mean, 0));
    if (std > 1e-9) features.push({ name, transform: { kind: 'standardize', mean, std } });
  }
  const genres = countBy(content.map((c) => (c.genre ? [c.genre.toLowerCase()] : [])));
  for (const g of topKeys(genres, opts.maxGenres, opts.minItems))
    features.push({ name: `genre=${g}`, source: 'genre', transform: { kind: 'equals', value: g } });
  const tags = countBy(content.map((c) => [...c.tags.keys()].map((t) => t.toLowerCase())));
  for (const t of topKeys(tags, opts.maxTags, opts.minItems))
    features.push({ name: `tag=${t}`, source: 'tags', transform: { kind: 'contains', value: t } });
  return features;
}

/** Row-major N × F matrix of feature values. */
export function featureMatrix(features: readonly ContentFeature[], content: readonly ItemContent[]): Float32Array {
  const f = features.length;
  const out = new Float32Array(content.length * f);
  content.forEach((c, i) => {
    out.set(contentFeatureVector(features, catalogueRow(c)), i * f);
  });
  return out;
}

function countBy(lists: string[][]): Map<string, number> {
  const m = new Map<string, number>();
  for (const l of lists) for (const k of new Set(l)) m.set(k, (m.get(k) ?? 0) + 1);
  return m;
}

function topKeys(m: Map<string, number>, k: number, min: number): string[] {
  return [...m]
    .filter(([, n]) => n >= min)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, k)
    .map(([key]) => key);
}
