/**
 * The one module that owns onnxruntime in the Worker: the environment is set once per isolate,
 * sessions are created from bytes, and runs are serialised (ORT's wasm backend is single threaded
 * here and does not support concurrent runs on one instance).
 *
 * Workers refuse to compile WebAssembly from bytes, so the runtime's .wasm is imported as a
 * precompiled `WebAssembly.Module` (wrangler's CompiledWasm rule). ORT 1.30 passes nothing but
 * `numThreads`, `wasmBinary` and `locateFile` to its emscripten factory, so its `instantiateWasm`
 * hook cannot be reached; with `wasmBinary` set, emscripten calls `WebAssembly.instantiate(bytes)`.
 * During initialisation only, that call is redirected to the imported module when it receives our
 * marker bytes; every other call goes through unchanged.
 */
import * as ort from 'onnxruntime-web/wasm';
import ortWasm from '../../node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.wasm';

export type OrtSession = ort.InferenceSession;
export type OrtTensor = ort.Tensor;
export const Tensor = ort.Tensor;

/** Eight bytes that cannot be a wasm binary (no `\0asm` magic): they only select the imported module. */
const MARKER = new TextEncoder().encode('bb-ortwm');

function isMarker(source: unknown): boolean {
  const bytes = source instanceof Uint8Array ? source : source instanceof ArrayBuffer ? new Uint8Array(source) : undefined;
  return bytes !== undefined && bytes.length === MARKER.length && bytes.every((b, i) => b === MARKER[i]);
}

let started = false;

/**
 * Creates an inference session from ONNX bytes (single threaded, all graph optimisations). The first
 * call of an isolate also starts onnxruntime's wasm backend (about 0.2 s).
 *
 * @example const session = await createSession(new Uint8Array(await obj.arrayBuffer()));
 */
export function createSession(bytes: Uint8Array): Promise<OrtSession> {
  return serialised(async () => {
    const options: ort.InferenceSession.SessionOptions = { executionProviders: ['wasm'], graphOptimizationLevel: 'all' };
    if (started) return ort.InferenceSession.create(bytes, options);
    ort.env.wasm.numThreads = 1;
    ort.env.wasm.proxy = false;
    ort.env.wasm.wasmBinary = MARKER;
    ort.env.logLevel = 'error';
    const original = WebAssembly.instantiate;
    WebAssembly.instantiate = ((source: unknown, imports?: WebAssembly.Imports) =>
      isMarker(source)
        ? original(ortWasm, imports).then((instance) => ({ instance, module: ortWasm }))
        : (original as (s: unknown, i?: WebAssembly.Imports) => Promise<unknown>)(source, imports)) as typeof WebAssembly.instantiate;
    try {
      const session = await ort.InferenceSession.create(bytes, options);
      started = true;
      return session;
    } finally {
      WebAssembly.instantiate = original;
    }
  });
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs `task` after every previously queued onnxruntime call has finished. The wasm backend keeps
 * global state per instance; interleaving two runs from concurrent requests of one isolate corrupts it.
 */
export function serialised<T>(task: () => Promise<T>): Promise<T> {
  const run = queue.then(task, task);
  queue = run.catch(() => undefined);
  return run;
}

/**
 * Runs a session with the given feeds, serialised with every other call.
 *
 * @example const out = await runSession(session, { candidates: new Tensor('int64', ids, [ids.length]) });
 */
export function runSession(session: OrtSession, feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>> {
  return serialised(() => session.run(feeds));
}
