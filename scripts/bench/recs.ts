/**
 * `npm run bench:recs`: recommendation latency against a local wrangler dev.
 *
 * 1. Starts the Worker on its own local state, one per catalogue size (.wrangler/state-serving for
 *    50 000 tracks, .wrangler/state-serving-100k for 100 000), so both stay reusable.
 * 2. Loads the demo generator's bench world through the public API, unless that state already holds
 *    it: `--tracks 50000` (default) is BENCH_WORLD (5 000 artists × 10 tracks, 20 000 listeners,
 *    ~2.3 M events), `--tracks 100000` is BENCH_WORLD_100K (10 000 × 10, 10 000 listeners with as
 *    many events each, ~1.15 M). The load is resumable: it stops after --budget seconds (progress
 *    kept in the state folder) and the next run goes on from there, so no command runs for long.
 * 3. Trains a bundle with the trainer's CLI on the loaded events (`--from-local`, kept in the state
 *    folder for the next run; or takes --bundle DIR), uploads it (multipart) and activates it, timing
 *    the activation and the first request after it (cold start).
 * 4. Measures the raw MatMul in this process: onnxruntime-web running the Worker's matvec graph over
 *    the bundle's own factor matrix, with the bandwidth it implies beside the machine's read
 *    bandwidth on one core (a memcmp of two copies of the matrix), the memory limit.
 * 5. Sends GET /v1/users/:id/recommendations?limit=20 for random listeners (10 % without history) at
 *    concurrency 1 and 8 and prints p50/p95/p99 of the server time (Server-Timing, per phase) and of
 *    the end-to-end time seen by the client, with the MatMul beside the whole request.
 *
 * Options: --tracks 50000|100000, --requests N per concurrency level (default 400), --port (8788),
 * --persist DIR, --bundle DIR (skip training), --retrain (ignore the kept bundle), --fresh (wipe the
 * state first), --load-only (load, then stop), --budget SECONDS (loading time per run, default 480),
 * --profile FILE (after the measured levels, one more pass at concurrency 1 under the CPU profiler:
 * the Worker's busiest functions are printed and the profile is written to FILE.cpuprofile for DevTools),
 * --in-process (no wrangler: the Worker's recommendation code in Node on the loaded state, with a
 * precise clock per phase; workerd's in-request clock only moves in whole milliseconds), with
 * --worker-dir DIR to run a modified copy of worker/ instead (to measure a change before making it).
 *
 * @example
 * npm run bench:recs -- --tracks 100000 --load-only   # repeat until it says the world is loaded
 * npm run bench:recs -- --tracks 100000
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { MANIFEST_FILE } from '../../contract/bundle-manifest.ts';
import { activate, uploadBundle } from '../../models/publish/client.ts';
import { listenerHistory } from '../demo/history.ts';
import { trainFromLocal } from '../demo/model-step.ts';
import { chunks, sendAll } from '../demo/send-batches.ts';
import { BENCH_WORLD, BENCH_WORLD_100K, generateWorld, type WorldConfig } from '../demo/world.ts';
import { type CpuProfile, type FunctionTime, startCpuProfile, timeByFunction } from '../lib/cpu-profile.ts';
import { openLocalD1 } from '../lib/local-d1.ts';
import { apiCall, applyLocalMigrations, ensureAssetsDir, freePort, ROOT, startDevServer } from '../lib/local-worker.ts';
import { type MatmulProbe, probeMatmul } from '../lib/matmul-probe.ts';
import { recommendInProcess } from '../lib/recs-in-process.ts';
import { formatMs, percentile } from '../lib/stats.ts';

const WORLDS: Record<string, { world: Omit<WorldConfig, 'end'>; persist: string }> = {
  '50000': { world: BENCH_WORLD, persist: '.wrangler/state-serving' },
  '100000': { world: BENCH_WORLD_100K, persist: '.wrangler/state-serving-100k' },
};

const { values } = parseArgs({
  options: {
    tracks: { type: 'string', default: '50000' },
    requests: { type: 'string', default: '400' },
    port: { type: 'string', default: '8788' },
    persist: { type: 'string' },
    bundle: { type: 'string' },
    retrain: { type: 'boolean', default: false },
    fresh: { type: 'boolean', default: false },
    'load-only': { type: 'boolean', default: false },
    budget: { type: 'string', default: '480' },
    profile: { type: 'string' },
    'in-process': { type: 'boolean', default: false },
    'worker-dir': { type: 'string' },
  },
});
const size = WORLDS[values.tracks as string];
if (!size) throw new Error(`--tracks must be one of ${Object.keys(WORLDS).join(', ')}, got ${values.tracks}`);
const requests = Number(values.requests);
const budgetMs = Number(values.budget) * 1000;
const persistTo = values.persist ?? join(ROOT, size.persist);
const adminToken = `bench-admin-${Date.now()}`;
const started = performance.now();
// A fixed end keeps the world identical between runs, so a loaded state can be reused.
const world = generateWorld({ ...size.world, end: Date.UTC(2026, 10, 24) });
const expectedEvents = world.config.users * world.config.eventsPerUser;
const progressFile = join(persistTo, 'bench-recs-load.json');
const keptBundle = join(persistTo, 'bench-bundle');
const keptBundleStamp = join(persistTo, 'bench-bundle.json');

if (values.fresh) rmSync(persistTo, { recursive: true, force: true });
mkdirSync(persistTo, { recursive: true });
ensureAssetsDir();
applyLocalMigrations(persistTo);

function loadedCounts(): { tracks: number; events: number } {
  const db = openLocalD1(persistTo);
  try {
    const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    return { tracks: count('tracks'), events: count('events') };
  } finally {
    db.close();
  }
}

/** How far the load of this world got; listeners are loaded in order, a block at a time. */
interface LoadProgress {
  seed: string;
  tracks: boolean;
  users: boolean;
  listenersDone: number;
  eventsSent: number;
  eventsStored: number;
  seconds: number;
  done: boolean;
}

