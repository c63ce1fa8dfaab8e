/**
 * Runs a ranker over held-out users and averages the metrics; history items are never recommended.
 */
import { allCandidates, type ScorerSession } from '../onnx/runtime.ts';
import type { Ranker } from './baselines.ts';
import { coverage, ndcgAtK, popularityBias, recallAtK, topK } from './metrics.ts';
import type { HeldOutUser } from './split.ts';

export interface RankingMetrics {
  users: number;
  recall20: number;
  ndcg20: number;
  ndcg100: number;
  coverage20: number;
  popularityBias20: number;
}

/**
 * @example
 * const m = await evaluateRanker(ranker, split.test, nItems, percentiles);
 */
export async function evaluateRanker(
  ranker: Ranker,
  users: readonly HeldOutUser[],
  nItems: number,
  percentiles: ArrayLike<number>,
): Promise<RankingMetrics> {
  let r20 = 0;
  let n20 = 0;
  let n100 = 0;
  const lists: Int32Array[] = [];
  for (const u of users) {
    const scores = await ranker(u.history, u.weights);
    const top = topK(scores, 100, new Set(u.history));
    r20 += recallAtK(top, u.target, 20);
    n20 += ndcgAtK(top, u.target, 20);
    n100 += ndcgAtK(top, u.target, 100);
    lists.push(top.subarray(0, 20));
  }
  const n = Math.max(users.length, 1);
  return {
    users: users.length,
    recall20: r20 / n,
    ndcg20: n20 / n,
    ndcg100: n100 / n,
    coverage20: coverage(lists, nItems),
    popularityBias20: popularityBias(lists, percentiles),
  };
}

/**
 * A ranker that asks an exported scorer.onnx to score the whole catalogue of `nItems`.
 *
 * @example
 * const m = await evaluateRanker(scorerRanker(await ScorerSession.load(bytes), nItems), split.test, nItems, percentiles);
 */
export function scorerRanker(scorer: ScorerSession, nItems: number): Ranker {
  const candidates = allCandidates(nItems);
  return async (history, weights) => (await scorer.score(history, weights, candidates)).scores;
}
