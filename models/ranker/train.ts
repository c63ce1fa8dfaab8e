/**
 * Trains the second stage. Training lists come from fold-in simulations of TRAINING users only:
 * each training user with ≥ 5 items hides a share of them; every feature source (iALS, RP3beta,
 * popularity, tags) is refitted on what stays visible, with the hidden pairs' taggings removed too,
 * so a hidden item is found the way a held-out listener's target is: from the rest of the history
 * and from other people's data. Each simulated user's visible items are folded in with those item
 * factors, the retrievers' candidates become one query and the hidden ones among them are the
 * positives. The trees are then applied over the sources fitted on all the training data.
 */
import { type Csr, toCsr } from '../data/interactions.ts';
import { trainAls } from '../train/als.ts';
import type { TrainingParams } from '../train/defaults.ts';
import { type FoldInModel, foldInModel } from '../train/fold-in.ts';
import { fitItemNeighbours, type ItemItemParams } from '../train/item-item.ts';
import { mulberry32, shuffle } from '../train/random.ts';
import { fitSaturation, saturateCsr } from '../train/saturation.ts';
import { ALS_CLIP, DEFAULT_GATE, type Gate, N_FEATURES, type RankerModel, type RankerTables, userFeatures } from './features.ts';
import { DEFAULT_LAMBDAMART, type LambdaMartParams, meanNdcg, outputBound, type RankingData, trainLambdaMart } from './lambdamart.ts';
import { type ItemTagging, tagTable } from './tags.ts';

export interface RankerParams {
  gate: Gate;
  /** RP3beta neighbours for the co-listening feature (its blend weight is unused) */
  neighbours: ItemItemParams;
  tagsPerItem: number;
  /** share of each simulated training user's items hidden */
  hiddenShare: number;
  /** share of the simulated users kept for early stopping */
  validationShare: number;
  /**
   * 0: one simulation, the hidden items removed from every training user and the sources refitted on
   * the rest; K ≥ 2: K folds of training users, each fold's users are strong-generalisation
   * listeners of sources fitted on the other folds only (as held-out users are), K iALS trainings
   */
  folds: number;
  /** at most this many simulated users (0 = all) */
  maxUsers: number;
  seed: number;
  lambdaMart: LambdaMartParams;
}

export const DEFAULT_RANKER_PARAMS: RankerParams = {
  gate: DEFAULT_GATE,
  neighbours: { alpha: 0.8, beta: 0.3, k: 100, blend: 1 },
  tagsPerItem: 16,
  hiddenShare: 0.2,
  validationShare: 0.15,
  folds: 3,
  maxUsers: 0,
  seed: 17,
  // boosting from 2 · als; small, heavily regularised trees: a simulation has only ~10 000 positives
  // (chosen on seed 1 among 8 settings, models/ranker/README.md)
  lambdaMart: { ...DEFAULT_LAMBDAMART, base: { feature: 0, scale: 2 }, learningRate: 0.03, leaves: 15, minLeafRows: 1000, l2: 10 },
};

/** Popularity percentile of each item: the share of items with strictly fewer listeners. */
export function popularityPercentile(byUser: Csr, nItems: number): Float32Array {
  const pop = new Float64Array(nItems);
  for (const i of byUser.indices) pop[i]!++;
  const order = Array.from({ length: nItems }, (_, i) => i).sort((a, b) => pop[a]! - pop[b]!);
  const out = new Float32Array(nItems);
  let i = 0;
  while (i < nItems) {
    let j = i;
    while (j < nItems && pop[order[j]!] === pop[order[i]!]) j++;
    for (let q = i; q < j; q++) out[order[q]!] = i / nItems;
    i = j;
  }
  return out;
}

/** The iALS fold-in model trained on `byUser`, as pipeline/train.ts's trainModels does it (no content). */
export async function trainFoldIn(byUser: Csr, nItems: number, params: TrainingParams, threads = 1): Promise<FoldInModel> {
  const saturation = params.saturation ? fitSaturation(byUser, nItems, params.saturation.k1, params.saturation.b) : undefined;
  const strengths = saturation ? saturateCsr(byUser, saturation) : byUser;
  const als = await trainAls(strengths, nItems, params.als, { threads });
  return foldInModel(als.itemFactors, nItems, params.als.factors, params.als, als.missing, saturation);
}

/** Every feature table from one body of training data and an already trained fold-in model. */
export function fitTables(byUser: Csr, foldIn: FoldInModel, taggings: Iterable<ItemTagging>, p: RankerParams): RankerTables {
  const n = foldIn.nItems;
  const d = foldIn.dims;
  const itemNorm = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += foldIn.itemFactors[i * d + k]! ** 2;
    itemNorm[i] = Math.sqrt(s);
  }
  const { itemItem: _, ...als } = foldIn;
  return {
    nItems: n,
    foldIn: als,
    neighbours: fitItemNeighbours(byUser, n, p.neighbours),
    popularity: popularityPercentile(byUser, n),
    itemNorm,
    tags: tagTable(n, taggings, p.tagsPerItem),
    gate: p.gate,
  };
}

