/**
 * The listener's taste split into coherent clusters, one Daily Mix each: weighted spherical k-means
 * on the item embeddings of their strongest tracks, with k chosen by the weighted silhouette (k = 1
 * unless a split is clearly better), at most MAX_MIXES. Deterministic: same taste, same clusters.
 */
import type { LoadedModel } from '../../model/loaded-model.ts';
import { type Catalogue, unitEmbedding } from '../catalogue.ts';

export const MAX_MIXES = 6;
/** Tracks of the taste clustered: the strongest ones carry it. */
const CLUSTERED = 120;
/** A mix needs this many of the listener's tracks behind it. */
const MIN_CLUSTER = 4;
/** Below this weighted silhouette a split is noise, and the listener gets one mix. */
const MIN_SILHOUETTE = 0.12;
/**
 * Two mixes whose centres are closer than this (cosine) are one taste seen twice: in the fixture
 * world, two halves of one genre sit at 0.72, two genres at 0.13.
 */
const MAX_CENTROID_COSINE = 0.5;
const ITERATIONS = 25;

export interface TasteCluster {
  /** Catalogue indices of the listener's tracks in this cluster, strongest first. */
  tracks: number[];
  /** Share of the clustered taste's weight (the clusters' shares sum to 1). */
  share: number;
  /** The genre (catalogue index) holding most of the cluster's weight, with that share; -1 when none. */
  genre: number;
  genreShare: number;
  /** Artist indices by weight in the cluster, heaviest first. */
  artists: number[];
}

/** Silhouette of each k tried, for the figures in the README and tests. */
export interface ClusterChoice {
  clusters: TasteCluster[];
  silhouettes: Map<number, number>;
}

/**
 * @example const { clusters } = tasteClusters(model, catalogue, tasteItems) // clusters[0].tracks, strongest cluster first
 */
export function tasteClusters(model: LoadedModel, cat: Catalogue, taste: ReadonlyArray<readonly [number, number]>): ClusterChoice {
  const items = taste.slice(0, CLUSTERED);
  const vectors = items.map(([i]) => unitEmbedding(model, cat, i));
  const weights = items.map(([, w]) => w);
  const silhouettes = new Map<number, number>();
  let best: { assign: Int32Array; k: number; score: number } | null = null;
  const maxK = Math.min(MAX_MIXES, Math.floor(items.length / MIN_CLUSTER));
  for (let k = 2; k <= maxK; k++) {
    const assign = kMeans(vectors, weights, k);
    const sizes = new Array<number>(k).fill(0);
    for (const a of assign) sizes[a] = (sizes[a] as number) + 1;
    if (sizes.some((s) => s < MIN_CLUSTER)) continue;
    const score = silhouette(vectors, weights, assign, k);
    silhouettes.set(k, score);
    const centroids = centroidsOf(vectors, weights, assign, k, []);
    const closest = Math.max(...centroids.flatMap((a, x) => centroids.slice(x + 1).map((b) => dot(a, b))));
    if (score >= MIN_SILHOUETTE && closest <= MAX_CENTROID_COSINE && (best === null || score > best.score)) best = { assign, k, score };
  }
  const assign = best?.assign ?? new Int32Array(items.length);
  const k = best?.k ?? (items.length > 0 ? 1 : 0);
  const total = weights.reduce((a, b) => a + b, 0) || 1;
  const clusters: TasteCluster[] = [];
  for (let c = 0; c < k; c++) {
    const members = items.filter((_, m) => assign[m] === c);
    const weight = members.reduce((a, [, w]) => a + w, 0);
    const byGenre = new Map<number, number>();
    const byArtist = new Map<number, number>();
    for (const [i, w] of members) {
      const g = cat.genreOf[i] as number;
      if (g >= 0) byGenre.set(g, (byGenre.get(g) ?? 0) + w);
      const a = cat.artistOf[i] as number;
      if (a >= 0) byArtist.set(a, (byArtist.get(a) ?? 0) + w);
    }
    const [genre, genreWeight] = [...byGenre].sort((x, y) => y[1] - x[1] || x[0] - y[0])[0] ?? [-1, 0];
    clusters.push({
      tracks: members.map(([i]) => i),
      share: weight / total,
      genre,
      genreShare: weight > 0 ? genreWeight / weight : 0,
      artists: [...byArtist].sort((x, y) => y[1] - x[1] || x[0] - y[0]).map(([a]) => a),
    });
  }
  clusters.sort((a, b) => b.share - a.share);
  return { clusters, silhouettes };
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let q = 0; q < a.length; q++) s += (a[q] as number) * (b[q] as number);
  return s;
}