function readProgress(): LoadProgress {
  const fresh: LoadProgress = {
    seed: world.config.seed,
    tracks: false,
    users: false,
    listenersDone: 0,
    eventsSent: 0,
    eventsStored: 0,
    seconds: 0,
    done: false,
  };
  if (existsSync(progressFile)) {
    const p = JSON.parse(readFileSync(progressFile, 'utf8')) as LoadProgress;
    if (p.seed !== world.config.seed) throw new Error(`${persistTo} holds another world (${p.seed}); pass --fresh or another --persist`);
    return p;
  }
  // A state loaded by an earlier version of this bench, before progress was kept.
  const counts = loadedCounts();
  if (counts.tracks >= world.tracks.length && counts.events >= 0.9 * expectedEvents)
    return { ...fresh, tracks: true, users: true, listenersDone: world.config.users, eventsStored: counts.events, done: true };
  return fresh;
}

function saveProgress(p: LoadProgress): void {
  writeFileSync(`${progressFile}.tmp`, JSON.stringify(p, null, 2));
  renameSync(`${progressFile}.tmp`, progressFile);
}

/** Listeners per resumable step (about 11 000 events). */
const LISTENER_BLOCK = 100;

/**
 * Loads what is still missing of the world, until done or the time budget is spent; returns
 * whether the world is complete.
 */
