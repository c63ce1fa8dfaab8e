import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { SCORER_FILE, SCORER_IO } from '../../../contract/bundle-manifest.ts';
import { DEFAULT_EVENT_WEIGHTS } from '../../../contract/events.ts';
import { readBundle, writeBundle } from '../../../models/bundle/write.ts';
import { toCsr } from '../../../models/data/interactions.ts';
import { exportRankerScorer, RANKER_FEATURES_OUTPUT } from '../../../models/onnx/ranker-graph.ts';
import { allCandidates, ScorerSession } from '../../../models/onnx/runtime.ts';
import { N_FEATURES, type RankerModel, scoreRanker, userFeatures } from '../../../models/ranker/features.ts';
import { predict } from '../../../models/ranker/lambdamart.ts';
import { DEFAULT_RANKER_PARAMS, fitRanker, trainFoldIn } from '../../../models/ranker/train.ts';
import { DEFAULT_TRAINING_PARAMS } from '../../../models/train/defaults.ts';
import { mulberry32 } from '../../../models/train/random.ts';

// 300 listeners of 200 items in 4 taste clusters; items carry their cluster's tags
const rand = mulberry32(5);
const nUsers = 300;
const nItems = 200;
const rows: number[] = [];
const cols: number[] = [];
const vals: number[] = [];
for (let u = 0; u < nUsers; u++) {
  const cluster = u % 4;
  for (let k = 0; k < 12; k++) {
    const own = rand() < 0.8;
    const item = own ? cluster * 50 + Math.floor(rand() ** 2 * 50) : Math.floor(rand() * nItems);
    rows.push(u);
    cols.push(item);
    vals.push(1 + Math.floor(rand() * 100));
  }
}
const train = toCsr(nUsers, Int32Array.from(rows), Int32Array.from(cols), Float32Array.from(vals));
const taggings = Array.from({ length: 600 }, () => {
  const item = Math.floor(rand() * nItems);
  const tag = rand() < 0.7 ? `c${Math.floor(item / 50)}-${Math.floor(rand() * 3)}` : `t${Math.floor(rand() * 20)}`;
  return { item, tag, row: Math.floor(rand() * nUsers) };
});
const params = { ...DEFAULT_TRAINING_PARAMS, als: { ...DEFAULT_TRAINING_PARAMS.als, factors: 16, iterations: 5 } };
const rankerParams = {
  ...DEFAULT_RANKER_PARAMS,
  gate: { als: 40, rp3: 20, tag: 10, pop: 5 },
  lambdaMart: { ...DEFAULT_RANKER_PARAMS.lambdaMart, trees: 30, leaves: 8, minLeafRows: 20, bins: 32 },
};

async function fitted(): Promise<RankerModel> {
  const foldIn = await trainFoldIn(train, nItems, params);
  return (await fitRanker({ train, nItems, foldIn, taggings, params, threads: 1, log: () => {} }, rankerParams)).model;
}

/** Distance of each feature value to the nearest split threshold on that feature. */
function nearestThreshold(m: RankerModel, x: ArrayLike<number>, o: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (const t of m.ensemble.trees)
    for (let k = 0; k < t.feature.length; k++)
      if (t.feature[k]! >= 0) best = Math.min(best, Math.abs(x[o + t.feature[k]!]! - t.threshold[k]!));
  return best;
}

