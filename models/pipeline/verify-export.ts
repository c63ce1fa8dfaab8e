/**
 * Loads each exported graph in onnxruntime-web and checks it against its TypeScript twin (the
 * fold-in on sampled training users, the content model on sample rows), so a bundle is never
 * written with a graph that disagrees with the model.
 */
import type { Csr } from '../data/interactions.ts';
import { allCandidates, ContentSession, ScorerSession } from '../onnx/runtime.ts';
import { type ContentModel, embedContent } from '../train/content-model.ts';
import { type FoldInModel, scoreHistory } from '../train/fold-in.ts';
import { mulberry32 } from '../train/random.ts';

/** Largest absolute score difference between ONNX and TypeScript over `samples` users of `byUser`. */
export async function scorerParity(scorer: Uint8Array, model: FoldInModel, byUser: Csr, samples = 16, seed = 7): Promise<number> {
  const session = await ScorerSession.load(scorer);
  const rand = mulberry32(seed);
  const cands = allCandidates(model.nItems);
  const nUsers = byUser.indptr.length - 1;
  let worst = 0;
  try {
    for (let s = 0; s < samples; s++) {
      const u = Math.floor(rand() * nUsers);
      const lo = byUser.indptr[u]!;
      const hi = byUser.indptr[u + 1]!;
      if (hi === lo) continue;
      const history = byUser.indices.subarray(lo, hi);
      const weights = byUser.values.subarray(lo, hi);
      const ref = scoreHistory(model, history, weights);
      const { scores } = await session.score(history, weights, cands);
      for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(ref[i]! - scores[i]!));
    }
  } finally {
    await session.release();
  }
  return worst;
}

/** Largest absolute embedding difference between content.onnx and the TypeScript content model on rows `x`. */
export async function contentParity(onnx: Uint8Array, m: ContentModel, x: Float32Array): Promise<number> {
  const rows = x.length / m.features;
  if (rows === 0) return 0;
  const session = await ContentSession.load(onnx);
  try {
    const got = await session.embed(x, rows);
    const want = embedContent(m, x, rows);
    let worst = 0;
    for (let k = 0; k < want.length; k++) worst = Math.max(worst, Math.abs(want[k]! - got[k]!));
    return worst;
  } finally {
    await session.release();
  }
}