export interface HiddenSplit {
  /** the visible part of every row */
  visible: Csr;
  /** per row: the hidden items (empty for rows with too few items) */
  hidden: Int32Array[];
}

/** Hides `share` of each row's items (rows with ≥ minItems), like the 80/20 split of held-out users. */
export function hideItems(byUser: Csr, share: number, seed: number, minItems = 5): HiddenSplit {
  const rand = mulberry32(seed);
  const nRows = byUser.indptr.length - 1;
  const rows: number[] = [];
  const cols: number[] = [];
  const vals: number[] = [];
  const hidden: Int32Array[] = [];
  for (let u = 0; u < nRows; u++) {
    const lo = byUser.indptr[u]!;
    const hi = byUser.indptr[u + 1]!;
    const pos = Int32Array.from({ length: hi - lo }, (_, k) => lo + k);
    let nHide = 0;
    if (pos.length >= minItems) {
      shuffle(pos, rand);
      nHide = pos.length - Math.round(pos.length * (1 - share));
    }
    hidden.push(Int32Array.from(pos.subarray(0, nHide), (q) => byUser.indices[q]!));
    for (const q of pos.subarray(nHide)) {
      rows.push(u);
      cols.push(byUser.indices[q]!);
      vals.push(byUser.values[q]!);
    }
  }
  return { visible: toCsr(nRows, Int32Array.from(rows), Int32Array.from(cols), Float32Array.from(vals)), hidden };
}

/**
 * One query per user in `users`: the retrievers' candidates for the visible history, labelled 1 when hidden.
 * Queries whose candidates contain no hidden item carry no gradient and are left out.
 */
export function rankingData(t: RankerTables, split: HiddenSplit, users: readonly number[], log?: (l: string) => void): RankingData {
  const f = N_FEATURES;
  const chunks: Float32Array[] = [];
  const labels: number[] = [];
  const queries = [0];
  const relevant: number[] = [];
  let rows = 0;
  const { visible, hidden } = split;
  users.forEach((u, k) => {
    const lo = visible.indptr[u]!;
    const hi = visible.indptr[u + 1]!;
    if (hi === lo || hidden[u]!.length === 0) return;
    const uf = userFeatures(t, visible.indices.subarray(lo, hi), visible.values.subarray(lo, hi));
    const target = new Set(hidden[u]);
    const x: number[] = [];
    let hits = 0;
    const lab: number[] = [];
    for (let i = 0; i < t.nItems; i++) {
      if (!uf.inSet[i]) continue;
      for (let j = 0; j < f; j++) x.push(uf.x[i * f + j]!);
      const y = target.has(i) ? 1 : 0;
      hits += y;
      lab.push(y);
    }
    if (hits === 0) return;
    chunks.push(Float32Array.from(x));
    labels.push(...lab);
    rows += lab.length;
    queries.push(rows);
    relevant.push(target.size);
    if (log && (k + 1) % 250 === 0) log(`    ${k + 1}/${users.length} simulated users, ${rows} candidate rows`);
  });
  const xAll = new Float32Array(rows * f);
  let o = 0;
  for (const c of chunks) {
    xAll.set(c, o);
    o += c.length;
  }
  return {
    nFeatures: f,
    x: xAll,
    label: Float32Array.from(labels),
    queries: Int32Array.from(queries),
    relevant: Int32Array.from(relevant),
  };
}

/** Candidate recall of the retrievers on a ranking data set: hidden items retrieved / hidden items. */
export function candidateRecall(d: RankingData): number {
  let hits = 0;
  for (const y of d.label) hits += y;
  const total = d.relevant ? d.relevant.reduce((a, b) => a + b, 0) : hits;
  return total ? hits / total : 0;
}

export interface RankerTrainingInput {
  /** the training users × catalogue items */
  train: Csr;
  nItems: number;
  /** the iALS model trained on all of `train` (what the plain scorer.onnx would export) */
  foldIn: FoldInModel;
  /** taggings by training users: row of the tagging user in `train` (or −1 for none) and catalogue item */
  taggings: readonly (ItemTagging & { row: number })[];
  params: TrainingParams;
  threads: number;
  log: (line: string) => void;
}

export interface FittedRanker {
  model: RankerModel;
  /** the simulation's training lists (ablations retrain trees on them) */
  data: { train: RankingData; validation: RankingData };
  candidateRecall: number;
}

/**
 * The whole second stage: simulation sources, training lists, trees, final tables.
 *
 * @example
 * const { model } = await fitRanker({ train: split.train, nItems, foldIn, taggings, params, threads: 1, log }, DEFAULT_RANKER_PARAMS);
 */
