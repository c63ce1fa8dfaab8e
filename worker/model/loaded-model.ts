/**
 * A bundle made ready to serve: sessions created, item ids indexed, item embeddings read out of
 * the scorer for diversity and similarity. Built once per isolate and version (see active-model.ts).
 */
import {
  BundleError,
  CONTENT_IO,
  type Manifest,
  type OpenedBundle,
  SCORER_IO,
  SCORER_ITEM_EMBEDDINGS,
} from '../../contract/bundle-manifest.ts';
import { readFloatInitializer } from '../../contract/onnx-proto.ts';
import type { Transitions } from '../../contract/transitions-file.ts';
import { MATVEC_INPUT, MATVEC_OUTPUT, matvecModel } from './matvec-graph.ts';
import { createSession, type OrtSession, runSession, serialised, Tensor } from './onnx-runtime.ts';

export interface ScoreResult {
  scores: Float32Array;
  userVector: Float32Array;
}

export interface LoadedModel {
  version: string;
  manifest: Manifest;
  /** Item index -> external track id (items.json). */
  items: readonly string[];
  indexOf: ReadonlyMap<string, number>;
  /** Row-major [items, dims] item embeddings, rows scaled to unit length (cosine = dot product). */
  unitEmbeddings: Float32Array;
  dims: number;
  /**
   * Scores `candidates` (item indices; 'all' = every item, the cheap path with a cached tensor)
   * for a history of item indices and raw engagement strengths.
   */
  score(history: readonly number[], weights: readonly number[], candidates: 'all' | readonly number[]): Promise<ScoreResult>;
  /** Which items follow which within a session (the bundle's optional transitions.bin), or null. */
  transitions: Transitions | null;
  /** Embeds content feature rows ([rows, F] row-major) with content.onnx; null when the bundle has none. */
  embedContent: ((features: Float32Array, rows: number) => Promise<Float32Array>) | null;
  /** Frees the sessions' wasm memory; the model must not be used afterwards. */
  release(): Promise<void>;
}

/**
 * True when the scorer's scores are exactly user_vector · item embedding, which is what lets the
 * whole catalogue be scored by one MatMul instead of the scorer. The contract does not promise it (a
 * scorer may blend in item-item terms), so it is probed once at load: a scorer that adds anything
 * else is always run as it is.
 */
async function scoresAreDotProducts(scorer: OrtSession, matvec: OrtSession, n: number, dims: number): Promise<boolean> {
  const history = [0, Math.min(1, n - 1), Math.floor(n / 2)];
  const probe = Array.from({ length: Math.min(n, 64) }, (_, i) => Math.floor((i * n) / Math.min(n, 64)));
  const out = await runSession(scorer, {
    [SCORER_IO.history]: new Tensor(
      'int64',
      BigInt64Array.from(history, (i) => BigInt(i)),
      [history.length],
    ),
    [SCORER_IO.historyWeight]: new Tensor('float32', Float32Array.of(5, 2, 1), [history.length]),
    [SCORER_IO.candidates]: new Tensor(
      'int64',
      BigInt64Array.from(probe, (i) => BigInt(i)),
      [probe.length],
    ),
  });
  const userVector = out[SCORER_IO.userVector]?.data as Float32Array;
  const scores = out[SCORER_IO.scores]?.data as Float32Array;
  const all = (await runSession(matvec, { [MATVEC_INPUT]: new Tensor('float32', userVector, [1, dims]) }))[MATVEC_OUTPUT]
    ?.data as Float32Array;
  return probe.every(
    (item, k) => Math.abs((all[item] as number) - (scores[k] as number)) <= 1e-4 * Math.max(1, Math.abs(scores[k] as number)),
  );
}

/**
 * The first `dims` columns of each row of a row-major [rows, width] matrix, scaled to unit length
 * (all-zero rows stay zero), so cosine similarity is a dot product.
 *
 * @example unitRows(Float32Array.of(3, 4, 9), 1, 3, 2) // Float32Array [0.6, 0.8]
 */
export function unitRows(data: Float32Array, rows: number, width: number, dims: number): Float32Array {
  const out = new Float32Array(rows * dims);
  for (let r = 0; r < rows; r++) {
    let norm = 0;
    for (let d = 0; d < dims; d++) {
      const v = data[r * width + d] as number;
      norm += v * v;
    }
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let d = 0; d < dims; d++) out[r * dims + d] = (data[r * width + d] as number) * inv;
  }
  return out;
}