async function loadResumable(url: string): Promise<boolean> {
  const p = readProgress();
  if (p.done) return true;
  const t0 = performance.now();
  const base = p.seconds;
  const opts = { concurrency: 4 };
  if (!p.tracks) {
    console.log(`loading ${world.tracks.length} tracks…`);
    await sendAll(url, adminToken, 'PUT', '/v1/tracks', 'tracks', chunks(world.tracks, 500), opts);
    p.tracks = true;
    saveProgress(p);
  }
  if (!p.users) {
    console.log(`loading ${world.config.users} listener profiles…`);
    await sendAll(url, adminToken, 'PUT', '/v1/users', 'users', chunks(world.users(), 500), opts);
    p.users = true;
    saveProgress(p);
  }
  const history = { seed: world.config.seed, start: world.start, end: world.config.end, eventsPerUser: world.config.eventsPerUser };
  let lastLog = 0;
  console.log(
    `loading the history of listeners ${p.listenersDone}…${world.config.users - 1} (~${expectedEvents} events in all), ${values.budget} s budget…`,
  );
  while (p.listenersDone < world.config.users) {
    if (performance.now() - started > budgetMs) {
      console.log(
        `time budget spent: ${p.listenersDone} / ${world.config.users} listeners, ${p.eventsStored} events stored; run the same command again to go on`,
      );
      return false;
    }
    const from = p.listenersDone;
    const to = Math.min(world.config.users, from + LISTENER_BLOCK);
    function* events() {
      for (let i = from; i < to; i++) yield* listenerHistory(world.catalogue, world.listener(i), history);
    }
    // A block is sent again whole after a dropped connection: events are idempotent by event_id.
    let sent: Awaited<ReturnType<typeof sendAll>> | null = null;
    for (let attempt = 1; !sent; attempt++) {
      try {
        sent = await sendAll(url, adminToken, 'POST', '/v1/events', 'events', chunks(events(), 500), opts);
      } catch (err) {
        if (attempt >= 3) throw err;
        console.log(`  listeners ${from}…${to - 1}: ${(err as Error).message.slice(0, 200)}; sending the block again`);
        await new Promise((r) => setTimeout(r, 2000));
      }
    }
    p.listenersDone = to;
    p.eventsSent += sent.items;
    p.eventsStored += sent.stored;
    p.seconds = base + (performance.now() - t0) / 1000;
    saveProgress(p);
    if (performance.now() - lastLog > 15_000) {
      lastLog = performance.now();
      console.log(
        `  ${p.listenersDone} / ${world.config.users} listeners, ${p.eventsStored} events stored, ${(p.eventsSent / p.seconds).toFixed(0)} events/s`,
      );
    }
  }
  p.done = true;
  saveProgress(p);
  console.log(`loaded in ${p.seconds.toFixed(0)} s (all runs): ${p.eventsStored} events stored`);
  return true;
}

/** Trains on the loaded world itself (the trainer reads the local D1 file) and keeps the bundle for the next run. */
async function trainBundle(events: number): Promise<string> {
  if (!values.retrain && existsSync(join(keptBundle, MANIFEST_FILE)) && existsSync(keptBundleStamp)) {
    const stamp = JSON.parse(readFileSync(keptBundleStamp, 'utf8')) as { events: number };
    if (stamp.events === events) {
      console.log(`reusing the bundle trained on these ${events} events: ${keptBundle}`);
      return keptBundle;
    }
  }
  rmSync(keptBundle, { recursive: true, force: true });
  rmSync(keptBundleStamp, { force: true });
  const t0 = performance.now();
  console.log('training on the loaded events…');
  await trainFromLocal(persistTo, keptBundle, join(persistTo, 'bench-train.log'), false).catch((err: Error) => {
    throw new Error(`${err.message}; pass --bundle DIR to use an existing bundle`);
  });
  writeFileSync(keptBundleStamp, JSON.stringify({ events }));
  console.log(`trained in ${((performance.now() - t0) / 1000).toFixed(0)} s → ${keptBundle}`);
  return keptBundle;
}

interface Sample {
  e2e: number;
  phases: Record<string, number>;
}

function parseTiming(header: string | null): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of (header ?? '').split(',')) {
    const m = /^\s*([\w-]+);dur=([\d.]+)/.exec(part);
    if (m) out[m[1] as string] = Number(m[2]);
  }
  return out;
}

async function recommend(url: string, key: string, userId: string): Promise<Sample> {
  const t0 = performance.now();
  const res = await fetch(`${url}/v1/users/${encodeURIComponent(userId)}/recommendations?limit=20`, {
    headers: { authorization: `Bearer ${key}` },
  });
  const body = await res.text();
  const e2e = performance.now() - t0;
  if (res.status !== 200) throw new Error(`recommendations failed: ${res.status} ${body.slice(0, 300)}`);
  return { e2e, phases: parseTiming(res.headers.get('server-timing')) };
}

let rng = 12345;
const nextUser = () => {
  rng = (rng * 16807) % 2147483647;
  // One request in ten is for a listener the Worker has never seen (cold start).
  return rng % 10 === 0 ? `bench-new-${rng}` : world.listener(rng % world.config.users).id;
};

async function level(url: string, key: string, concurrency: number): Promise<Sample[]> {
  const samples: Sample[] = [];
  let left = requests;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (left-- > 0) samples.push(await recommend(url, key, nextUser()));
    }),
  );
  return samples;
}

const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' / ');

