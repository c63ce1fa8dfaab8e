/**
 * The setup the serving benchmarks share (`bench:react`, `eval:sensors`): a generated world loaded
 * through the API into a local D1 state that later runs reuse, a model trained on it (or a given
 * bundle, or the active one), uploaded and activated.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MANIFEST_FILE } from '../../contract/bundle-manifest.ts';
import { activate, requestJson, uploadBundle } from '../../models/publish/client.ts';
import { loadWorld } from '../demo/load-world.ts';
import { activeModel, trainFromLocal } from '../demo/model-step.ts';
import type { World } from '../demo/world.ts';
import { openLocalD1 } from '../lib/local-d1.ts';

export type LocalDb = ReturnType<typeof openLocalD1>;

/** Runs `f` on the local D1 file of `persistTo`, closing it after. */
export function withDb<T>(persistTo: string, f: (db: LocalDb) => T): T {
  const db = openLocalD1(persistTo);
  try {
    return f(db);
  } finally {
    db.close();
  }
}

function loadedCounts(persistTo: string): { tracks: number; events: number } {
  return withDb(persistTo, (db) => {
    const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    return { tracks: count('tracks'), events: count('events') };
  });
}

/** Trains on the loaded world itself; the trainer's output goes to a log, its last line shown every 15 s. */
async function trainBundle(persistTo: string, name: string, say: (s: string) => void): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), `bb-${name.replace(/\W+/g, '-')}-`));
  const out = join(dir, 'bundle');
  const log = join(dir, 'train.log');
  const onTerminal = process.stdout.isTTY === true;
  say(`training a bundle on the loaded events${onTerminal ? '' : ` (log: ${log})`}…`);
  const beat = setInterval(() => {
    if (onTerminal || !existsSync(log)) return;
    const lines = readFileSync(log, 'utf8')
      .split(/[\r\n]+/)
      .filter(Boolean);
    say(`  training… ${(lines.at(-1) ?? '').slice(0, 100)}`);
  }, 15_000);
  try {
    await trainFromLocal(persistTo, out, log, onTerminal);
  } finally {
    clearInterval(beat);
  }
  say(`trained → ${out}`);
  return out;
}

export interface ServedWorldOptions {
  url: string;
  adminToken: string;
  persistTo: string;
  world: World;
  /** The benchmark's name: the temporary training folder and the app key are named after it. */
  name: string;
  say: (s: string) => void;
  /** Train a new model even when one is active. */
  retrain?: boolean;
  /** Serve this bundle instead of training one. */
  bundle?: string | undefined;
}

/**
 * Loads the world unless the state already holds it, serves a model (the active one when the world
 * was already loaded and nothing else is asked for), and mints an app key for the benchmark.
 */
export async function prepareServedWorld(o: ServedWorldOptions): Promise<{ appKey: string }> {
  const { url, adminToken, world, say } = o;
  const estimate = world.config.users * world.config.eventsPerUser;
  const counts = loadedCounts(o.persistTo);
  let loaded = false;
  if (counts.tracks >= world.tracks.length && counts.events >= 0.9 * estimate) {
    say(`reusing ${counts.tracks} tracks and ${counts.events} events in ${o.persistTo}`);
  } else {
    say(`loading ${world.tracks.length} tracks, ${world.config.users} listeners and ~${estimate} events through the API…`);
    let last = 0;
    const summary = await loadWorld(url, adminToken, world, {
      concurrency: 4,
      onProgress: (p) => {
        if (performance.now() - last > 10_000) {
          last = performance.now();
          say(`  ${p.phase}: ${p.done} / ${p.total}`);
        }
      },
    });
    say(`loaded in ${summary.seconds.toFixed(0)} s: ${summary.tracks} tracks, ${summary.events.stored} events stored`);
    loaded = true;
  }
  const active = loaded || o.retrain || o.bundle ? null : await activeModel(url, adminToken);
  if (active) {
    say(`reusing the active model ${active} (--retrain to train a new one)`);
  } else {
    const bundleDir = o.bundle ?? (await trainBundle(o.persistTo, o.name, say));
    if (!existsSync(join(bundleDir, MANIFEST_FILE))) throw new Error(`${bundleDir} holds no ${MANIFEST_FILE}`);
    const version = await uploadBundle({ url, key: adminToken }, bundleDir);
    await activate({ url, key: adminToken }, version);
    say(`model ${version} uploaded and active`);
  }
  const minted = await requestJson<{ key: string }>({ url, key: adminToken }, '/v1/admin/keys', { body: { role: 'app', name: o.name } });
  return { appKey: minted.body.key };
}