/**
 * Makes an opened (verified) bundle ready to serve. Throws a BundleError naming the field when the
 * scorer's embeddings cannot serve (wrong shape, a NaN factor).
 *
 * @example const model = await loadModel(await openBundle(JSON.parse(row.manifest), readFromR2));
 */
export async function loadModel(bundle: OpenedBundle): Promise<LoadedModel> {
  const { manifest, files, itemIds, transitions } = bundle;
  const scorerBytes = files[manifest.files.scorer] as Uint8Array;
  const embedding = readFloatInitializer(scorerBytes, SCORER_ITEM_EMBEDDINGS);
  if (embedding?.dims.length !== 2) {
    throw new BundleError('files.scorer', `scorer has no float32 [items, dims] initializer ${SCORER_ITEM_EMBEDDINGS}`);
  }
  const width = embedding.dims[1] as number;
  if (width !== manifest.dims) {
    throw new BundleError('dims', `${SCORER_ITEM_EMBEDDINGS} is [${embedding.dims.join(', ')}], manifest says dims ${manifest.dims}`);
  }
  const dims = width;
  const n = itemIds.length;
  // A NaN or infinite factor makes every score NaN: every list would come back empty.
  const bad = embedding.data.findIndex((x) => !Number.isFinite(x));
  if (bad >= 0) {
    throw new BundleError(
      'files.scorer',
      `${SCORER_ITEM_EMBEDDINGS} holds ${embedding.data[bad]} for item ${itemIds[Math.floor(bad / dims)]} (row ${Math.floor(bad / dims)}); every factor must be finite`,
    );
  }
  const scorer = await createSession(scorerBytes);
  const matvec = await createSession(matvecModel(embedding.data, n, dims));
  const contentBytes = manifest.files.content ? files[manifest.files.content] : undefined;
  const content: OrtSession | null = contentBytes ? await createSession(contentBytes) : null;
  const firstItem = new Tensor('int64', BigInt64Array.of(0n), [1]);
  const allItems = new Tensor(
    'int64',
    BigInt64Array.from({ length: n }, (_, i) => BigInt(i)),
    [n],
  );
  const featureCount = manifest.contentFeatures.length;
  const dotProduct = await scoresAreDotProducts(scorer, matvec, n, dims);

  return {
    version: manifest.version,
    manifest,
    items: itemIds,
    indexOf: new Map(itemIds.map((id, i) => [id, i])),
    unitEmbeddings: unitRows(embedding.data, n, dims, dims),
    dims,
    transitions,
    async score(history, weights, candidates) {
      const h = BigInt64Array.from(history, (i) => BigInt(i));
      const feeds = {
        [SCORER_IO.history]: new Tensor('int64', h, [h.length]),
        [SCORER_IO.historyWeight]: new Tensor('float32', Float32Array.from(weights), [weights.length]),
        [SCORER_IO.candidates]:
          candidates === 'all'
            ? dotProduct
              ? firstItem
              : allItems
            : new Tensor(
                'int64',
                BigInt64Array.from(candidates, (i) => BigInt(i)),
                [candidates.length],
              ),
      };
      const out = await runSession(scorer, feeds);
      const userVector = out[SCORER_IO.userVector]?.data as Float32Array;
      if (candidates !== 'all' || !dotProduct) return { scores: out[SCORER_IO.scores]?.data as Float32Array, userVector };
      // The whole catalogue: the scorer only folds the user in; one MatMul scores every item (see matvec-graph.ts).
      const all = await runSession(matvec, { [MATVEC_INPUT]: new Tensor('float32', userVector, [1, dims]) });
      return { scores: all[MATVEC_OUTPUT]?.data as Float32Array, userVector };
    },
    embedContent: content
      ? async (features, rows) => {
          const out = await runSession(content, {
            [CONTENT_IO.features]: new Tensor('float32', features, [rows, featureCount]),
          });
          return out[CONTENT_IO.embedding]?.data as Float32Array;
        }
      : null,
    release: () =>
      serialised(async () => {
        await Promise.all([scorer.release(), matvec.release(), content?.release()]);
      }),
  };
}