function report(title: string, samples: Sample[], matmul: MatmulProbe): void {
  const phases = Object.keys(samples[0]?.phases ?? {});
  const row = (name: string, p50: number, p95: number, p99: number) =>
    `  ${name.padEnd(24)} p50 ${formatMs(p50).padStart(9)}  p95 ${formatMs(p95).padStart(9)}  p99 ${formatMs(p99).padStart(9)}`;
  const of = (name: string, xs: number[]) => row(name, percentile(xs, 50), percentile(xs, 95), percentile(xs, 99));
  const server = samples.map((s) => s.phases.total ?? Number.NaN);
  console.log(`\n${title} (${samples.length} requests, load average ${load()})`);
  console.log(
    of(
      'end-to-end',
      samples.map((s) => s.e2e),
    ),
  );
  console.log(of('server total', server));
  for (const p of phases.filter((p) => p !== 'total'))
    console.log(
      of(
        `  ${p}`,
        samples.map((s) => s.phases[p] ?? 0),
      ),
    );
  console.log(row('raw MatMul (probe, cold)', matmul.coldP50, Number.NaN, matmul.coldP99));
  console.log(`  MatMul (cold p50) = ${((100 * matmul.coldP50) / percentile(server, 50)).toFixed(0)} % of the server p50`);
}

function printMatmul(matmul: MatmulProbe): void {
  const share = (gb: number) => `${((100 * gb) / matmul.readGbPerSecond).toFixed(0)} %`;
  console.log(
    `raw MatMul, scores[1, ${matmul.items}] = user[1, ${matmul.dims}] · factors[${matmul.dims}, ${matmul.items}] (onnxruntime-web wasm, 1 thread, in this process, ` +
      `${(matmul.bytes / 1e6).toFixed(1)} MB of factors): p50 ${formatMs(matmul.p50)} run after run (${matmul.gbPerSecond.toFixed(1)} GB/s), ` +
      `p50 ${formatMs(matmul.coldP50)} with the caches flushed first as in a request (${matmul.coldGbPerSecond.toFixed(1)} GB/s); ` +
      `the machine reads ${matmul.readGbPerSecond.toFixed(1)} GB/s on one core (memcmp of two copies, ${formatMs(matmul.memcmpMs)}), ` +
      `so the MatMul runs at ${share(matmul.gbPerSecond)} (warm) and ${share(matmul.coldGbPerSecond)} (cold) of the memory-bandwidth limit`,
  );
}

function printProfile(profile: CpuProfile, requests: number, title: string): void {
  const file = (values.profile as string).endsWith('.cpuprofile') ? (values.profile as string) : `${values.profile}.cpuprofile`;
  writeFileSync(file, JSON.stringify(profile));
  const times = timeByFunction(profile, requests);
  console.log(`\nCPU profile, ${title} → ${file}`);
  for (const [name, by] of [
    ['self', (t: FunctionTime) => t.self],
    ['inclusive', (t: FunctionTime) => t.inclusive],
  ] as const) {
    console.log(`  most ${name} time, ms per request:`);
    for (const t of [...times].sort((a, b) => by(b) - by(a)).slice(0, 30)) console.log(`    ${by(t).toFixed(3).padStart(7)}  ${t.name}`);
  }
}

/** `--in-process`: the Worker's code in Node on the loaded state (scripts/lib/recs-in-process.ts), precise per phase. */
async function measureInProcess(): Promise<void> {
  if (!readProgress().done) throw new Error(`${persistTo} does not hold the whole world yet: run without --in-process first`);
  const bundleDir = values.bundle ?? (await trainBundle(loadedCounts().events));
  const matmul = await probeMatmul(bundleDir);
  const run = await recommendInProcess({
    persistTo,
    bundleDir,
    requests,
    nextUser,
    profile: Boolean(values.profile),
    workerDir: values['worker-dir'],
  });
  console.log(
    `in process (Node ${process.version}, the Worker's modules, no HTTP): loadModel ${formatMs(run.loadModelMs)}, catalogue view ${formatMs(run.catalogueMs)}, ${run.items} items × ${run.dims} dims`,
  );
  printMatmul(matmul);
  const row = (name: string, xs: number[]) =>
    `  ${name.padEnd(38)} p50 ${formatMs(percentile(xs, 50)).padStart(9)}  p95 ${formatMs(percentile(xs, 95)).padStart(9)}  p99 ${formatMs(percentile(xs, 99)).padStart(9)}`;
  console.log(`\n${run.samples.length} requests one after the other (load average ${load()})`);
  console.log(
    row(
      'reads (node:sqlite)',
      run.samples.map((s) => s.read),
    ),
  );
  console.log(
    row(
      'recommend() compute',
      run.samples.map((s) => s.compute),
    ),
  );
  for (const p of Object.keys(run.samples[0]?.phases ?? {}))
    console.log(
      row(
        `  ${p}`,
        run.samples.map((s) => s.phases[p] ?? 0),
      ),
    );
  console.log(
    row(
      '    of which model.score (onnx)',
      run.samples.map((s) => s.onnx),
    ),
  );
  console.log(row('    of which raw MatMul (probe, cold)', [matmul.coldP50]));
  if (run.profile) printProfile(run.profile, run.samples.length, `${run.samples.length} requests in process`);
}

