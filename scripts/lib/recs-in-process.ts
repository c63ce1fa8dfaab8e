/**
 * The Worker's recommendation code run in Node, on the state a benchmark loaded: the real bundle
 * through worker/model/loaded-model.ts (onnxruntime-web with the Worker's own wasm), the real
 * catalogue view (worker/recs/catalogue.ts) and each listener's real history read from the local
 * D1 file, then worker/recs/recommend.ts with its PhaseTimer. No HTTP, no wrangler proxy and a precise
 * clock: workerd's in-request clock only moves in whole milliseconds, too coarse to tell a 0.3 ms
 * phase from a 0.8 ms one. The D1 reads use node:sqlite, so their times say what the queries cost,
 * not what D1 adds around them.
 *
 * The worker modules are imported by computed path: they are typed against the Workers runtime,
 * which this (Node) project does not load.
 */
import { existsSync, readFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { registerHooks } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { OpenedBundle } from '../../contract/bundle-manifest.ts';
import type { CpuProfile } from './cpu-profile.ts';
import { localD1Client } from './d1-node.ts';
import { openLocalD1 } from './local-d1.ts';

// Wrangler imports .wasm files as compiled modules (the CompiledWasm rule); do the same here.
registerHooks({
  load(url, context, nextLoad) {
    if (!url.endsWith('.wasm')) return nextLoad(url, context);
    const path = JSON.stringify(fileURLToPath(url));
    return {
      format: 'module',
      shortCircuit: true,
      source: `import { readFileSync } from 'node:fs'; export default new WebAssembly.Module(readFileSync(${path}));`,
    };
  },
});

/** The Worker's source folder: this repository's, or a copy with a change to try (`workerDir`). */
let workerRoot = new URL('../../worker/', import.meta.url);
const worker = (path: string): Promise<Record<string, unknown>> => import(new URL(path, workerRoot).href);

interface LoadedModel {
  items: readonly string[];
  dims: number;
  score(history: readonly number[], weights: readonly number[], candidates: 'all' | readonly number[]): Promise<unknown>;
}
interface Timer {
  header(): string;
}

export interface InProcessSample {
  /** ms: the history, boosts and profile reads (node:sqlite). */
  read: number;
  /** ms: recommend() from start to end (all its compute). */
  compute: number;
  /** ms: model.score() within it (the scorer's fold-in and the whole-catalogue MatMul, onnxruntime). */
  onnx: number;
  /** recommend()'s own phases (score, rerank), ms. */
  phases: Record<string, number>;
}

export interface InProcessRun {
  loadModelMs: number;
  catalogueMs: number;
  items: number;
  dims: number;
  samples: InProcessSample[];
  profile: CpuProfile | null;
}

/** The Worker's model and catalogue view built in Node from a local D1 state and a bundle folder. */
export interface InProcessServing {
  /** The Worker's Db over the local D1 file (node:sqlite). */
  db: unknown;
  model: LoadedModel;
  catalogue: unknown;
  now: number;
  loadModelMs: number;
  catalogueMs: number;
  /** Imports a module of the Worker's source folder (by path relative to worker/). */
  worker: (path: string) => Promise<Record<string, unknown>>;
}

/**
 * Loads the bundle through worker/model/loaded-model.ts and builds the catalogue view as the Worker
 * does, over the local D1 file of `persistTo`.
 *
 * @example const { model, catalogue, db } = await servingInProcess('.wrangler/state-serving', '.wrangler/state-serving/bench-bundle');
 */
export async function servingInProcess(persistTo: string, bundleDir: string): Promise<InProcessServing> {
  const { createDb } = (await worker('db/client.ts')) as { createDb: (d1: unknown) => unknown };
  const { openBundle } = await import('../../contract/bundle-manifest.ts');
  const { loadModel } = (await worker('model/loaded-model.ts')) as { loadModel: (b: OpenedBundle) => Promise<LoadedModel> };
  const { buildCatalogue } = (await worker('recs/catalogue.ts')) as {
    buildCatalogue: (db: unknown, m: LoadedModel, now: number) => Promise<unknown>;
  };
  const db = createDb(localD1Client(openLocalD1(persistTo)));
  let t0 = performance.now();
  const bundle = await openBundle(JSON.parse(readFileSync(join(bundleDir, 'manifest.json'), 'utf8')), async (name) =>
    existsSync(join(bundleDir, name)) ? new Uint8Array(readFileSync(join(bundleDir, name))) : null,
  );
  const model = await loadModel(bundle);
  const loadModelMs = performance.now() - t0;
  const now = Date.now();
  t0 = performance.now();
  const catalogue = await buildCatalogue(db, model, now);
  const catalogueMs = performance.now() - t0;
  return { db, model, catalogue, now, loadModelMs, catalogueMs, worker };
}

/**
 * Runs `requests` recommendations (limit 20, default options, local-time context when the listener
 * has a time zone, as the route does) for the users `nextUser` names, one after the other.
 *
 * @example const run = await recommendInProcess({ persistTo, bundleDir, requests: 400, nextUser, profile: false });
 */
export async function recommendInProcess(opts: {
  persistTo: string;
  bundleDir: string;
  requests: number;
  nextUser: () => string;
  profile: boolean;
  /**
   * A copy of worker/ to run instead (beside a `models` and a `node_modules` link, as in the
   * repository), to measure a change before making it.
   */
  workerDir?: string | undefined;
}): Promise<InProcessRun> {
  if (opts.workerDir) workerRoot = pathToFileURL(`${resolve(opts.workerDir)}/`);
  const { db, model, catalogue, now, loadModelMs, catalogueMs } = await servingInProcess(opts.persistTo, opts.bundleDir);
  const { userHistory } = (await worker('db/recs.ts')) as {
    userHistory: (db: unknown, user: string, since: number, limit: number) => Promise<unknown[]>;
  };
  const { findUser } = (await worker('db/users.ts')) as {
    findUser: (db: unknown, id: string) => Promise<{ timezone: string | null } | null>;
  };
  const { activeBoostsForUser } = (await worker('campaigns/boosts.ts')) as {
    activeBoostsForUser: (db: unknown, user: string, now: number) => Promise<unknown[]>;
  };
  const { localClock } = (await worker('analytics/clock.ts')) as {
    localClock: (now: number, tz: string) => { hour: number; weekday: number };
  };
  const { recommend, DEFAULT_OPTIONS } = (await worker('recs/recommend.ts')) as {
    recommend: (input: unknown, opts: unknown, timer: Timer) => Promise<unknown>;
    DEFAULT_OPTIONS: Record<string, number>;
  };
  const { PhaseTimer } = (await worker('recs/timing.ts')) as { PhaseTimer: new () => Timer };

  // model.score timed from outside: the part of the compute that is onnxruntime's.
  let onnx = 0;
  const score = model.score.bind(model);
  model.score = async (...args) => {
    const s = performance.now();
    try {
      return await score(...args);
    } finally {
      onnx += performance.now() - s;
    }
  };

  const one = async (): Promise<InProcessSample> => {
    const userId = opts.nextUser();
    const r0 = performance.now();
    const [events, boosts, user] = await Promise.all([
      userHistory(db, userId, now - 365 * 86_400_000, 500),
      activeBoostsForUser(db, userId, now),
      findUser(db, userId),
    ]);
    const read = performance.now() - r0;
    const clock = user?.timezone ? localClock(now, user.timezone) : null;
    const options = {
      ...DEFAULT_OPTIONS,
      context: clock ? { hour: clock.hour, weekday: (clock.weekday + 1) % 7 } : undefined,
      exclude: [],
      excludeArtists: [],
      seedArtists: [],
      seedGenres: [],
    };
    onnx = 0;
    const timer = new PhaseTimer();
    const c0 = performance.now();
    await recommend({ model, catalogue, events, boosts, now }, options, timer);
    const compute = performance.now() - c0;
    const phases: Record<string, number> = {};
    for (const part of timer.header().split(',')) {
      const m = /^\s*([\w-]+);dur=([\d.]+)/.exec(part);
      if (m && m[1] !== 'total') phases[m[1] as string] = Number(m[2]);
    }
    return { read, compute, onnx, phases };
  };

  for (let i = 0; i < 30; i++) await one();
  const samples: InProcessSample[] = [];
  for (let i = 0; i < opts.requests; i++) samples.push(await one());
  // Sampling slows every function down: the profile gets a pass of its own, after the measured one.
  let profile: CpuProfile | null = null;
  if (opts.profile) {
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
    for (let i = 0; i < opts.requests; i++) await one();
    profile = (await session.post('Profiler.stop')).profile as CpuProfile;
    session.disconnect();
  }
  return { loadModelMs, catalogueMs, items: model.items.length, dims: model.dims, samples, profile };
}
