/**
 * The raw cost of scoring a whole catalogue, measured in this process: onnxruntime-web (the same wasm
 * backend, single threaded) runs the Worker's own matvec graph (worker/model/matvec-graph.ts) over a
 * bundle's own item factors, nothing else. Beside it, the machine's read bandwidth on one core: a
 * memcmp of two equal copies of the factor matrix (Buffer.compare reads both to the end and writes
 * nothing), so `bytes / time` shows how close the MatMul comes to the memory limit.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { type Manifest, SCORER_ITEM_EMBEDDINGS } from '../../contract/bundle-manifest.ts';
import { readFloatInitializer } from '../../contract/onnx-proto.ts';
import { MATVEC_INPUT, matvecModel } from '../../worker/model/matvec-graph.ts';
import { percentile } from './stats.ts';

ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';

export interface MatmulProbe {
  items: number;
  dims: number;
  /** Bytes of the factor matrix one scoring pass reads. */
  bytes: number;
  /** session.run of the matvec graph alone (feeds in, scores out), run after run, ms. */
  p50: number;
  p99: number;
  /** Factor-matrix bytes / p50 time, GB/s. */
  gbPerSecond: number;
  /**
   * The same with the caches flushed before each run (64 MB written elsewhere), as in a request,
   * where everything else the request touches has evicted the matrix: p50 ms and GB/s.
   */
  coldP50: number;
  coldP99: number;
  coldGbPerSecond: number;
  /** memcmp of two equal copies of the factor matrix: p50 ms and the read bandwidth it shows (2 × bytes / time), GB/s. */
  memcmpMs: number;
  readGbPerSecond: number;
}

/**
 * Runs the matvec graph of the bundle in `bundleDir` `runs` times with varied user vectors.
 *
 * @example const probe = await probeMatmul('.wrangler/state-serving/bench-bundle');
 */
export async function probeMatmul(bundleDir: string, runs = 300): Promise<MatmulProbe> {
  const manifest = JSON.parse(readFileSync(join(bundleDir, 'manifest.json'), 'utf8')) as Manifest;
  const scorer = new Uint8Array(readFileSync(join(bundleDir, manifest.files.scorer)));
  const emb = readFloatInitializer(scorer, SCORER_ITEM_EMBEDDINGS);
  if (emb?.dims.length !== 2) throw new Error(`${bundleDir}: the scorer has no [items, dims] ${SCORER_ITEM_EMBEDDINGS}`);
  const [items, dims] = emb.dims as [number, number];
  const session = await ort.InferenceSession.create(matvecModel(emb.data, items, dims), {
    executionProviders: ['wasm'],
    graphOptimizationLevel: 'all',
  });
  try {
    const times: number[] = [];
    const cold: number[] = [];
    const flush = new Uint8Array(64 << 20);
    for (let r = 0; r < runs + 30; r++) {
      // A user vector that changes every run, made of real item factors (a plausible taste).
      const user = emb.data.slice(((r * 7919) % items) * dims, ((r * 7919) % items) * dims + dims);
      const flushed = r % 2 === 1;
      if (flushed) flush.fill(r);
      const t0 = performance.now();
      await session.run({ [MATVEC_INPUT]: new ort.Tensor('float32', user, [1, dims]) });
      if (r >= 30) (flushed ? cold : times).push(performance.now() - t0);
    }
    const a = Buffer.from(emb.data.buffer, emb.data.byteOffset, emb.data.byteLength);
    const b = Buffer.from(a);
    const compares: number[] = [];
    for (let r = 0; r < 40; r++) {
      const t0 = performance.now();
      if (a.compare(b) !== 0) throw new Error('the copy of the factor matrix differs');
      compares.push(performance.now() - t0);
    }
    const bytes = items * dims * 4;
    const p50 = percentile(times, 50);
    const memcmpMs = percentile(compares, 50);
    return {
      items,
      dims,
      bytes,
      p50,
      p99: percentile(times, 99),
      gbPerSecond: bytes / p50 / 1e6,
      coldP50: percentile(cold, 50),
      coldP99: percentile(cold, 99),
      coldGbPerSecond: bytes / percentile(cold, 50) / 1e6,
      memcmpMs,
      readGbPerSecond: (2 * bytes) / memcmpMs / 1e6,
    };
  } finally {
    await session.release();
  }
}
