/**
 * Implicit-feedback ALS (Hu, Koren & Volinsky 2008) with log confidence and frequency-scaled
 * regularisation. Deterministic for a seed: each row's update depends only on the other side's
 * factors, so splitting rows over worker threads cannot change the result.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { type Csr, transpose } from '../data/interactions.ts';
import { missingFor, type RowSolveParams, solveRows } from './als-rows.ts';
import type { SideBuffers, WorkerMessage } from './als-worker.ts';
import { gram } from './linalg.ts';
import { mulberry32, normal } from './random.ts';

export interface AlsParams extends RowSolveParams {
  iterations: number;
  seed: number;
  /** regularisation exponent on the item side (defaults to regExponent, which the user side and fold-in use) */
  itemRegExponent?: number;
  /** β of the unobserved-entry weight ∝ (item users + 1)^β, mean 1 (0 = uniform, as in Hu et al.) */
  missingExponent?: number;
}

/** Per-item weight of unobserved entries, (n_i + 1)^β scaled to mean 1; undefined when β = 0. */
export function missingWeights(byItemIndptr: Int32Array, beta: number): Float32Array | undefined {
  if (!beta) return undefined;
  const n = byItemIndptr.length - 1;
  const w = Float32Array.from({ length: n }, (_, i) => (byItemIndptr[i + 1]! - byItemIndptr[i]! + 1) ** beta);
  const mean = w.reduce((a, b) => a + b, 0) / n;
  for (let i = 0; i < n; i++) w[i]! /= mean;
  return w;
}

export const DEFAULT_ALS_PARAMS: AlsParams = {
  factors: 64,
  iterations: 15,
  alpha: 2,
  epsilon: 1,
  regularization: 0.05,
  regExponent: 0.5,
  cgSteps: 3,
  seed: 42,
};

export interface AlsModel {
  params: AlsParams;
  nUsers: number;
  nItems: number;
  /** nUsers × factors, row-major */
  userFactors: Float32Array;
  /** nItems × factors, row-major */
  itemFactors: Float32Array;
  /** per-item unobserved weight (absent = 1) */
  missing?: Float32Array;
}

export interface IterationReport {
  iteration: number;
  loss: number;
  seconds: number;
  /** where the time went: the two half-steps (each includes its D×D gram) */
  userSeconds: number;
  itemSeconds: number;
}

export interface TrainOptions {
  /** worker threads; default: all cores when nnz ≥ 50 000, else 1 (threads cost ~50 ms to start) */
  threads?: number;
  onIteration?: (r: IterationReport) => void;
}

const shared = <T extends Int32Array | Float32Array>(a: T): T => {
  const Ctor = a.constructor as new (b: SharedArrayBuffer) => T;
  const out = new Ctor(new SharedArrayBuffer(a.byteLength));
  out.set(a as never);
  return out;
};

/** Splits rows into `parts` contiguous ranges of about equal work (entries + a per-row solve cost). */
export function balancedRanges(indptr: Int32Array, parts: number, rowCost: number): [number, number][] {
  const n = indptr.length - 1;
  const total = indptr[n]! + n * rowCost;
  const out: [number, number][] = [];
  let start = 0;
  for (let p = 1; p <= parts; p++) {
    let end = start;
    const target = (total * p) / parts;
    while (end < n && indptr[end]! + end * rowCost < target) end++;
    if (p === parts) end = n;
    out.push([start, end]);
    start = end;
  }
  return out;
}

/**
 * Trains on a users × items CSR of raw strengths.
 *
 * @example
 * const model = await trainAls(data.byUser, data.itemIds.length, { ...DEFAULT_ALS_PARAMS, factors: 32 });
 */
export async function trainAls(byUser: Csr, nItems: number, params: AlsParams, opts: TrainOptions = {}): Promise<AlsModel> {
  const d = params.factors;
  const nUsers = byUser.indptr.length - 1;
  const nnz = byUser.indices.length;
  const threads = opts.threads ?? (nnz >= 50_000 ? Math.max(1, Math.min(availableParallelism(), 8)) : 1);
  const byItem = transpose(byUser, nItems);
  const missingLocal = missingWeights(byItem.indptr, params.missingExponent ?? 0);
  const missing = missingLocal && threads > 1 ? shared(missingLocal) : missingLocal;
  const rand = normal(mulberry32(params.seed));
  const scale = 0.1 / Math.sqrt(d);
  const mk = (n: number): Float32Array => {
    const a = threads > 1 ? new Float32Array(new SharedArrayBuffer(n * d * 4)) : new Float32Array(n * d);
    for (let k = 0; k < a.length; k++) a[k] = rand() * scale;
    return a;
  };
  const x = mk(nUsers);
  const y = mk(nItems);
  const pool = threads > 1 ? await startPool(threads, byUser, byItem, x, y, missing) : null;
  try {
    for (let it = 1; it <= params.iterations; it++) {
      const t0 = performance.now();
      await halfStep('user', byUser, x, y, nItems);
      const t1 = performance.now();
      const loss = await halfStep('item', byItem, y, x, nUsers);
      const t2 = performance.now();
      opts.onIteration?.({ iteration: it, loss, seconds: (t2 - t0) / 1000, userSeconds: (t1 - t0) / 1000, itemSeconds: (t2 - t1) / 1000 });
    }
  } finally {
    await pool?.close();
  }
  return { params, nUsers, nItems, userFactors: x, itemFactors: y, ...(missing ? { missing: Float32Array.from(missing) } : {}) };

  async function halfStep(side: 'user' | 'item', rows: Csr, target: Float32Array, fixed: Float32Array, nFixed: number): Promise<number> {
    const g = gram(fixed, nFixed, d, 0, side === 'user' ? missing : undefined);
    const nRows = rows.indptr.length - 1;
    const p: RowSolveParams = side === 'item' ? { ...params, regExponent: params.itemRegExponent ?? params.regExponent } : params;
    if (!pool) return solveRows(p, { ...rows, start: 0, end: nRows }, target, fixed, g, missingFor(side, missing), side === 'item');
    const ranges = balancedRanges(rows.indptr, pool.size, (d * d) / (2 * d));
    const losses = await Promise.all(ranges.map(([start, end], w) => pool.run(w, { kind: 'solve', side, start, end, g, params: p })));
    return losses.reduce((a, b) => a + b, 0);
  }
}

interface Pool {
  size: number;
  run(worker: number, msg: WorkerMessage): Promise<number>;
  close(): Promise<void>;
}

async function startPool(size: number, byUser: Csr, byItem: Csr, x: Float32Array, y: Float32Array, missing?: Float32Array): Promise<Pool> {
  const side = (m: Csr): SideBuffers => ({ indptr: shared(m.indptr), indices: shared(m.indices), values: shared(m.values) });
  const init: WorkerMessage = { kind: 'init', user: side(byUser), item: side(byItem), x, y, ...(missing ? { missing } : {}) };
  const workers = Array.from({ length: size }, () => new Worker(new URL('./als-worker.ts', import.meta.url)));
  const call = (w: Worker, msg: WorkerMessage): Promise<{ loss?: number }> =>
    new Promise((resolve, reject) => {
      const onError = (e: Error) => reject(e);
      w.once('error', onError);
      w.once('message', (m) => {
        w.off('error', onError);
        resolve(m);
      });
      w.postMessage(msg);
    });
  await Promise.all(workers.map((w) => call(w, init)));
  return {
    size,
    run: async (i, msg) => (await call(workers[i]!, msg)).loss ?? 0,
    close: async () => {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
