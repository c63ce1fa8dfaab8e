/**
 * The second stage's view of one listener: candidates from four retrievers (iALS fold-in scores,
 * RP3beta co-listening, tag similarity to the history, popularity) and one feature row per
 * candidate. This is the TypeScript reference of what onnx/ranker-graph.ts computes inside
 * scorer.onnx, step for step (same masking, same normalisations, float32 results).
 */
import { type FoldInModel, foldIn, scoreItems } from '../train/fold-in.ts';
import type { ItemNeighbours } from '../train/item-item.ts';
import type { TreeEnsemble } from './lambdamart.ts';
import { predictRow } from './lambdamart.ts';
import type { TagTable } from './tags.ts';

/** How many candidates each retriever contributes (its top-k over the catalogue, history excluded). */
export interface Gate {
  als: number;
  rp3: number;
  tag: number;
  pop: number;
}

export const DEFAULT_GATE: Gate = { als: 200, rp3: 100, tag: 50, pop: 20 };

/** Per-item tables the features are computed from (all from training data only). */
export interface RankerTables {
  nItems: number;
  /** the iALS fold-in (its `itemItem` blend, if any, is ignored) */
  foldIn: FoldInModel;
  /** RP3beta neighbours (their `blend` is ignored: the spread is normalised by its maximum) */
  neighbours: ItemNeighbours;
  /** share of catalogue items with strictly fewer training listeners, in [0, 1) */
  popularity: Float32Array;
  /** ‖yᵢ‖ of the item factors */
  itemNorm: Float32Array;
  tags: TagTable;
  gate: Gate;
}

export interface RankerModel {
  tables: RankerTables;
  ensemble: TreeEnsemble;
  /** items no retriever proposed score `clip(als, ±ALS_CLIP) − offset`, below every ranked candidate */
  offset: number;
}

export const FEATURES = [
  'als', // iALS fold-in score yᵢ·x, clipped to ±ALS_CLIP
  'als_z', // (als − mean) / std over the catalogue minus the history
  'als_gap', // best als of the catalogue minus this one
  'rp3', // RP3beta spread s / max(s)
  'tag', // cosine of the item's tf-idf tags with the history's tag profile
  'tag_rel', // tag / best tag of the catalogue
  'popularity', // popularity percentile
  'item_norm', // ‖yᵢ‖
  'retrievers', // how many retrievers proposed the item (1–4)
  'history_length', // ln(1 + distinct history items)
  'history_popularity', // mean popularity percentile of the history
  'tag_focus', // ‖tag profile‖ / Σ history weights: 1 = one tag set, → 0 = diverse
  'als_max', // best als of the catalogue
] as const;

export const N_FEATURES = FEATURES.length;

/** Feature groups for the ablation (disjoint; each index once). */
export const FEATURE_GROUPS: Record<string, number[]> = {
  'iALS scores (als_z, als_gap, als_max; the base 2·als stays)': [0, 1, 2, 12],
  'RP3beta co-listening': [3],
  'tag similarity': [4, 5, 11],
  popularity: [6, 10],
  'item norm, retriever count, history length': [7, 8, 9],
};

/** Where the graph puts history items and items outside a retriever's reach before its top-k. */
export const MASKED = -1e4;
export const ALS_CLIP = 10;
const TINY = 1e-12;

export interface UserFeatures {
  /** 1 when at least one retriever proposed the item (history items never) */
  inSet: Uint8Array;
  /** nItems × N_FEATURES, row-major */
  x: Float32Array;
  als: Float32Array;
}

/** k-th largest value of `v` (k ≤ v.length). */
function kthLargest(v: Float32Array, k: number): number {
  const s = Float32Array.from(v).sort();
  return s[s.length - Math.min(k, s.length)]!;
}

/** Walk weight of a summed strength, in float32 as the graph computes it. */
const walk = (w: number): number => Math.fround(Math.log(Math.fround(1 + Math.max(w, 0))));

/**
 * Features of every catalogue item for a history (repeats allowed, summed as the fold-in does).
 *
 * @example
 * const { inSet, x } = userFeatures(tables, [3, 17], [12, 1]);
 */
