/**
 * Plays of tracks the model never saw (uploaded after it was trained) fold into the listener's
 * taste through their content embedding. The scorer only takes model items as history, so each
 * unseen track stands in as its PROXIES nearest model items by cosine of its content embedding
 * (content.onnx) against the item embeddings, sharing the track's strength in proportion to
 * similarity: the fold-in then sees what it would see had the listener played those neighbours.
 * Without content.onnx an unseen track has a zero embedding and no proxies.
 */
import type { LoadedModel } from '../model/loaded-model.ts';
import { nearestModelItems } from './candidates.ts';
import { type Catalogue, unitEmbedding } from './catalogue.ts';

/** Model items standing in for one unseen track. */
const PROXIES = 5;
/** Unseen tracks folded per request (strongest first): each costs one scan of the item embeddings the first time. */
const MAX_UNSEEN = 20;

const memo = new WeakMap<Catalogue, Map<number, ReadonlyArray<readonly [number, number]>>>();

/** `[model item, share]` pairs for unseen track `i`, shares summing to 1; memoised per catalogue view. */
function proxiesOf(model: LoadedModel, cat: Catalogue, i: number): ReadonlyArray<readonly [number, number]> {
  let byTrack = memo.get(cat);
  if (!byTrack) {
    byTrack = new Map();
    memo.set(cat, byTrack);
  }
  const hit = byTrack.get(i);
  if (hit) return hit;
  const e = unitEmbedding(model, cat, i);
  const d = model.dims;
  const near = e.some((v) => v !== 0) ? Array.from(nearestModelItems(model, e, PROXIES)) : [];
  const sims = near.map((j) => {
    let s = 0;
    for (let q = 0; q < d; q++) s += (e[q] as number) * (model.unitEmbeddings[j * d + q] as number);
    return Math.max(0, s);
  });
  const total = sims.reduce((a, b) => a + b, 0);
  const out = total > 0 ? near.map((j, k) => [j, (sims[k] as number) / total] as const).filter(([, w]) => w > 0) : [];
  byTrack.set(i, out);
  return out;
}

/**
 * The scorer's history from the taste's `[catalogue index, strength]` pairs: model items as they
 * are, unseen tracks through their proxies; repeats summed, strongest first.
 *
 * @example modelHistory(model, catalogue, [[12, 3.5], [catalogue.modelItems + 2, 2]]) // [[12, 3.5], [40, 0.6], …]
 */
export function modelHistory(
  model: LoadedModel,
  cat: Catalogue,
  items: ReadonlyArray<readonly [number, number]>,
): Array<readonly [number, number]> {
  const out = new Map<number, number>();
  const add = (j: number, w: number) => out.set(j, (out.get(j) ?? 0) + w);
  let unseen = 0;
  for (const [i, w] of items) {
    if (i < cat.modelItems) add(i, w);
    else if (unseen++ < MAX_UNSEEN) for (const [j, share] of proxiesOf(model, cat, i)) add(j, w * share);
  }
  return [...out].sort((a, b) => b[1] - a[1]);
}