export async function fitRanker(input: RankerTrainingInput, p: RankerParams): Promise<FittedRanker> {
  const { train, nItems, log } = input;
  const nUsers = train.indptr.length - 1;
  const split = hideItems(train, p.hiddenShare, p.seed);
  const users = Array.from({ length: nUsers }, (_, u) => u).filter((u) => split.hidden[u]!.length > 0);
  shuffle(users, mulberry32(p.seed + 1));
  if (p.maxUsers > 0) users.length = Math.min(users.length, p.maxUsers);
  const nVal = Math.round(users.length * p.validationShare);
  const isVal = new Uint8Array(nUsers);
  for (const u of users.slice(0, nVal)) isVal[u] = 1;
  const parts: { train: RankingData[]; validation: RankingData[] } = { train: [], validation: [] };
  const t0 = performance.now();
  // each simulation: feature sources, and the users whose lists they produce
  const simulations: { sources: () => Promise<RankerTables>; users: number[] }[] = [];
  if (p.folds < 2) {
    const hiddenPairs = new Set<number>();
    split.hidden.forEach((items, u) => {
      for (const i of items) hiddenPairs.add(u * nItems + i);
    });
    simulations.push({
      sources: async () =>
        fitTables(
          split.visible,
          await trainFoldIn(split.visible, nItems, input.params, input.threads),
          input.taggings.filter((g) => g.row < 0 || !hiddenPairs.has(g.row * nItems + g.item)),
          p,
        ),
      users,
    });
  } else {
    const fold = new Int32Array(nUsers);
    const order = Int32Array.from({ length: nUsers }, (_, u) => u);
    shuffle(order, mulberry32(p.seed + 2));
    order.forEach((u, k) => {
      fold[u] = k % p.folds;
    });
    for (let f = 0; f < p.folds; f++) {
      const others = keepRows(train, (u) => fold[u] !== f);
      simulations.push({
        sources: async () =>
          fitTables(
            others,
            await trainFoldIn(others, nItems, input.params, input.threads),
            input.taggings.filter((g) => g.row < 0 || fold[g.row] !== f),
            p,
          ),
        users: users.filter((u) => fold[u] === f),
      });
    }
  }
  let alsVal = 0;
  for (const [k, sim] of simulations.entries()) {
    const sources = await sim.sources();
    log(`  simulation ${k + 1}/${simulations.length}: sources fitted, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    parts.validation.push(
      rankingData(
        sources,
        split,
        sim.users.filter((u) => isVal[u]),
      ),
    );
    parts.train.push(
      rankingData(
        sources,
        split,
        sim.users.filter((u) => !isVal[u]),
        log,
      ),
    );
  }
  const trainData = concatData(parts.train);
  const validation = concatData(parts.validation);
  alsVal = meanNdcg(
    validation,
    Float32Array.from({ length: validation.label.length }, (_, r) => validation.x[r * N_FEATURES]!),
    p.lambdaMart.evalAt,
  );
  const recall = candidateRecall(trainData);
  log(
    `  ranking lists: ${trainData.queries.length - 1} training + ${validation.queries.length - 1} validation queries, ${trainData.label.length} rows, candidate recall ${recall.toFixed(3)}, iALS alone on validation NDCG@${p.lambdaMart.evalAt} ${alsVal.toFixed(4)}: ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  const t2 = performance.now();
  const ensemble = trainLambdaMart(trainData, { ...p.lambdaMart, validation, log });
  log(`  LambdaMART: ${ensemble.trees.length} trees kept, ${((performance.now() - t2) / 1000).toFixed(1)} s`);
  const tables = fitTables(train, input.foldIn, input.taggings, p);
  return {
    model: { tables, ensemble, offset: rankerOffset(ensemble) },
    data: { train: trainData, validation },
    candidateRecall: recall,
  };
}

/** The rows of `m` that `keep` accepts, the others emptied (row numbers unchanged). */
export function keepRows(m: Csr, keep: (row: number) => boolean): Csr {
  const n = m.indptr.length - 1;
  const indptr = new Int32Array(n + 1);
  let nnz = 0;
  for (let r = 0; r < n; r++) {
    if (keep(r)) nnz += m.indptr[r + 1]! - m.indptr[r]!;
    indptr[r + 1] = nnz;
  }
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  for (let r = 0; r < n; r++) {
    if (!keep(r)) continue;
    indices.set(m.indices.subarray(m.indptr[r]!, m.indptr[r + 1]!), indptr[r]!);
    values.set(m.values.subarray(m.indptr[r]!, m.indptr[r + 1]!), indptr[r]!);
  }
  return { indptr, indices, values };
}

/** Queries of several data sets one after the other. */
export function concatData(parts: readonly RankingData[]): RankingData {
  const f = N_FEATURES;
  const rows = parts.reduce((s, d) => s + d.label.length, 0);
  const x = new Float32Array(rows * f);
  const label = new Float32Array(rows);
  const queries = [0];
  const relevant: number[] = [];
  let o = 0;
  for (const d of parts) {
    x.set(d.x, o * f);
    label.set(d.label, o);
    for (let q = 1; q < d.queries.length; q++) queries.push(o + d.queries[q]!);
    relevant.push(...(d.relevant ?? []));
    o += d.label.length;
  }
  return { nFeatures: f, x, label, queries: Int32Array.from(queries), relevant: Int32Array.from(relevant) };
}

/** The offset that puts every non-candidate below every candidate: trees ∈ ±bound, clipped als ∈ ±ALS_CLIP. */
export const rankerOffset = (e: RankerModel['ensemble']): number =>
  Math.ceil(outputBound(e) + (e.base ? Math.abs(e.base.scale) * ALS_CLIP : 0)) + 100;
