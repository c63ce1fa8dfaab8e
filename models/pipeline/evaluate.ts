/**
 * The full evaluation behind `npm run eval`: strong generalisation on HetRec with the exported
 * scorer.onnx against baselines, and cold start through content.onnx.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONTENT_FILE, SCORER_FILE } from '../../contract/bundle-manifest.ts';
import { DEFAULT_EVENT_WEIGHTS, DEFAULT_HALF_LIFE_DAYS } from '../../contract/events.ts';
import { type LoadedBundle, readBundle, writeBundle } from '../bundle/write.ts';
import type { ItemContent } from '../data/content-rows.ts';
import type { Interactions } from '../data/interactions.ts';
import type { TrainingInput } from '../data/load.ts';
import { type HetrecData, readHetrec, tagContent } from '../data/read-hetrec.ts';
import { easeRanker, itemKnnRanker, itemPopularity, popularityRanker, type Ranker } from '../eval/baselines.ts';
import { itemHoldout, tagPopularityScores } from '../eval/cold-start.ts';
import { popularityPercentiles, recallAtK, topK } from '../eval/metrics.ts';
import { evaluateRanker, type RankingMetrics, scorerRanker } from '../eval/protocol.ts';
import { type StrongSplit, strongSplit, trainingInteractions } from '../eval/split.ts';
import { ContentSession, ScorerSession } from '../onnx/runtime.ts';
import { featureMatrix } from '../train/content-features.ts';
import type { TrainingParams } from '../train/defaults.ts';
import { scoreItems } from '../train/fold-in.ts';
import { exportModels, trainModels } from './train.ts';

export interface EvalOptions {
  hetrec: string;
  seed: number;
  params: TrainingParams;
  easeItems: number;
  easeLambda: number;
  log: (line: string) => void;
}

export interface EvalReport {
  seed: number;
  trainUsers: number;
  testUsers: number;
  items: number;
  rows: { name: string; metrics: RankingMetrics }[];
  /** the trained model when every artist stays in the catalogue (`catalogue: 'all'`) */
  allArtists: { items: number; users: number; metrics: RankingMetrics };
  coldStart: { items: number; users: number; contentRecall20: number; tagPopularityRecall20: number };
}

