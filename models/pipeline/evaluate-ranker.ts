/**
 * The two-stage evaluation behind `npm run eval:ranker`: on each strong split (the protocol of
 * `npm run eval`, models/README.md), iALS alone through its exported scorer.onnx against the
 * LambdaMART second stage through the ranker scorer.onnx, both read back from a written bundle.
 * Optionally an ablation: the trees retrained without each feature group, scored in TypeScript
 * (the same function the graph is checked against).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCORER_FILE } from '../../contract/bundle-manifest.ts';
import { DEFAULT_EVENT_WEIGHTS, DEFAULT_HALF_LIFE_DAYS } from '../../contract/events.ts';
import { readBundle, writeBundle } from '../bundle/write.ts';
import { type HetrecData, readHetrec } from '../data/read-hetrec.ts';
import { itemPopularity, type Ranker } from '../eval/baselines.ts';
import { popularityPercentiles } from '../eval/metrics.ts';
import { evaluateRanker, type RankingMetrics, scorerRanker } from '../eval/protocol.ts';
import { type StrongSplit, strongSplit } from '../eval/split.ts';
import { exportRankerScorer } from '../onnx/ranker-graph.ts';
import { ScorerSession } from '../onnx/runtime.ts';
import { exportScorer } from '../onnx/scorer.ts';
import { FEATURE_GROUPS, N_FEATURES, type RankerModel, scoreRanker } from '../ranker/features.ts';
import { trainLambdaMart } from '../ranker/lambdamart.ts';
import type { ItemTagging } from '../ranker/tags.ts';
import { fitRanker, type RankerParams, rankerOffset, trainFoldIn } from '../ranker/train.ts';
import type { TrainingParams } from '../train/defaults.ts';
import { scoreHistory } from '../train/fold-in.ts';

export interface RankerEvalOptions {
  hetrec: string;
  seeds: number[];
  params: TrainingParams;
  ranker: RankerParams;
  threads: number;
  /** 'onnx': both models through scorer.onnx read back from a bundle (the reported figures); 'ts': the TypeScript twins (quicker) */
  engine: 'onnx' | 'ts';
  ablation: boolean;
  log: (line: string) => void;
}

export interface Figures {
  ndcg20: number;
  recall20: number;
}

export interface SeedResult {
  seed: number;
  items: number;
  testUsers: number;
  als: Figures;
  twoStage: Figures;
  /** share of the simulated users' hidden items that the retrievers proposed */
  candidateRecall: number;
  trees: number;
  scorerBytes?: { als: number; ranker: number };
  ablation?: { without: string; ndcg20: number; recall20: number }[];
  seconds: number;
}

const figures = (m: RankingMetrics): Figures => ({ ndcg20: m.ndcg20, recall20: m.recall20 });

/** Taggings by the split's training users, in catalogue indices, with the tagging user's training row. */
export function trainingTaggings(full: HetrecData, split: StrongSplit): (ItemTagging & { row: number })[] {
  const column = new Map(Array.from(split.items, (orig, c) => [orig, c]));
  const rowOf = new Map<string, number>();
  const heldOut = new Set<string>();
  let row = 0;
  full.interactions.userIds.forEach((id, u) => {
    if (split.heldOut.has(u)) heldOut.add(id);
    else rowOf.set(id, row++);
  });
  const out: (ItemTagging & { row: number })[] = [];
  for (const g of full.taggings) {
    const item = column.get(g.item);
    // held-out users' taggings never count: their artists would leak (as in `npm run eval`)
    if (item === undefined || heldOut.has(g.user)) continue;
    out.push({ item, tag: g.tag, row: rowOf.get(g.user) ?? -1 });
  }
  return out;
}

