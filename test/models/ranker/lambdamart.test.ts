import { describe, expect, it } from 'vitest';
import { toCsr } from '../../../models/data/interactions.ts';
import {
  DEFAULT_LAMBDAMART,
  meanNdcg,
  outputBound,
  predict,
  type RankingData,
  trainLambdaMart,
} from '../../../models/ranker/lambdamart.ts';
import { tagTable } from '../../../models/ranker/tags.ts';
import { hideItems, popularityPercentile } from '../../../models/ranker/train.ts';
import { mulberry32 } from '../../../models/train/random.ts';

/** Queries of 40 rows; relevance depends on feature 0 and (an interaction) on features 1 and 2; feature 3 is noise. */
function synthetic(queries: number, seed: number): RankingData {
  const rand = mulberry32(seed);
  const f = 4;
  const x: number[] = [];
  const label: number[] = [];
  const offsets = [0];
  for (let q = 0; q < queries; q++) {
    for (let r = 0; r < 40; r++) {
      const row = [rand(), rand(), rand(), rand()];
      const p = 0.6 * row[0]! + 0.4 * (row[1]! > 0.5 === row[2]! > 0.5 ? 1 : 0);
      x.push(...row);
      label.push(p + 0.15 * rand() > 0.85 ? 1 : 0);
    }
    offsets.push(offsets[offsets.length - 1]! + 40);
  }
  return { nFeatures: f, x: Float32Array.from(x), label: Float32Array.from(label), queries: Int32Array.from(offsets) };
}

describe('LambdaMART', () => {
  it('Should learn a ranking far better than noise, use interactions, and stop early on validation', () => {
    const train = synthetic(300, 1);
    const validation = synthetic(100, 2);
    const noise = meanNdcg(validation, Float32Array.from(validation.x.filter((_, k) => k % 4 === 3)), 10);
    const onlyF0 = meanNdcg(validation, Float32Array.from(validation.x.filter((_, k) => k % 4 === 0)), 10);
    const model = trainLambdaMart(train, { ...DEFAULT_LAMBDAMART, trees: 60, leaves: 8, minLeafRows: 20, validation });
    const rows = validation.label.length;
    const got = meanNdcg(validation, predict(model, validation.x, rows), 10);
    expect(got).toBeGreaterThan(onlyF0 + 0.05);
    expect(onlyF0).toBeGreaterThan(noise);
    expect(model.trees.length).toBeGreaterThan(0);
    expect(model.trees.length).toBeLessThanOrEqual(60);
    // every prediction is within the bound the scorer's offset is built on
    const bound = outputBound(model);
    for (const s of predict(model, validation.x, rows)) expect(Math.abs(s)).toBeLessThanOrEqual(bound + 1e-6);
  });

  it('Should never split on a feature it is not allowed to use', () => {
    const model = trainLambdaMart(synthetic(100, 3), { ...DEFAULT_LAMBDAMART, trees: 10, leaves: 8, minLeafRows: 20, allowed: [1, 2] });
    for (const t of model.trees) for (const f of t.feature) expect([-1, 1, 2]).toContain(f);
  });

  it('Should send a value equal to a threshold left, as ONNX BRANCH_LEQ does', () => {
    const model = trainLambdaMart(synthetic(100, 4), { ...DEFAULT_LAMBDAMART, trees: 1, leaves: 2, minLeafRows: 20 });
    const t = model.trees[0]!;
    expect(t.feature[0]).toBeGreaterThanOrEqual(0);
    const row = new Float32Array(4);
    row[t.feature[0]!] = t.threshold[0]!;
    expect(predict(model, row, 1)[0]).toBe(t.value[t.left[0]!]);
    row[t.feature[0]!] = t.threshold[0]! + 1e-3;
    expect(predict(model, row, 1)[0]).toBe(t.value[t.right[0]!]);
  });
});

describe('ranker training data', () => {
  it('Should hide a fifth of every row with at least five items and keep the rest visible', () => {
    const byUser = toCsr(
      2,
      Int32Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1]),
      Int32Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]),
      new Float32Array(12).fill(1),
    );
    const { visible, hidden } = hideItems(byUser, 0.2, 1);
    expect(hidden[0]).toHaveLength(2);
    expect(hidden[1]).toHaveLength(0);
    expect(visible.indptr[1]).toBe(8);
    const seen = new Set([...visible.indices.subarray(0, 8), ...hidden[0]!]);
    expect(seen.size).toBe(10);
  });

  it('Should give popularity percentiles with ties sharing the lower value', () => {
    const byUser = toCsr(3, Int32Array.from([0, 1, 2, 0, 1, 0]), Int32Array.from([0, 0, 0, 1, 1, 2]), new Float32Array(6).fill(1));
    expect(Array.from(popularityPercentile(byUser, 4))).toEqual([0.75, 0.5, 0.25, 0]);
  });

  it('Should build unit-length tf-idf tag rows, drop tags on a single item and pad short rows', () => {
    const t = tagTable(
      3,
      [
        { item: 0, tag: 'rock' },
        { item: 0, tag: 'rock' },
        { item: 0, tag: 'indie' },
        { item: 1, tag: 'indie' },
        { item: 1, tag: 'only-here' },
        { item: 2, tag: 'rock' },
      ],
      4,
    );
    expect(t.vocabulary).toBe(2);
    const norm = (i: number) => Math.hypot(...t.value.subarray(i * 4, i * 4 + 4));
    expect(norm(0)).toBeCloseTo(1, 6);
    expect(norm(1)).toBeCloseTo(1, 6);
    expect(Array.from(t.value.subarray(5, 8))).toEqual([0, 0, 0]);
  });
});
