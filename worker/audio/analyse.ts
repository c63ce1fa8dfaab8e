/**
 * Analysis of one uploaded file inside the Worker: the R2 object is read as a stream and decoded while
 * it streams (the analyser downmixes and resamples each decoded block as it arrives), so neither the
 * file nor its PCM is ever held whole. The result goes into the track's audio features, the way a
 * `PUT /v1/tracks` with features would write them (worker/db/audio.ts).
 */
import { toCatalogueFeatures } from '../../audio/catalogue.ts';
import { AudioDecodeError, type AudioFormat, analyseStream, MAX_AUDIO_UPLOAD_BYTES } from '../../audio/decode/index.ts';
import { markAudioAnalysed, markAudioFailed, startAudioAttempt } from '../db/audio.ts';
import type { Db } from '../db/client.ts';
import { DECODER_MODULES } from './decoder-modules.ts';

/** Attempts of one upload before it is marked failed (`analysis_did_not_finish`): a crash or a CPU-limit kill counts. */
export const MAX_AUDIO_ATTEMPTS = 3;

/** The reason stored when a decoder's wasm cannot be instantiated in this runtime. */
export const CODEC_UNAVAILABLE = 'codec_unavailable_in_worker';

export type AnalyseOutcome =
  | { kind: 'analysed'; tempo: number; key: number; durationMs: number }
  | { kind: 'failed'; reason: string; message: string }
  /** A newer upload replaced this one, or it is analysed or failed already: nothing to do. */
  | { kind: 'stale' };

/** A format whose decoder has no precompiled module here. */
class CodecUnavailable extends Error {}

/**
 * Without a precompiled module a decoder would compile its wasm from bytes; workerd refuses
 * ("Wasm code generation disallowed by embedder") and the library's `ready` promise then never
 * settles, so such a format is refused before a decoder is built.
 */
function requireModule(format: AudioFormat): void {
  if (format !== 'wav' && !DECODER_MODULES[format]) throw new CodecUnavailable(`no precompiled ${format} decoder in this Worker`);
}

/** True for the error a runtime raises when it will not compile or instantiate wasm here. */
function isWasmUnavailable(err: unknown): boolean {
  if (err instanceof CodecUnavailable || err instanceof WebAssembly.CompileError) return true;
  return /wasm code generation disallowed/i.test(String((err as Error)?.message ?? err));
}

/**
 * Analyses the upload `objectKey` of `trackId` if it is still the track's current, pending upload.
 * Throws only for failures worth retrying (R2 or D1 unavailable); the caller retries those.
 *
 * @example const outcome = await analyseUpload(env, createDb(env.DB), 't-1', 'audio/t-1/ab12….wav', Date.now());
 */
export async function analyseUpload(env: Env, db: Db, trackId: string, objectKey: string, now: number): Promise<AnalyseOutcome> {
  const attempt = await startAudioAttempt(db, trackId, objectKey);
  if (attempt === null) return { kind: 'stale' };
  const fail = async (reason: string, message: string): Promise<AnalyseOutcome> => {
    await markAudioFailed(db, trackId, objectKey, reason, Date.now());
    return { kind: 'failed', reason, message };
  };
  if (attempt > MAX_AUDIO_ATTEMPTS) {
    return fail('analysis_did_not_finish', `${MAX_AUDIO_ATTEMPTS} attempts started and none finished (CPU or memory limit?)`);
  }
  const object = await env.AUDIO.get(objectKey);
  if (!object) return fail('file_missing', `${objectKey} is not in the AUDIO bucket`);
  let features: Awaited<ReturnType<typeof analyseStream>>['features'];
  try {
    ({ features } = await analyseStream(object.body, {
      maxBytes: MAX_AUDIO_UPLOAD_BYTES,
      modules: DECODER_MODULES,
      onFormat: requireModule,
    }));
  } catch (err) {
    await object.body.cancel().catch(() => undefined);
    if (err instanceof AudioDecodeError) return fail(err.code, err.message);
    if (isWasmUnavailable(err)) return fail(CODEC_UNAVAILABLE, `the decoder cannot run in the Worker: ${(err as Error).message}`);
    throw err;
  }
  await markAudioAnalysed(db, { trackId, objectKey, features: { ...features }, catalogue: { ...toCatalogueFeatures(features) }, now });
  return { kind: 'analysed', tempo: features.tempo, key: features.key, durationMs: features.duration_ms };
}