export function userFeatures(t: RankerTables, history: ArrayLike<number>, weights: ArrayLike<number>): UserFeatures {
  const n = t.nItems;
  const agg = new Map<number, number>();
  for (let k = 0; k < history.length; k++) agg.set(history[k]!, (agg.get(history[k]!) ?? 0) + weights[k]!);
  const mask = new Uint8Array(n);
  for (const i of agg.keys()) mask[i] = 1;
  const nDistinct = agg.size;

  const als = scoreItems(t.foldIn, foldIn(t.foldIn, history, weights));
  const alsMasked = Float32Array.from(als, (v, i) => (mask[i] ? MASKED : v));
  const cnt = Math.max(n - nDistinct, 1);
  let sum = 0;
  let alsMax = MASKED;
  for (let i = 0; i < n; i++) {
    if (mask[i]) continue;
    sum += als[i]!;
    alsMax = Math.max(alsMax, als[i]!);
  }
  const mean = sum / cnt;
  let sq = 0;
  for (let i = 0; i < n; i++) if (!mask[i]) sq += (als[i]! - mean) ** 2;
  const std = Math.sqrt(sq / cnt) + TINY;

  // RP3beta spread over the catalogue and the tag profile, from the distinct history items
  const nb = t.neighbours;
  const rp3 = new Float32Array(n);
  const tg = t.tags;
  const profile = new Float64Array(tg.vocabulary);
  let weightSum = 0;
  let histPop = 0;
  for (const [j, w] of agg) {
    const h = walk(w);
    for (let q = j * nb.k; q < (j + 1) * nb.k; q++) rp3[nb.index[q]!]! += h * nb.value[q]!;
    for (let q = j * tg.t; q < (j + 1) * tg.t; q++) profile[tg.index[q]!]! += h * tg.value[q]!;
    weightSum += h;
    histPop += t.popularity[j]!;
  }
  histPop /= Math.max(nDistinct, 1);
  let rp3Max = 1e-30;
  for (let i = 0; i < n; i++) rp3Max = Math.max(rp3Max, rp3[i]!);
  let norm2 = 0;
  for (const p of profile) norm2 += p * p;
  const norm = Math.sqrt(norm2);
  const tag = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let q = i * tg.t; q < (i + 1) * tg.t; q++) s += tg.value[q]! * profile[tg.index[q]!]!;
    tag[i] = s / (norm + TINY);
  }
  let tagMax = 0;
  for (let i = 0; i < n; i++) if (!mask[i]) tagMax = Math.max(tagMax, tag[i]!);
  const tagFocus = norm / (weightSum + TINY);

  // the retrievers: each one's top-k over the catalogue minus the history
  const masked = (v: Float32Array, positiveOnly: boolean) =>
    Float32Array.from(v, (s, i) => (mask[i] || (positiveOnly && !(s > 0)) ? MASKED : s));
  const gates = [
    [alsMasked, t.gate.als],
    [masked(rp3, true), t.gate.rp3],
    [masked(tag, true), t.gate.tag],
    [masked(t.popularity, false), t.gate.pop],
  ] as const;
  const retrievers = new Uint8Array(n);
  for (const [v, k] of gates) {
    const thr = kthLargest(v, k);
    for (let i = 0; i < n; i++) if (v[i]! > MASKED && v[i]! >= thr) retrievers[i]!++;
  }

  const f = N_FEATURES;
  const x = new Float32Array(n * f);
  const hl = Math.log1p(nDistinct);
  for (let i = 0; i < n; i++) {
    const o = i * f;
    x[o] = Math.min(Math.max(als[i]!, -ALS_CLIP), ALS_CLIP);
    x[o + 1] = (als[i]! - mean) / std;
    x[o + 2] = alsMax - als[i]!;
    x[o + 3] = rp3[i]! / rp3Max;
    x[o + 4] = tag[i]!;
    x[o + 5] = tag[i]! / (tagMax + TINY);
    x[o + 6] = t.popularity[i]!;
    x[o + 7] = t.itemNorm[i]!;
    x[o + 8] = retrievers[i]!;
    x[o + 9] = hl;
    x[o + 10] = histPop;
    x[o + 11] = tagFocus;
    x[o + 12] = alsMax;
  }
  return { inSet: Uint8Array.from(retrievers, (r) => (r > 0 ? 1 : 0)), x, als };
}

/**
 * What the ranker's scorer.onnx outputs as `scores`: the trees' score for retrieved candidates,
 * `clip(als) − offset` (below all of them) for every other item.
 *
 * @example
 * const scores = scoreRanker(model, [3, 17], [12, 1]);
 */
export function scoreRanker(
  m: RankerModel,
  history: ArrayLike<number>,
  weights: ArrayLike<number>,
  candidates?: ArrayLike<number>,
): Float32Array {
  const u = userFeatures(m.tables, history, weights);
  const n = candidates ? candidates.length : m.tables.nItems;
  const out = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    const i = candidates ? candidates[k]! : k;
    out[k] = u.inSet[i] ? predictRow(m.ensemble, u.x, i * N_FEATURES) : Math.min(Math.max(u.als[i]!, -ALS_CLIP), ALS_CLIP) - m.offset;
  }
  return out;
}
