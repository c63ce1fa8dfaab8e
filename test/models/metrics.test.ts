import { describe, expect, it } from 'vitest';
import { coverage, ndcgAtK, popularityBias, popularityPercentiles, recallAtK, topK } from '../../models/eval/metrics.ts';

describe('ranking metrics', () => {
  it('Should compute Recall@K normalised by min(K, |T|)', () => {
    // hits at ranks 1 and 3 of 3 relevant → 2/3; with K=2 only rank 1 counts → 1/2
    expect(recallAtK([5, 1, 7, 9], new Set([5, 7, 8]), 4)).toBeCloseTo(2 / 3, 10);
    expect(recallAtK([5, 1, 7, 9], new Set([5, 7, 8]), 2)).toBeCloseTo(1 / 2, 10);
    expect(recallAtK([1, 2], new Set(), 2)).toBe(0);
  });

  it('Should compute NDCG@K with binary gains', () => {
    // hits at ranks 1 and 3: DCG = 1 + 1/log2(4) = 1.5; IDCG (2 relevant) = 1 + 1/log2(3)
    const idcg = 1 + 1 / Math.log2(3);
    expect(ndcgAtK([5, 1, 7], new Set([5, 7]), 3)).toBeCloseTo(1.5 / idcg, 10);
    expect(ndcgAtK([5, 7, 1], new Set([5, 7]), 3)).toBeCloseTo(1, 10);
    // a hit beyond K does not count
    expect(ndcgAtK([1, 2, 5], new Set([5]), 2)).toBe(0);
  });

  it('Should compute catalogue coverage and popularity bias', () => {
    expect(
      coverage(
        [
          [0, 1],
          [1, 2],
        ],
        10,
      ),
    ).toBeCloseTo(0.3, 10);
    const pct = popularityPercentiles([5, 1, 3, 3]);
    // sorted: 1 (item 1), 3, 3 (items 2, 3 tie), 5 (item 0) → percentiles 0, 1/4, 1/4, 3/4
    expect(Array.from(pct)).toEqual([0.75, 0, 0.25, 0.25]);
    expect(popularityBias([[0, 1]], pct)).toBeCloseTo(0.375, 10);
  });

  it('Should return the top K indices best first, skipping excluded ones, ties to the lower index', () => {
    expect(Array.from(topK([0.1, 0.9, 0.5, 0.9, 0.3], 3))).toEqual([1, 3, 2]);
    expect(Array.from(topK([0.1, 0.9, 0.5, 0.9, 0.3], 2, new Set([1])))).toEqual([3, 2]);
    expect(Array.from(topK([1, 2], 5))).toEqual([1, 0]);
  });
});