/**
 * Weighted spherical k-means. Seeds are chosen deterministically: the strongest track first, then
 * repeatedly the track farthest (by cosine) from every seed so far, weighted by its strength, so an
 * outlier the listener barely played does not found a mix.
 */
function kMeans(vectors: readonly Float32Array[], weights: readonly number[], k: number): Int32Array {
  const n = vectors.length;
  const seeds = [0];
  const nearest = Float64Array.from(vectors, (v) => dot(v, vectors[0] as Float32Array));
  while (seeds.length < k) {
    let pick = -1;
    let far = Number.NEGATIVE_INFINITY;
    for (let m = 0; m < n; m++) {
      const score = (1 - (nearest[m] as number)) * Math.sqrt(weights[m] as number);
      if (score > far) {
        far = score;
        pick = m;
      }
    }
    seeds.push(pick);
    for (let m = 0; m < n; m++) nearest[m] = Math.max(nearest[m] as number, dot(vectors[m] as Float32Array, vectors[pick] as Float32Array));
  }
  let centroids: Float32Array[] = seeds.map((m) => Float32Array.from(vectors[m] as Float32Array));
  const assign = new Int32Array(n);
  for (let it = 0; it < ITERATIONS; it++) {
    let moved = false;
    for (let m = 0; m < n; m++) {
      let bestC = 0;
      let bestSim = Number.NEGATIVE_INFINITY;
      for (let c = 0; c < k; c++) {
        const s = dot(vectors[m] as Float32Array, centroids[c] as Float32Array);
        if (s > bestSim) {
          bestSim = s;
          bestC = c;
        }
      }
      if (assign[m] !== bestC) moved = true;
      assign[m] = bestC;
    }
    if (!moved && it > 0) break;
    centroids = centroidsOf(vectors, weights, assign, k, centroids);
  }
  return assign;
}

/** Unit centres of the clusters (the strength-weighted mean direction); an empty cluster keeps `previous`'s. */
function centroidsOf(
  vectors: readonly Float32Array[],
  weights: readonly number[],
  assign: Int32Array,
  k: number,
  previous: readonly Float32Array[],
): Float32Array[] {
  const dims = vectors[0]?.length ?? 0;
  const sums = Array.from({ length: k }, () => new Float32Array(dims));
  for (let m = 0; m < vectors.length; m++) {
    const sum = sums[assign[m] as number] as Float32Array;
    const v = vectors[m] as Float32Array;
    for (let q = 0; q < dims; q++) sum[q] = (sum[q] as number) + (weights[m] as number) * (v[q] as number);
  }
  return sums.map((sum, c) => {
    const norm = Math.sqrt(dot(sum, sum));
    return norm > 0 ? sum.map((x) => x / norm) : (previous[c] ?? sum);
  });
}

/** Mean silhouette on cosine distance, each track weighted by its strength. */
function silhouette(vectors: readonly Float32Array[], weights: readonly number[], assign: Int32Array, k: number): number {
  const n = vectors.length;
  let total = 0;
  let weightSum = 0;
  for (let m = 0; m < n; m++) {
    const dist = new Float64Array(k);
    const count = new Float64Array(k);
    for (let o = 0; o < n; o++) {
      if (o === m) continue;
      const c = assign[o] as number;
      dist[c] = (dist[c] as number) + (1 - dot(vectors[m] as Float32Array, vectors[o] as Float32Array));
      count[c] = (count[c] as number) + 1;
    }
    const own = assign[m] as number;
    if ((count[own] as number) === 0) continue;
    const a = (dist[own] as number) / (count[own] as number);
    let b = Number.POSITIVE_INFINITY;
    for (let c = 0; c < k; c++) if (c !== own && (count[c] as number) > 0) b = Math.min(b, (dist[c] as number) / (count[c] as number));
    const s = Math.max(a, b) > 0 ? (b - a) / Math.max(a, b) : 0;
    total += (weights[m] as number) * s;
    weightSum += weights[m] as number;
  }
  return weightSum > 0 ? total / weightSum : 0;
}
