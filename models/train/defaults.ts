/**
 * Default hyperparameters: what `npm run train` uses when the user names only input and output.
 * Chosen by hand on HetRec strong splits of seeds 1–2, then 4–5 (models/README.md says which
 * figures that makes optimistic); `--tune` searches around them on a validation split of the
 * training users.
 */

import { type AlsParams, DEFAULT_ALS_PARAMS } from './als.ts';
import type { ItemItemParams } from './item-item.ts';

/** Everything `trainModels` (models/pipeline/train.ts) is tuned by. */
export interface TrainingParams {
  als: AlsParams;
  /** BM25 saturation of strengths (train/saturation.ts); null = raw strengths */
  saturation: { k1: number; b: number } | null;
  /** ridge strength of the content model */
  contentRidge: number;
  /** RP3beta item-item neighbours blended into the scores (train/item-item.ts); null/absent = ALS only */
  itemItem?: ItemItemParams | null;
}

/**
 * The RP3beta item-item blend behind `--item-item-blend X` (train and eval), chosen on strong splits
 * of seeds 11–13 only. Off by default: on the reported splits (seeds 1–3) it added only +0.001
 * NDCG@20 for 2.5× the scorer.onnx size (models/README.md).
 *
 * @example
 * const params = { ...DEFAULT_TRAINING_PARAMS, itemItem: { ...ITEM_ITEM_PARAMS, blend: 0.2 } };
 */
export const ITEM_ITEM_PARAMS: ItemItemParams = { alpha: 0.8, beta: 0.3, k: 100, blend: 0.15 };

export const DEFAULT_TRAINING_PARAMS: TrainingParams = {
  als: { ...DEFAULT_ALS_PARAMS, factors: 128, alpha: 1, epsilon: 10, regularization: 0.2, regExponent: 0.5, itemRegExponent: 1 },
  saturation: { k1: 100, b: 0.8 },
  contentRidge: 1,
  itemItem: null,
};

/** `--item-item-blend X`: the blend at weight X, or none for 0. */
export function itemItemFlag(value: string): ItemItemParams | null {
  const blend = Number(value);
  if (!(blend >= 0)) throw new Error(`--item-item-blend must be a number ≥ 0, got "${value}"`);
  return blend === 0 ? null : { ...ITEM_ITEM_PARAMS, blend };
}