async function measureServer(): Promise<void> {
  const inspectorPort = values.profile ? await freePort() : undefined;
  const server = await startDevServer({ port: Number(values.port), persistTo, vars: { ADMIN_TOKEN: adminToken }, inspectorPort });
  try {
    const complete = await loadResumable(server.url);
    const after = loadedCounts();
    console.log(
      `world: ${after.tracks} tracks, ${world.config.users} listeners (${world.config.eventsPerUser} events each on average), ${after.events} events in ${persistTo}`,
    );
    if (!complete || values['load-only']) {
      process.exitCode = complete ? 0 : 3;
      return;
    }
    if (!values.bundle && performance.now() - started > budgetMs / 2 && !existsSync(keptBundleStamp)) {
      console.log('the world is loaded; run the same command again to train and measure (kept within the time budget)');
      return;
    }
    const bundleDir = values.bundle ?? (await trainBundle(after.events));
    if (!existsSync(join(bundleDir, MANIFEST_FILE))) throw new Error(`${bundleDir} holds no ${MANIFEST_FILE}`);
    // Rollups still owed for the load would compete with the requests for the one local isolate.
    const drain = await apiCall<{ batches_applied: number; remaining: number }>(server.url, adminToken, '/v1/admin/analytics/refresh', {
      body: { max_days: 400 },
    });
    console.log(`rollups drained before measuring: ${drain.body.batches_applied} batches applied, ${drain.body.remaining} days left`);
    const t0 = performance.now();
    const version = await uploadBundle({ url: server.url, key: adminToken }, bundleDir);
    const uploadMs = performance.now() - t0;
    const t1 = performance.now();
    await activate({ url: server.url, key: adminToken }, version);
    const activateMs = performance.now() - t1;
    const minted = await apiCall<{ key: string }>(server.url, adminToken, '/v1/admin/keys', { body: { role: 'app', name: 'bench:recs' } });
    const key = minted.body.key;
    const cold = await recommend(server.url, key, world.listener(1).id);
    console.log(
      `\nmodel ${version}: upload ${formatMs(uploadMs)}, activation (R2 read + checks + onnxruntime session) ${formatMs(activateMs)}`,
    );
    console.log(
      `cold start, first request after activation: end-to-end ${formatMs(cold.e2e)}; server ${Object.entries(cold.phases)
        .map(([k, v]) => `${k} ${formatMs(v)}`)
        .join(', ')}`,
    );
    const matmul = await probeMatmul(bundleDir);
    printMatmul(matmul);
    for (let i = 0; i < 30; i++) await recommend(server.url, key, nextUser());
    report('concurrency 1', await level(server.url, key, 1), matmul);
    report('concurrency 8', await level(server.url, key, 8), matmul);
    if (inspectorPort) {
      const profiler = await startCpuProfile(inspectorPort);
      const profiled = await level(server.url, key, 1);
      const p50 = percentile(
        profiled.map((s) => s.phases.total ?? Number.NaN),
        50,
      );
      printProfile(
        await profiler.stop(),
        profiled.length,
        `${profiled.length} requests at concurrency 1 (server p50 ${formatMs(p50)} while sampled)`,
      );
    }
  } finally {
    await server.stop();
  }
}

await (values['in-process'] ? measureInProcess() : measureServer());
