import type { Db } from '../db/client.ts';
import { ApiError } from '../errors.ts';
import { activeModel } from '../model/active-model.ts';
import type { LoadedModel } from '../model/loaded-model.ts';
import type { Catalogue } from './catalogue.ts';
import { catalogueFor, withNewTracks } from './catalogue-cache.ts';

/**
 * The active model and its catalogue view for a request, with every track uploaded so far; 503
 * until a model has been activated.
 *
 * @example const { model, catalogue } = await servingState(db, c.env.MODELS, Date.now(), (p) => c.executionCtx.waitUntil(p));
 */
export async function servingState(
  db: Db,
  bucket: R2Bucket,
  now: number,
  background: (p: Promise<unknown>) => void,
): Promise<{ model: LoadedModel; catalogue: Catalogue }> {
  const model = await activeModel(db, bucket, now);
  if (!model) throw new ApiError(503, 'no_active_model', 'No model is active yet: upload one to /v1/admin/models and activate it');
  return { model, catalogue: await withNewTracks(db, model, await catalogueFor(db, model, now, background), now) };
}
