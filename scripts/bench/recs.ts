/**
 * `npm run bench:recs`: recommendation latency against a local wrangler dev.
 *
 * 1. Starts the Worker on its own local state (.wrangler/state-serving by default).
 * 2. Loads the demo generator's bench world (5 000 artists × 10 = 50 000 tracks, 20 000 listeners,
 *    ~2.3 M events) through the public API, unless that state already holds it.
 * 3. Trains a bundle with the trainer's CLI on the loaded events (`--from-local`, or takes --bundle DIR), uploads it
 *    (multipart) and activates it, timing the activation and the first request after it (cold start).
 * 4. Sends GET /v1/users/:id/recommendations?limit=20 for random listeners (10 % without history) at
 *    concurrency 1 and 8 and prints p50/p95/p99 of the server time (Server-Timing, per phase) and of
 *    the end-to-end time seen by the client.
 *
 * Options: --requests N per concurrency level (default 400), --port (8788), --persist DIR,
 * --bundle DIR (skip training), --fresh (wipe the state first).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { MANIFEST_FILE } from '../../models/bundle/manifest.ts';
import { loadWorld } from '../demo/load-world.ts';
import { activateModel, trainFromLocal, uploadBundle } from '../demo/model-step.ts';
import { BENCH_WORLD, generateWorld } from '../demo/world.ts';
import { openLocalD1 } from '../lib/local-d1.ts';
import { apiCall, applyLocalMigrations, ensureAssetsDir, ROOT, startDevServer } from '../lib/local-worker.ts';
import { formatMs, percentile } from '../lib/stats.ts';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '400' },
    port: { type: 'string', default: '8788' },
    persist: { type: 'string', default: join(ROOT, '.wrangler/state-serving') },
    bundle: { type: 'string' },
    fresh: { type: 'boolean', default: false },
  },
});
const requests = Number(values.requests);
const persistTo = values.persist as string;
const adminToken = `bench-admin-${Date.now()}`;
// A fixed end keeps the world identical between runs, so a loaded state can be reused.
const world = generateWorld({ ...BENCH_WORLD, end: Date.UTC(2026, 10, 24) });

if (values.fresh) rmSync(persistTo, { recursive: true, force: true });
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

/** Trains on the loaded world itself: the trainer reads the events straight from the local D1 file. */
async function trainBundle(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'bb-bench-recs-'));
  const out = join(dir, 'bundle');
  const t0 = performance.now();
  await trainFromLocal(persistTo, out, join(dir, 'train.log'), true).catch((err: Error) => {
    throw new Error(`${err.message}; pass --bundle DIR to use an existing bundle`);
  });
  console.log(`trained in ${((performance.now() - t0) / 1000).toFixed(0)} s → ${out}`);
  return out;
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

function report(title: string, samples: Sample[]): void {
  const phases = Object.keys(samples[0]?.phases ?? {});
  const row = (name: string, xs: number[]) =>
    `  ${name.padEnd(22)} p50 ${formatMs(percentile(xs, 50)).padStart(9)}  p95 ${formatMs(percentile(xs, 95)).padStart(9)}  p99 ${formatMs(percentile(xs, 99)).padStart(9)}`;
  console.log(`\n${title} (${samples.length} requests)`);
  console.log(
    row(
      'end-to-end',
      samples.map((s) => s.e2e),
    ),
  );
  console.log(
    row(
      'server total',
      samples.map((s) => s.phases.total ?? Number.NaN),
    ),
  );
  for (const p of phases.filter((p) => p !== 'total'))
    console.log(
      row(
        `  ${p}`,
        samples.map((s) => s.phases[p] ?? 0),
      ),
    );
}

const server = await startDevServer({ port: Number(values.port), persistTo, vars: { ADMIN_TOKEN: adminToken } });
try {
  const counts = loadedCounts();
  if (counts.tracks >= world.tracks.length && counts.events >= 2_000_000) {
    console.log(`reusing ${counts.tracks} tracks and ${counts.events} events in ${persistTo}`);
  } else {
    console.log(
      `loading ${world.tracks.length} tracks, ${world.config.users} listeners and ~${world.config.users * world.config.eventsPerUser} events through the API…`,
    );
    let last = 0;
    const summary = await loadWorld(server.url, adminToken, world, {
      concurrency: 4,
      onProgress: (p) => {
        if (performance.now() - last > 10_000) {
          last = performance.now();
          console.log(`  ${p.phase}: ${p.done} / ${p.total}`);
        }
      },
    });
    console.log(`loaded in ${summary.seconds.toFixed(0)} s: ${summary.tracks} tracks, ${summary.events.stored} events stored`);
  }
  const after = loadedCounts();
  console.log(`world: ${after.tracks} tracks, ${world.config.users} listeners, ${after.events} events`);

  const bundleDir = values.bundle ?? (await trainBundle());
  if (!existsSync(join(bundleDir, MANIFEST_FILE))) throw new Error(`${bundleDir} holds no ${MANIFEST_FILE}`);
  const t0 = performance.now();
  const version = await uploadBundle(server.url, adminToken, bundleDir);
  const uploadMs = performance.now() - t0;
  const t1 = performance.now();
  await activateModel(server.url, adminToken, version);
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
  for (let i = 0; i < 30; i++) await recommend(server.url, key, nextUser());
  report('concurrency 1', await level(server.url, key, 1));
  report('concurrency 8', await level(server.url, key, 8));
} finally {
  await server.stop();
}
