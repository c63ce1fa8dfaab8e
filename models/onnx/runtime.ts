/**
 * The trainer's one owner of onnxruntime-web (its Node build): sessions created once per model and
 * runs serialised, as the Worker does (worker/model/onnx-runtime.ts). Used to verify every exported file and to evaluate.
 */
import * as ort from 'onnxruntime-web';
import { CONTENT_IO, SCORER_IO } from '../../contract/bundle-manifest.ts';

ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';

/** One loaded graph; subclasses add the typed call of their contract. */
class Session {
  readonly #session: ort.InferenceSession;
  protected constructor(session: ort.InferenceSession) {
    this.#session = session;
  }
  protected run(feeds: ort.InferenceSession.FeedsType): Promise<ort.InferenceSession.ReturnType> {
    return this.#session.run(feeds);
  }
  async release(): Promise<void> {
    await this.#session.release();
  }
}

const i64 = (a: ArrayLike<number> | BigInt64Array): BigInt64Array =>
  a instanceof BigInt64Array ? a : BigInt64Array.from(Array.from(a, (v) => BigInt(v)));

export class ScorerSession extends Session {
  static async load(bytes: Uint8Array): Promise<ScorerSession> {
    return new ScorerSession(await ort.InferenceSession.create(bytes));
  }
  /**
   * Scores candidates for a history; returns scores and the user vector.
   *
   * @example
   * const { scores } = await s.score([1, 5], [3, 1], allItems);
   */
  async score(
    history: ArrayLike<number>,
    weights: ArrayLike<number>,
    candidates: ArrayLike<number> | BigInt64Array,
  ): Promise<{ scores: Float32Array; userVector: Float32Array }> {
    const cand = i64(candidates);
    const out = await this.run({
      [SCORER_IO.history]: new ort.Tensor('int64', i64(history), [history.length]),
      [SCORER_IO.historyWeight]: new ort.Tensor('float32', Float32Array.from(weights), [weights.length]),
      [SCORER_IO.candidates]: new ort.Tensor('int64', cand, [cand.length]),
    });
    return { scores: out[SCORER_IO.scores]!.data as Float32Array, userVector: out[SCORER_IO.userVector]!.data as Float32Array };
  }
}

export class ContentSession extends Session {
  static async load(bytes: Uint8Array): Promise<ContentSession> {
    return new ContentSession(await ort.InferenceSession.create(bytes));
  }
  /** Embeds B rows of F features (row-major). */
  async embed(features: Float32Array, rows: number): Promise<Float32Array> {
    const f = features.length / rows;
    const out = await this.run({ [CONTENT_IO.features]: new ort.Tensor('float32', features, [rows, f]) });
    return out[CONTENT_IO.embedding]!.data as Float32Array;
  }
}

/** Builds the all-items candidate tensor once (evaluation scores every item). */
export const allCandidates = (n: number): BigInt64Array => {
  const a = new BigInt64Array(n);
  for (let i = 0; i < n; i++) a[i] = BigInt(i);
  return a;
};
