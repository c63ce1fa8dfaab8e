/**
 * `npm run bench:models-memory -- [--bundle DIR] [--persist DIR]`: what one and two loaded models
 * cost an isolate, against the Workers limit of 128 MB. An experiment keeps two models loaded per
 * isolate (worker/model/active-model.ts keeps two versions), so two must fit with room for requests.
 *
 * The Worker's own loading code runs in Node (scripts/lib/recs-in-process.ts): the bundle through
 * worker/model/loaded-model.ts (onnxruntime-web sessions) and the catalogue view over the local D1,
 * the same V8 and the same wasm build as workerd. Measured after a full GC: the JS heap, the array
 * buffers outside it (factor matrices, catalogue columns) and onnxruntime's wasm linear memory (one
 * instance shared by every session; it only grows).
 *
 * Defaults: the model and the local state `npm start` made (.data/model, .wrangler/state).
 */
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from '../lib/local-worker.ts';
import { servingInProcess } from '../lib/recs-in-process.ts';

const { values: a } = parseArgs({
  options: {
    bundle: { type: 'string', default: join(ROOT, '.data/model') },
    persist: { type: 'string', default: join(ROOT, '.wrangler/state') },
  },
});
if (!existsSync(join(a.bundle, 'manifest.json'))) {
  console.error(`bench:models-memory: no bundle at ${a.bundle}: run npm start first, or pass --bundle DIR --persist DIR`);
  process.exit(2);
}
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  console.error('bench:models-memory: run through npm run bench:models-memory (node --expose-gc)');
  process.exit(2);
}

// onnxruntime's wasm memory: recorded from the instance the Worker's runtime creates.
const memories: WebAssembly.Memory[] = [];
const instantiate = WebAssembly.instantiate;
WebAssembly.instantiate = (async (...args: Parameters<typeof WebAssembly.instantiate>) => {
  const result = (await (instantiate as (...x: unknown[]) => Promise<unknown>)(...args)) as
    | WebAssembly.Instance
    | { instance: WebAssembly.Instance };
  const instance = result instanceof WebAssembly.Instance ? result : result.instance;
  // The threaded build imports its memory; others export it.
  const imports = (args[1] ?? {}) as Record<string, Record<string, unknown>>;
  const candidates = [...Object.values(instance.exports), ...Object.values(imports).flatMap((m) => Object.values(m ?? {}))];
  for (const v of candidates) if (v instanceof WebAssembly.Memory && !memories.includes(v)) memories.push(v);
  return result;
}) as typeof WebAssembly.instantiate;

const MB = 1024 * 1024;
async function snapshot() {
  // Twice, with a turn between: buffers freed by the first collection are released by the second.
  gc?.();
  await new Promise((r) => setTimeout(r, 50));
  gc?.();
  const m = process.memoryUsage();
  const wasm = memories.reduce((s, x) => s + x.buffer.byteLength, 0);
  return { heap: m.heapUsed, buffers: m.arrayBuffers, wasm, total: m.heapUsed + m.arrayBuffers + wasm };
}
type Snapshot = Awaited<ReturnType<typeof snapshot>>;
const row = (label: string, s: Snapshot, base: Snapshot) =>
  console.log(
    `${label.padEnd(26)} JS heap ${((s.heap - base.heap) / MB).toFixed(1).padStart(6)} MB  buffers ${((s.buffers - base.buffers) / MB).toFixed(1).padStart(6)} MB  wasm ${(s.wasm / MB).toFixed(1).padStart(6)} MB  total ${((s.total - base.total) / MB).toFixed(1).padStart(6)} MB`,
  );

console.log(`bundle ${a.bundle}, catalogue from ${a.persist}; load average ${loadavg()[0]?.toFixed(1)} on this machine`);
const base = await snapshot();
// onnxruntime's runtime alone: one session of a 1×1 graph starts the wasm backend.
const workerModule = (path: string): Promise<Record<string, unknown>> => import(new URL(`../../worker/${path}`, import.meta.url).href);
const { createSession } = (await workerModule('model/onnx-runtime.ts')) as { createSession: (b: Uint8Array) => Promise<unknown> };
const { matvecModel } = (await workerModule('model/matvec-graph.ts')) as {
  matvecModel: (m: Float32Array, n: number, d: number) => Uint8Array;
};
await createSession(matvecModel(Float32Array.of(1), 1, 1));
const runtime = await snapshot();
row('onnxruntime alone', runtime, base);
const first = await servingInProcess(a.persist, a.bundle);
const one = await snapshot();
console.log(`${first.model.items.length} model items × ${first.model.dims} dims`);
row('one model + catalogue', one, base);
const second = await servingInProcess(a.persist, a.bundle);
const two = await snapshot();
row('two models + catalogues', two, base);
const used = (two.total - base.total) / MB;
const oneUsed = (one.total - base.total) / MB;
const verdict = (mb: number) =>
  mb <= 128 ? `fits, ${(128 - mb).toFixed(0)} MB left for code and requests` : `over by ${(mb - 128).toFixed(0)} MB`;
console.log(`one live model: ${oneUsed.toFixed(1)} MB of the isolate's 128 MB (${verdict(oneUsed)})`);
console.log(`two live models: ${used.toFixed(1)} MB of the isolate's 128 MB (${verdict(used)})`);
// Keep both alive until measured.
void [first.model.items.length, second.model.items.length];
