import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../../worker/db/client.ts';
import { modelOf } from '../../../worker/model/active-model.ts';
import type { LoadedModel } from '../../../worker/model/loaded-model.ts';
import { candidateUnion, itemNeighbours } from '../../../worker/recs/candidates.ts';
import { buildCatalogue } from '../../../worker/recs/catalogue.ts';
import { recommend } from '../../../worker/recs/recommend.ts';
import { PhaseTimer } from '../../../worker/recs/timing.ts';
import { DEFAULT_OPTIONS } from '../../../worker/schemas/recommendations.ts';
import { artistOf, BUNDLES, genreOf, putCatalogue, uploadBundle, versionOf } from './setup.ts';

describe('Scoring inside workerd', () => {
  beforeAll(async () => {
    for (const b of BUNDLES) expect([201, 409]).toContain((await uploadBundle(b)).status);
  });

  for (const [n, bundle] of BUNDLES.entries()) {
    it(`Should load bundle ${n} from R2 and score exactly as the trainer does in Node`, async () => {
      const model = await modelOf(createDb(env.DB), env.MODELS, versionOf(bundle));
      expect(model.version).toBe(versionOf(bundle));
      expect(model.items).toEqual(bundle.expected.itemIds);
      const { history } = bundle.expected;
      const { scores, userVector } = await model.score(
        history.tracks.map((t) => model.indexOf.get(t) as number),
        history.weights,
        'all',
      );
      expect(scores).toHaveLength(bundle.expected.scores.length);
      for (const [i, s] of bundle.expected.scores.entries()) expect(scores[i]).toBeCloseTo(s, 5);
      for (const [i, v] of bundle.expected.userVector.entries()) expect(userVector[i]).toBeCloseTo(v, 5);
    });
  }

  it('Should score a subset of candidates the same as the full catalogue', async () => {
    const bundle = BUNDLES[0] as (typeof BUNDLES)[0];
    const model = await modelOf(createDb(env.DB), env.MODELS, versionOf(bundle));
    const h = bundle.expected.history;
    const idx = h.tracks.map((t) => model.indexOf.get(t) as number);
    const { scores } = await model.score(idx, h.weights, [5, 17, 2]);
    expect(Array.from(scores)).toEqual([5, 17, 2].map((i) => expect.closeTo(bundle.expected.scores[i] as number, 5)));
  });

  it('Should gather candidates for large catalogues from neighbours, artists, genres and popularity', async () => {
    await putCatalogue();
    const bundle = BUNDLES[0] as (typeof BUNDLES)[0];
    const db = createDb(env.DB);
    const model = await modelOf(db, env.MODELS, versionOf(bundle));
    const catalogue = await buildCatalogue(db, model, Date.now());
    const anchor = model.indexOf.get('fx-t50') as number;
    const neighbours = Array.from(itemNeighbours(model, anchor)).slice(0, 10);
    expect(neighbours).not.toContain(anchor);
    expect(neighbours.filter((i) => genreOf(model.items[i] as string) === genreOf('fx-t50')).length).toBeGreaterThanOrEqual(8);
    const union = candidateUnion(model, catalogue, [anchor], new Set([catalogue.genreIndex.get('techno') as number]));
    expect(union.every((i) => i < catalogue.modelItems)).toBe(true);
    expect(union).toEqual(expect.arrayContaining(neighbours));
    const ids = union.map((i) => model.items[i] as string);
    expect(ids.filter((id) => artistOf(id) === artistOf('fx-t50')).length).toBeGreaterThanOrEqual(7);
    expect(ids.some((id) => genreOf(id) === 'techno')).toBe(true);
  });

  it('Should fall back to popular tracks, and say so, when the model gives no finite score', async () => {
    await putCatalogue();
    const bundle = BUNDLES[0] as (typeof BUNDLES)[0];
    const db = createDb(env.DB);
    const model = await modelOf(db, env.MODELS, versionOf(bundle));
    const catalogue = await buildCatalogue(db, model, Date.now());
    const now = Date.now();
    const events = [{ trackId: 'fx-t50', type: 'save', ts: now - 3_600_000, msPlayed: null }];
    const opts = { ...DEFAULT_OPTIONS, exclude: [], excludeArtists: [], seedArtists: [], seedGenres: [] };
    const healthy = await recommend({ model, catalogue, events, boosts: [], now }, opts, new PhaseTimer());
    expect(healthy).toMatchObject({ coldStart: 'none', fallback: null });
    // The same model with its scores poisoned, as a bundle with NaN factors would give.
    const poisoned: LoadedModel = {
      ...model,
      score: async (...args: Parameters<LoadedModel['score']>) => {
        const r = await model.score(...args);
        return { ...r, scores: new Float32Array(r.scores.length).fill(Number.NaN) };
      },
    };
    const rec = await recommend({ model: poisoned, catalogue, events, boosts: [], now }, opts, new PhaseTimer());
    expect(rec.items.length).toBe(opts.limit);
    expect(rec).toMatchObject({ coldStart: 'popular', fallback: 'model_scores_not_finite' });
    expect(rec.items.every((i) => Number.isFinite(i.score))).toBe(true);
  });
});