describe('ranker scorer.onnx parity', () => {
  it('Should compute the same feature rows and the same tree outputs as the TypeScript ranker, within 1e-4', async () => {
    const model = await fitted();
    expect(model.ensemble.trees.length).toBeGreaterThan(0);
    const session = await ort.InferenceSession.create(exportRankerScorer(model, { debugFeatures: true }));
    const plain = await ScorerSession.load(exportRankerScorer(model));
    const cands = allCandidates(nItems);
    let compared = 0;
    let flips = 0;
    for (let s = 0; s < 12; s++) {
      // random histories with repeats and zero weights, as the Worker may send
      const history = Array.from({ length: 1 + Math.floor(rand() * 30) }, () => Math.floor(rand() * nItems));
      const weights = history.map(() => (rand() < 0.1 ? 0 : rand() * 300));
      const out = await session.run({
        [SCORER_IO.history]: new ort.Tensor('int64', BigInt64Array.from(history.map(BigInt)), [history.length]),
        [SCORER_IO.historyWeight]: new ort.Tensor('float32', Float32Array.from(weights), [weights.length]),
        [SCORER_IO.candidates]: new ort.Tensor('int64', cands, [nItems]),
      });
      const gotX = out[RANKER_FEATURES_OUTPUT]!.data as Float32Array;
      const gotScores = out[SCORER_IO.scores]!.data as Float32Array;
      const want = userFeatures(model.tables, history, weights);
      for (let k = 0; k < gotX.length; k++) expect(Math.abs(gotX[k]! - want.x[k]!)).toBeLessThan(1e-4 * Math.max(1, Math.abs(want.x[k]!)));
      // the trees on the graph's own feature rows: ONNX TreeEnsembleRegressor = TypeScript trees
      const trees = predict(model.ensemble, gotX, nItems);
      const wantScores = scoreRanker(model, history, weights);
      for (let i = 0; i < nItems; i++) {
        if (want.inSet[i]) expect(Math.abs(gotScores[i]! - trees[i]!)).toBeLessThan(1e-4);
        // end to end: equal unless a feature sits within float noise of a split threshold
        if (Math.abs(gotScores[i]! - wantScores[i]!) >= 1e-4) {
          flips++;
          expect(nearestThreshold(model, want.x, i * N_FEATURES)).toBeLessThan(1e-4);
        }
        compared++;
      }
      const { scores, userVector } = await plain.score(history, weights, cands);
      expect(Array.from(scores)).toEqual(Array.from(gotScores));
      expect(userVector).toHaveLength(16);
    }
    expect(flips / compared).toBeLessThan(0.01);
    // any candidate list, repeats included, gives the scores of those items
    const { scores } = await plain.score([1, 2], [3, 4], [5, 0, 5]);
    expect(scores[0]).toBe(scores[2]);
    await plain.release();
    await session.release();
  });

  it('Should pass the bundle contract checks with the ranker inside scorer.onnx and score through the read-back bundle', async () => {
    const model = await fitted();
    const dir = await mkdtemp(join(tmpdir(), 'ranker-bundle-'));
    try {
      const itemIds = Array.from({ length: nItems }, (_, i) => `a${i}`);
      await writeBundle(join(dir, 'b'), {
        scorer: exportRankerScorer(model),
        itemIds,
        dims: 16,
        eventWeights: { ...DEFAULT_EVENT_WEIGHTS },
        halfLifeDays: 30,
        training: { data: 'test', params: {}, metrics: {} },
      });
      const loaded = await readBundle(join(dir, 'b'));
      const session = await ScorerSession.load(loaded.files[SCORER_FILE]!);
      const { scores } = await session.score([3, 60], [10, 2], allCandidates(nItems));
      const want = scoreRanker(model, [3, 60], [10, 2]);
      let close = 0;
      for (let i = 0; i < nItems; i++) if (Math.abs(scores[i]! - want[i]!) < 1e-4) close++;
      expect(close).toBeGreaterThanOrEqual(nItems - 2);
      // proposed candidates always outrank the rest, history items are never proposed
      const proposed = userFeatures(model.tables, [3, 60], [10, 2]).inSet;
      expect(proposed[3]).toBe(0);
      let minIn = Number.POSITIVE_INFINITY;
      let maxOut = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < nItems; i++) {
        if (proposed[i]) minIn = Math.min(minIn, scores[i]!);
        else maxOut = Math.max(maxOut, scores[i]!);
      }
      expect(minIn).toBeGreaterThan(maxOut);
      await session.release();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
