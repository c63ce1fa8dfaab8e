import { describe, expect, it } from 'vitest';
import { DEFAULT_EVENT_WEIGHTS } from '../../contract/events.ts';
import { toCsr } from '../../models/data/interactions.ts';
import { exportContent } from '../../models/onnx/content.ts';
import { allCandidates, ContentSession, ScorerSession } from '../../models/onnx/runtime.ts';
import { exportScorer } from '../../models/onnx/scorer.ts';
import { trainModels } from '../../models/pipeline/train.ts';
import { DEFAULT_ALS_PARAMS, trainAls } from '../../models/train/als.ts';
import { embedContent, fitContentModel } from '../../models/train/content-model.ts';
import { DEFAULT_TRAINING_PARAMS, ITEM_ITEM_PARAMS } from '../../models/train/defaults.ts';
import { foldIn, foldInModel, scoreHistory, scoreItems } from '../../models/train/fold-in.ts';
import { mulberry32 } from '../../models/train/random.ts';

const rand = mulberry32(11);
const nUsers = 300;
const nItems = 200;
const n = 6000;
const rows = Int32Array.from({ length: n }, () => Math.floor(rand() * nUsers));
const cols = Int32Array.from({ length: n }, () => Math.floor(rand() ** 2 * nItems));
const vals = Float32Array.from({ length: n }, () => 1 + Math.floor(rand() * 200));
const byUser = toCsr(nUsers, rows, cols, vals);

describe('ONNX parity', () => {
  it('Should give scorer.onnx scores equal to the TypeScript fold-in within 1e-4 for random users', async () => {
    const params = { ...DEFAULT_ALS_PARAMS, factors: 24, iterations: 6 };
    const model = foldInModel((await trainAls(byUser, nItems, params)).itemFactors, nItems, 24, params);
    const session = await ScorerSession.load(exportScorer(model));
    for (let t = 0; t < 25; t++) {
      // random histories with repeats and zero weights, as the Worker may send
      const history = Array.from({ length: 1 + Math.floor(rand() * 80) }, () => Math.floor(rand() * nItems));
      const weights = history.map(() => (rand() < 0.1 ? 0 : rand() * 500));
      const want = scoreItems(model, foldIn(model, history, weights));
      const { scores, userVector } = await session.score(history, weights, allCandidates(nItems));
      for (let i = 0; i < nItems; i++) expect(Math.abs(scores[i]! - want[i]!)).toBeLessThan(1e-4);
      expect(userVector).toHaveLength(24);
    }
    const some = [5, 0, 5];
    const { scores } = await session.score([1, 2], [3, 4], some);
    expect(scores).toHaveLength(3);
    expect(scores[0]).toBeCloseTo(scores[2]!, 6);
    await session.release();
  });

  it('Should keep parity with BM25 saturation, item-dependent unobserved weights and the item-item blend', async () => {
    const params = {
      ...DEFAULT_TRAINING_PARAMS,
      als: { ...DEFAULT_TRAINING_PARAMS.als, factors: 16, iterations: 4, missingExponent: 0.3 },
      saturation: { k1: 20, b: 0.8 },
      itemItem: { ...ITEM_ITEM_PARAMS, k: 30 },
    };
    const input = {
      interactions: { userIds: [], itemIds: Array.from({ length: nItems }, (_, i) => `i${i}`), byUser },
      eventWeights: DEFAULT_EVENT_WEIGHTS,
      halfLifeDays: 30,
      data: 'test',
    };
    const { foldIn: model } = await trainModels(input, params);
    expect(model.missing).toBeDefined();
    expect(model.saturation).toBeDefined();
    expect(model.itemItem?.k).toBe(30);
    const session = await ScorerSession.load(exportScorer(model));
    for (let t = 0; t < 10; t++) {
      // repeats, zero and negative weights, as the Worker may send
      const history = Array.from({ length: 1 + Math.floor(rand() * 60) }, () => Math.floor(rand() * nItems));
      const weights = history.map(() => (rand() < 0.1 ? 0 : rand() < 0.05 ? -2 : rand() * 300));
      const want = scoreHistory(model, history, weights);
      const { scores } = await session.score(history, weights, allCandidates(nItems));
      for (let i = 0; i < nItems; i++) expect(Math.abs(scores[i]! - want[i]!)).toBeLessThan(1e-4);
      // the blend term is part of the score and does not depend on the candidate list
      const alsOnly = scoreItems(model, foldIn(model, history, weights));
      expect(want.some((v, i) => Math.abs(v - alsOnly[i]!) > 1e-3)).toBe(true);
      const some = [7, 3, 150];
      const { scores: sub } = await session.score(history, weights, some);
      some.forEach((item, k) => {
        expect(sub[k]).toBeCloseTo(scores[item]!, 5);
      });
    }
    await session.release();
  });

  it('Should give content.onnx embeddings equal to the TypeScript content model', async () => {
    const f = 12;
    const d = 6;
    const x = Float32Array.from({ length: nItems * f }, (_, k) => (k % f < 8 ? Number(rand() < 0.2) : rand() * 2 - 1));
    const y = Float32Array.from({ length: nItems * d }, () => rand() - 0.5);
    const m = fitContentModel(
      x,
      nItems,
      f,
      y,
      d,
      Int32Array.from({ length: 150 }, (_, i) => i),
      1,
    );
    const session = await ContentSession.load(exportContent(m));
    const got = await session.embed(x.subarray(150 * f), 50);
    const want = embedContent(m, x.subarray(150 * f), 50);
    for (let k = 0; k < want.length; k++) expect(Math.abs(got[k]! - want[k]!)).toBeLessThan(1e-5);
    await session.release();
  });
});
