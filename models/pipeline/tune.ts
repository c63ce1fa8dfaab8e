/**
 * --tune: a small grid search scored on a strong-generalisation validation split carved out of the
 * training users only (the evaluation's test users are never passed in here).
 */

import { DEFAULT_EVENT_WEIGHTS, DEFAULT_HALF_LIFE_DAYS } from '../../contract/events.ts';
import type { Interactions } from '../data/interactions.ts';
import { itemPopularity } from '../eval/baselines.ts';
import { popularityPercentiles } from '../eval/metrics.ts';
import { evaluateRanker } from '../eval/protocol.ts';
import { strongSplit, trainingInteractions } from '../eval/split.ts';
import type { TrainingParams } from '../train/defaults.ts';
import { scoreHistory } from '../train/fold-in.ts';
import { trainModels } from './train.ts';

export const TUNE_GRID: ReadonlyArray<Partial<TrainingParams['als']>> = [
  {},
  { alpha: 0.5 },
  { alpha: 2 },
  { regularization: 0.02 },
  { regularization: 0.2 },
  { itemRegExponent: 0.5 },
  { factors: 64, regularization: 0.05 },
  { factors: 192, regularization: 0.3 },
];

export async function tune(
  data: Interactions,
  base: TrainingParams,
  log: (line: string) => void,
  grid = TUNE_GRID,
): Promise<{ params: TrainingParams; best: Partial<TrainingParams['als']>; ndcg20: number }> {
  const split = strongSplit(data.byUser, data.itemIds.length, { testUsers: 0.15, historyShare: 0.8, seed: base.als.seed + 1 });
  const nItems = split.items.length;
  const pct = popularityPercentiles(itemPopularity(split.train, nItems));
  const input = {
    interactions: trainingInteractions(data, split),
    eventWeights: { ...DEFAULT_EVENT_WEIGHTS },
    halfLifeDays: DEFAULT_HALF_LIFE_DAYS,
    data: 'tune',
  };
  let best = { params: base, best: grid[0] ?? {}, ndcg20: -1 };
  for (const change of grid) {
    const als = { ...base.als, ...change };
    const { foldIn: fm } = await trainModels(input, { ...base, als });
    const m = await evaluateRanker((h, w) => scoreHistory(fm, h, w), split.test, nItems, pct);
    log(`  tune ${JSON.stringify(change)}: validation NDCG@20 ${m.ndcg20.toFixed(4)}`);
    if (m.ndcg20 > best.ndcg20) best = { params: { ...base, als }, best: change, ndcg20: m.ndcg20 };
  }
  return best;
}
