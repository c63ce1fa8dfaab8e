/**
 * From interactions (and optional item content) to the contents of a bundle: train the
 * collaborative model, fit the content model, place never-played catalogue items with it, export
 * both graphs and check each against its TypeScript twin in onnxruntime before anything is written.
 */
import type { ContentFeature, Manifest } from '../../contract/bundle-manifest.ts';
import { encodeTransitions, type Transitions } from '../../contract/transitions-file.ts';
import type { BundleContents } from '../bundle/write.ts';
import type { TrainingInput } from '../data/load.ts';
import { exportContent } from '../onnx/content.ts';
import { exportScorer } from '../onnx/scorer.ts';
import { DEFAULT_TRANSITION_PARAMS, fitTransitions, type TransitionParams } from '../session/transitions.ts';
import { type IterationReport, trainAls } from '../train/als.ts';
import { chooseFeatures, DEFAULT_FEATURE_OPTIONS, featureMatrix } from '../train/content-features.ts';
import { type ContentModel, embedContent, fitContentModel } from '../train/content-model.ts';
import type { TrainingParams } from '../train/defaults.ts';
import { type FoldInModel, foldInModel } from '../train/fold-in.ts';
import { fitItemNeighbours } from '../train/item-item.ts';
import { fitSaturation, saturateCsr } from '../train/saturation.ts';
import { contentParity, scorerParity } from './verify-export.ts';

/** ONNX and TypeScript must agree this closely on every score (the parity the tests also assert). */
export const PARITY_TOLERANCE = 1e-4;

export interface TrainedModel {
  foldIn: FoldInModel;
  content?: { model: ContentModel; features: ContentFeature[] };
  transitions?: Transitions;
}

/**
 * Kept per item in the bundle's transitions: the next-track signal lives in the first few (the
 * offline evaluation keeps 100; 30 keeps the file under 8 bytes × 30 per item).
 */
export const BUNDLE_TRANSITIONS: TransitionParams = { ...DEFAULT_TRANSITION_PARAMS, topK: 30 };

/** Trains the models (no export). Items with no interactions get their content embedding. */
export async function trainModels(
  input: TrainingInput,
  params: TrainingParams,
  onIteration?: (r: IterationReport) => void,
  threads?: number,
): Promise<TrainedModel> {
  const { byUser, itemIds } = input.interactions;
  const nItems = itemIds.length;
  const d = params.als.factors;
  const saturation = params.saturation ? fitSaturation(byUser, nItems, params.saturation.k1, params.saturation.b) : undefined;
  const strengths = saturation ? saturateCsr(byUser, saturation) : byUser;
  const als = await trainAls(strengths, nItems, params.als, { onIteration, ...(threads ? { threads } : {}) });
  const model = foldInModel(als.itemFactors, nItems, d, params.als, als.missing, saturation);
  if (params.itemItem) model.itemItem = fitItemNeighbours(byUser, nItems, params.itemItem);
  const transitions = input.sessions?.length ? { transitions: fitTransitions(input.sessions, nItems, BUNDLE_TRANSITIONS) } : {};
  if (!input.content) return { foldIn: model, ...transitions };
  const features = chooseFeatures(input.content, DEFAULT_FEATURE_OPTIONS);
  if (features.length === 0) return { foldIn: model, ...transitions };
  const x = featureMatrix(features, input.content);
  const played = new Uint8Array(nItems);
  for (const i of byUser.indices) played[i] = 1;
  const trained = Int32Array.from({ length: nItems }, (_, i) => i).filter((i) => played[i] === 1);
  const content = fitContentModel(x, nItems, features.length, als.itemFactors, d, trained, params.contentRidge);
  const cold = Int32Array.from({ length: nItems }, (_, i) => i).filter((i) => played[i] === 0);
  if (cold.length > 0) {
    const coldX = new Float32Array(cold.length * features.length);
    cold.forEach((i, k) => {
      coldX.set(x.subarray(i * features.length, (i + 1) * features.length), k * features.length);
    });
    const emb = embedContent(content, coldX, cold.length);
    // The gram of the fold-in stays that of the trained items: cold items only receive scores.
    cold.forEach((i, k) => {
      model.itemFactors.set(emb.subarray(k * d, (k + 1) * d), i * d);
    });
  }
  return { foldIn: model, content: { model: content, features }, ...transitions };
}

/** Exports and verifies the graphs; throws if ONNX and TypeScript disagree beyond PARITY_TOLERANCE. */
export async function exportModels(
  input: TrainingInput,
  trained: TrainedModel,
  training: Manifest['training'],
): Promise<BundleContents & { parity: { scorer: number; content?: number } }> {
  const scorer = exportScorer(trained.foldIn);
  const scorerGap = await scorerParity(scorer, trained.foldIn, input.interactions.byUser);
  if (!(scorerGap <= PARITY_TOLERANCE)) throw new Error(`scorer.onnx disagrees with the trained model by ${scorerGap}`);
  let content: BundleContents['content'];
  let contentGap: number | undefined;
  if (trained.content && input.content) {
    const onnx = exportContent(trained.content.model);
    contentGap = await contentParity(onnx, trained.content.model, featureMatrix(trained.content.features, input.content.slice(0, 64)));
    if (!(contentGap <= PARITY_TOLERANCE)) throw new Error(`content.onnx disagrees with the trained model by ${contentGap}`);
    content = { onnx, features: trained.content.features };
  }
  return {
    scorer,
    itemIds: input.interactions.itemIds,
    dims: trained.foldIn.dims,
    ...(content ? { content } : {}),
    ...(trained.transitions ? { transitions: encodeTransitions(trained.transitions) } : {}),
    eventWeights: input.eventWeights,
    halfLifeDays: input.halfLifeDays,
    training,
    parity: { scorer: scorerGap, ...(contentGap === undefined ? {} : { content: contentGap }) },
  };
}
