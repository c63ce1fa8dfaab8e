import type { Db } from '../db/client.ts';
import type { Arm, ArmSettings } from '../db/experiments.ts';
import { ApiError } from '../errors.ts';
import { type Assignment, assignmentFor } from '../experiments/running.ts';
import type { Logger } from '../log.ts';
import { activeModel, modelOf } from '../model/active-model.ts';
import type { LoadedModel } from '../model/loaded-model.ts';
import type { Catalogue } from './catalogue.ts';
import { catalogueFor, withNewTracks } from './catalogue-cache.ts';
import type { RecommendOptions } from './recommend.ts';

export interface ServingState {
  model: LoadedModel;
  catalogue: Catalogue;
}

type Background = (p: Promise<unknown>) => void;

async function stateOf(db: Db, model: LoadedModel, now: number, background: Background): Promise<ServingState> {
  return { model, catalogue: await withNewTracks(db, model, await catalogueFor(db, model, now, background), now) };
}

/**
 * The active model and its catalogue view for a request, with every track uploaded so far; 503
 * until a model has been activated.
 *
 * @example const { model, catalogue } = await servingState(db, c.env.MODELS, Date.now(), (p) => c.executionCtx.waitUntil(p));
 */
export async function servingState(db: Db, bucket: R2Bucket, now: number, background: Background): Promise<ServingState> {
  const model = await activeModel(db, bucket, now);
  if (!model) throw new ApiError(503, 'no_active_model', 'No model is active yet: upload one to /v1/admin/models and activate it');
  return stateOf(db, model, now, background);
}

/** What a listener is served with under the running experiment (if any). */
export type ListenerServing =
  | (ServingState & { experiment: null })
  | (ServingState & { experiment: { id: string; mode: 'split'; arm: Arm } })
  | (ServingState & { experiment: { id: string; mode: 'interleave'; a: Arm; b: Arm; challenger: ServingState } });

/**
 * The serving state of one listener: the model of their experiment arm (both arms' for
 * interleaving), or the active model when no experiment runs. An arm whose model cannot load serves
 * the active model, untagged, so an experiment never breaks a listener's recommendations.
 */
export async function servingStateFor(
  db: Db,
  bucket: R2Bucket,
  userId: string,
  now: number,
  background: Background,
  log: Logger,
): Promise<ListenerServing> {
  let assignment: Assignment | null = null;
  try {
    assignment = await assignmentFor(db, userId, now);
    if (assignment?.mode === 'split') {
      const state = await stateOf(db, await modelOf(db, bucket, assignment.arm.model_version), now, background);
      return { ...state, experiment: { id: assignment.experimentId, mode: 'split', arm: assignment.arm } };
    }
    if (assignment?.mode === 'interleave') {
      const { experimentId: id, a, b } = assignment;
      const [stateA, challenger] = await Promise.all(
        [a, b].map(async (arm) => stateOf(db, await modelOf(db, bucket, arm.model_version), now, background)),
      );
      if (stateA && challenger) return { ...stateA, experiment: { id, mode: 'interleave', a, b, challenger } };
    }
  } catch (err) {
    log.error('experiment arm unavailable: serving the active model', err, { experiment: assignment?.experimentId });
  }
  return { ...(await servingState(db, bucket, now, background)), experiment: null };
}

/** The request's options with an experiment arm's ranking settings over them. */
export function withArmSettings(opts: RecommendOptions, settings: ArmSettings | undefined): RecommendOptions {
  if (!settings) return opts;
  return {
    ...opts,
    exploration: settings.exploration ?? opts.exploration,
    diversity: settings.diversity ?? opts.diversity,
    maxPerArtist: settings.max_per_artist ?? opts.maxPerArtist,
    ranker: settings.ranker ?? opts.ranker,
  };
}