async function throughBundle(scorer: Uint8Array, itemIds: string[], dims: number, what: string): Promise<Uint8Array> {
  const dir = await mkdtemp(join(tmpdir(), 'backbeat-ranker-'));
  try {
    await writeBundle(join(dir, 'bundle'), {
      scorer,
      itemIds,
      dims,
      eventWeights: { ...DEFAULT_EVENT_WEIGHTS },
      halfLifeDays: DEFAULT_HALF_LIFE_DAYS,
      training: { data: what, params: {}, metrics: {} },
    });
    return (await readBundle(join(dir, 'bundle'))).files[SCORER_FILE]!;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function onnxFigures(bytes: Uint8Array, split: StrongSplit, pct: ArrayLike<number>): Promise<Figures> {
  const s = await ScorerSession.load(bytes);
  try {
    return figures(await evaluateRanker(scorerRanker(s, split.items.length), split.test, split.items.length, pct));
  } finally {
    await s.release();
  }
}

/**
 * One strong split: iALS alone and the two stages.
 *
 * @example
 * const r = await evaluateRankerSeed(await readHetrec(dir), 1, options);
 */
export async function evaluateRankerSeed(full: HetrecData, seed: number, o: RankerEvalOptions): Promise<SeedResult> {
  const t0 = performance.now();
  const nAll = full.interactions.itemIds.length;
  const split = strongSplit(full.interactions.byUser, nAll, { testUsers: 0.2, historyShare: 0.8, seed });
  const nItems = split.items.length;
  const itemIds = Array.from(split.items, (i) => full.interactions.itemIds[i]!);
  const pct = popularityPercentiles(itemPopularity(split.train, nItems));
  o.log(`seed ${seed}: ${split.train.indptr.length - 1} training users, ${split.test.length} held-out users, ${nItems} items`);
  const foldIn = await trainFoldIn(split.train, nItems, o.params, o.threads);
  o.log(`  iALS trained: ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const fitted = await fitRanker(
    { train: split.train, nItems, foldIn, taggings: trainingTaggings(full, split), params: o.params, threads: o.threads, log: o.log },
    { ...o.ranker, seed: o.ranker.seed + seed },
  );
  const model = fitted.model;
  const result: SeedResult = {
    seed,
    items: nItems,
    testUsers: split.test.length,
    als: { ndcg20: 0, recall20: 0 },
    twoStage: { ndcg20: 0, recall20: 0 },
    candidateRecall: fitted.candidateRecall,
    trees: model.ensemble.trees.length,
    seconds: 0,
  };
  const t1 = performance.now();
  if (o.engine === 'onnx') {
    const alsBytes = await throughBundle(exportScorer(foldIn), itemIds, foldIn.dims, `hetrec strong split seed ${seed}, iALS`);
    result.als = await onnxFigures(alsBytes, split, pct);
    const rankerBytes = await throughBundle(exportRankerScorer(model), itemIds, foldIn.dims, `hetrec strong split seed ${seed}, two-stage`);
    result.twoStage = await onnxFigures(rankerBytes, split, pct);
    result.scorerBytes = { als: alsBytes.length, ranker: rankerBytes.length };
  } else {
    const als: Ranker = (h, w) => scoreHistory(foldIn, h, w);
    result.als = figures(await evaluateRanker(als, split.test, nItems, pct));
    result.twoStage = figures(await evaluateRanker(tsRanker(model), split.test, nItems, pct));
  }
  o.log(
    `  seed ${seed} (${o.engine}): iALS NDCG@20 ${result.als.ndcg20.toFixed(4)} R@20 ${result.als.recall20.toFixed(4)} | two-stage NDCG@20 ${result.twoStage.ndcg20.toFixed(4)} R@20 ${result.twoStage.recall20.toFixed(4)} (${((performance.now() - t1) / 1000).toFixed(1)} s)`,
  );

  if (o.ablation) {
    const all = figures(await evaluateRanker(tsRanker(model), split.test, nItems, pct));
    result.ablation = [{ without: 'nothing (all features)', ...all }];
    for (const [name, group] of Object.entries(FEATURE_GROUPS)) {
      const allowed = Array.from({ length: N_FEATURES }, (_, j) => j).filter((j) => !group.includes(j));
      const ensemble = trainLambdaMart(fitted.data.train, { ...o.ranker.lambdaMart, allowed, validation: fitted.data.validation });
      const m = figures(await evaluateRanker(tsRanker({ ...model, ensemble, offset: rankerOffset(ensemble) }), split.test, nItems, pct));
      result.ablation.push({ without: name, ...m });
      o.log(`  without ${name}: NDCG@20 ${m.ndcg20.toFixed(4)} R@20 ${m.recall20.toFixed(4)}`);
    }
  }
  result.seconds = (performance.now() - t0) / 1000;
  return result;
}

const tsRanker =
  (m: RankerModel): Ranker =>
  (h, w) =>
    scoreRanker(m, h, w);

/**
 * Every seed in turn.
 *
 * @example
 * const results = await runRankerEvaluation({ ...options, seeds: [1, 2, 3, 4, 5] });
 */
export async function runRankerEvaluation(o: RankerEvalOptions): Promise<SeedResult[]> {
  const full = await readHetrec(o.hetrec);
  const out: SeedResult[] = [];
  for (const seed of o.seeds) out.push(await evaluateRankerSeed(full, seed, o));
  return out;
}

/** Per-seed rows and the means, as a Markdown table. */
export function formatRankerReport(results: readonly SeedResult[]): string {
  const f = (x: number) => x.toFixed(4);
  const mean = (g: (r: SeedResult) => number) => results.reduce((s, r) => s + g(r), 0) / Math.max(results.length, 1);
  const lines = [
    '| seed | items | held-out users | iALS NDCG@20 | iALS Recall@20 | two-stage NDCG@20 | two-stage Recall@20 | candidate recall | trees |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...results.map(
      (r) =>
        `| ${r.seed} | ${r.items} | ${r.testUsers} | ${f(r.als.ndcg20)} | ${f(r.als.recall20)} | ${f(r.twoStage.ndcg20)} | ${f(r.twoStage.recall20)} | ${r.candidateRecall.toFixed(3)} | ${r.trees} |`,
    ),
    `| mean | | | ${f(mean((r) => r.als.ndcg20))} | ${f(mean((r) => r.als.recall20))} | ${f(mean((r) => r.twoStage.ndcg20))} | ${f(mean((r) => r.twoStage.recall20))} | ${mean((r) => r.candidateRecall).toFixed(3)} | |`,
  ];
  const withAblation = results.filter((r) => r.ablation);
  if (withAblation.length > 0) {
    const names = withAblation[0]!.ablation!.map((a) => a.without);
    const m = (g: (r: SeedResult) => number) => withAblation.reduce((s, r) => s + g(r), 0) / withAblation.length;
    lines.push(
      '',
      `Ablation (trees retrained without one feature group, TypeScript scoring, mean of ${withAblation.length} seeds)`,
      '',
      '| without | NDCG@20 | Recall@20 | ΔNDCG@20 vs all features |',
      '| --- | --- | --- | --- |',
      ...names.map((name, k) => {
        const n = m((r) => r.ablation![k]!.ndcg20);
        return `| ${name} | ${f(n)} | ${f(m((r) => r.ablation![k]!.recall20))} | ${(n - m((r) => r.twoStage.ndcg20)).toFixed(4)} |`;
      }),
    );
  }
  return lines.join('\n');
}