/** Trains on HetRec `interactions`, writes the bundle to a temporary folder and loads it back, as anyone evaluating it would. */
export async function trainBundle(
  interactions: Interactions,
  content: ItemContent[],
  data: string,
  params: TrainingParams,
): Promise<LoadedBundle> {
  const input: TrainingInput = {
    interactions,
    content,
    eventWeights: { ...DEFAULT_EVENT_WEIGHTS },
    halfLifeDays: DEFAULT_HALF_LIFE_DAYS,
    data,
  };
  const trained = await trainModels(input, params);
  const dir = await mkdtemp(join(tmpdir(), 'backbeat-eval-'));
  try {
    await writeBundle(join(dir, 'bundle'), await exportModels(input, trained, { data, params: { ...params }, metrics: {} }));
    return await readBundle(join(dir, 'bundle'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * @example
 * const report = await runEvaluation({ hetrec: '/data/hetrec2011-lastfm-2k', seed: 1, params, easeItems: 2000, easeLambda: 100, log: console.log });
 */
export async function runEvaluation(o: EvalOptions): Promise<EvalReport> {
  const full = await readHetrec(o.hetrec);
  const nAll = full.interactions.itemIds.length;
  const split = strongSplit(full.interactions.byUser, nAll, { testUsers: 0.2, historyShare: 0.8, seed: o.seed });
  const heldOutIds = new Set([...split.heldOut].map((u) => full.interactions.userIds[u]!));
  // Item tags from training users only: a held-out user's own taggings would leak their artists.
  const tagged = tagContent(nAll, full.taggings, (id) => !heldOutIds.has(id));
  const nItems = split.items.length;
  const pct = popularityPercentiles(itemPopularity(split.train, nItems));
  const rows: EvalReport['rows'] = [];
  const run = async (name: string, ranker: Ranker) => {
    const t0 = performance.now();
    rows.push({ name, metrics: await evaluateRanker(ranker, split.test, nItems, pct) });
    o.log(`  ${name}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  };
  o.log(`strong generalisation: ${split.train.indptr.length - 1} training users, ${split.test.length} held-out users, ${nItems} items`);
  await run('popularity', popularityRanker(split.train, nItems));
  await run('item-kNN (cosine, k=100)', itemKnnRanker(split.train, nItems, 100));
  const ease = easeRanker(split.train, nItems, o.easeLambda, o.easeItems);
  await run(`EASE (λ=${o.easeLambda}, top ${ease.items} items)`, ease.ranker);
  rows.push({ name: 'trained model (scorer.onnx)', metrics: await evaluateModel(o, full.interactions, tagged, split, pct) });

  // The same users on the whole artist list: targets nobody in training played stay in (only
  // content.onnx, from training users' tags, can place them).
  const wide = strongSplit(full.interactions.byUser, nAll, { testUsers: 0.2, historyShare: 0.8, seed: o.seed, catalogue: 'all' });
  const widePct = popularityPercentiles(itemPopularity(wide.train, nAll));
  const allArtists = { items: nAll, users: wide.test.length, metrics: await evaluateModel(o, full.interactions, tagged, wide, widePct) };

  const coldStart = await evaluateColdStart(o, full);
  return {
    seed: o.seed,
    trainUsers: split.train.indptr.length - 1,
    testUsers: split.test.length,
    items: nItems,
    rows,
    allArtists,
    coldStart,
  };
}

/** Trains and exports the model on a split's training users; its held-out users rank through scorer.onnx. */
async function evaluateModel(
  o: EvalOptions,
  interactions: Interactions,
  tagged: readonly ItemContent[],
  split: StrongSplit,
  pct: ArrayLike<number>,
): Promise<RankingMetrics> {
  const t0 = performance.now();
  const loaded = await trainBundle(
    trainingInteractions(interactions, split),
    Array.from(split.items, (i) => tagged[i]!),
    `hetrec strong split seed ${o.seed}`,
    o.params,
  );
  o.log(`  trained and exported a bundle of ${split.items.length} items: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const scorer = await ScorerSession.load(loaded.files[SCORER_FILE]!);
  const t1 = performance.now();
  const m = await evaluateRanker(scorerRanker(scorer, split.items.length), split.test, split.items.length, pct);
  o.log(`  scorer.onnx on ${split.test.length} held-out users: ${((performance.now() - t1) / 1000).toFixed(1)} s`);
  await scorer.release();
  return m;
}

async function evaluateColdStart(o: EvalOptions, full: HetrecData): Promise<EvalReport['coldStart']> {
  const nItems = full.interactions.itemIds.length;
  const hold = itemHoldout(full.interactions.byUser, nItems, 0.1, o.seed);
  const loaded = await trainBundle(
    { ...full.interactions, byUser: hold.train },
    full.content,
    `hetrec cold-start seed ${o.seed}`,
    o.params,
  );
  const scorer = await ScorerSession.load(loaded.files[SCORER_FILE]!);
  const content = await ContentSession.load(loaded.files[CONTENT_FILE]!);
  const x = featureMatrix(
    loaded.manifest.contentFeatures,
    Array.from(hold.cold, (i) => full.content[i]!),
  );
  const coldItems = { nItems: hold.cold.length, dims: loaded.manifest.dims, itemFactors: await content.embed(x, hold.cold.length) };
  const coldPosition = new Map(Array.from(hold.cold, (i, k) => [i, k]));
  const one = BigInt64Array.from([0n]);
  let contentRecall = 0;
  let baselineRecall = 0;
  for (const u of hold.users) {
    const { userVector } = await scorer.score(u.history, u.weights, one);
    const target = new Set([...u.target].map((i) => coldPosition.get(i)!));
    contentRecall += recallAtK(topK(scoreItems(coldItems, userVector), 20), target, 20);
    baselineRecall += recallAtK(topK(tagPopularityScores(full.content, u, hold.cold), 20), target, 20);
  }
  await scorer.release();
  await content.release();
  const n = Math.max(hold.users.length, 1);
  return {
    items: hold.cold.length,
    users: hold.users.length,
    contentRecall20: contentRecall / n,
    tagPopularityRecall20: baselineRecall / n,
  };
}

/** The report as a Markdown table (printed by the CLI, pasted into README). */
export function formatReport(r: EvalReport): string {
  const f = (x: number) => x.toFixed(4);
  const lines = [
    `HetRec Last.fm 2K, strong generalisation (seed ${r.seed}): ${r.trainUsers} training users, ${r.testUsers} held-out users (80 % history → 20 % to find), ${r.items} items with a training listener (Liang et al. 2018)`,
    '',
    '| model | Recall@20 | NDCG@20 | NDCG@100 | coverage@20 | popularity bias@20 |',
    '| --- | --- | --- | --- | --- | --- |',
    ...r.rows.map(
      ({ name, metrics: m }) =>
        `| ${name} | ${f(m.recall20)} | ${f(m.ndcg20)} | ${f(m.ndcg100)} | ${f(m.coverage20)} | ${f(m.popularityBias20)} |`,
    ),
    '',
    `The trained model with all ${r.allArtists.items} artists kept (targets no training user played stay in; ${r.allArtists.users} held-out users)`,
    '',
    '| model | Recall@20 | NDCG@20 | NDCG@100 | coverage@20 | popularity bias@20 |',
    '| --- | --- | --- | --- | --- | --- |',
    `| trained model (scorer.onnx), every artist | ${f(r.allArtists.metrics.recall20)} | ${f(r.allArtists.metrics.ndcg20)} | ${f(r.allArtists.metrics.ndcg100)} | ${f(r.allArtists.metrics.coverage20)} | ${f(r.allArtists.metrics.popularityBias20)} |`,
    '',
    `Cold start: ${r.coldStart.items} items held out of training, ${r.coldStart.users} users ranking them by warm history`,
    '',
    '| model | Recall@20 (among cold items) |',
    '| --- | --- |',
    `| content.onnx embedding · user vector | ${f(r.coldStart.contentRecall20)} |`,
    `| popularity within the user's tags | ${f(r.coldStart.tagPopularityRecall20)} |`,
  ];
  return lines.join('\n');
}
