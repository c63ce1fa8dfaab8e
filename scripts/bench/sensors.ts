/**
 * `npm run eval:sensors`: issue 18 item 4 ("context from sensors") measured against a real local
 * Worker, the way `npm run bench:react` measures context steering: does each sensor signal move the
 * served list's audio features the way worker/recs/context.ts says it should?
 *
 * 1. Starts the Worker on its own local state (.wrangler/state-sensors by default) on a free port.
 * 2. Loads a small demo world (SENSOR_WORLD: 800 artists, 8 000 tracks, 4 000 listeners, ~160 000
 *    events over 120 days ending on a fixed day, 2026-11-24, so a loaded state is reused) through the
 *    public API unless the state holds it already, trains a bundle on it with the trainer's CLI
 *    (`--from-local`), uploads and activates it, unless a model is active there already.
 * 3. For N listeners with history (a fixed shuffle of the world's listeners, the same every run),
 *    fetches GET …/recommendations?limit=20 with each signal at a low and a high value (and a few
 *    references: no context, an activity with and without a sensor) and reads the mean audio feature
 *    of each served list from the local D1 (tempo in BPM, the others 0..1).
 * 4. Prints, per signal, the mean feature of the lists at the low and the high value, the mean paired
 *    difference ± 2 standard errors, the share of listeners whose list moved the expected way, and
 *    "pass" when the difference is in the expected direction by more than two standard errors.
 *
 * Options: --listeners N (default 60), --limit (20), --query 'diversity=0' (extra knobs for every
 * request), --concurrency (2), --artists / --users (world size), --port, --persist DIR, --bundle DIR
 * (skip training), --retrain, --fresh (wipe the state first). On 2 busy cores a fresh run takes
 * about 2–3 minutes (load, training, ~700 requests), a run on a loaded state under one.
 */
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { hashSeed, Rng } from '../demo/rng.ts';
import { DEFAULT_WORLD, generateWorld } from '../demo/world.ts';
import { apiCall, applyLocalMigrations, ensureAssetsDir, freePort, ROOT, startDevServer } from '../lib/local-worker.ts';
import { type LocalDb, prepareServedWorld, withDb as withLocalDb } from './served-world.ts';

/** The demo world at a size that loads and trains in about a minute on two cores. */
const SENSOR_WORLD = { ...DEFAULT_WORLD, seed: 'backbeat-sensors', artists: 800, users: 4000 };

const { values } = parseArgs({
  options: {
    listeners: { type: 'string', default: '60' },
    limit: { type: 'string', default: '20' },
    query: { type: 'string', default: '' },
    concurrency: { type: 'string', default: '2' },
    artists: { type: 'string', default: String(SENSOR_WORLD.artists) },
    users: { type: 'string', default: String(SENSOR_WORLD.users) },
    port: { type: 'string' },
    persist: { type: 'string', default: join(ROOT, '.wrangler/state-sensors') },
    bundle: { type: 'string' },
    retrain: { type: 'boolean', default: false },
    fresh: { type: 'boolean', default: false },
  },
});
const N = Number(values.listeners);
const LIMIT = Number(values.limit);
const EXTRA = (values.query as string).replace(/^[?&]/, '');
const CONCURRENCY = Number(values.concurrency);
const persistTo = values.persist as string;
const adminToken = `bench-admin-${Date.now()}`;
/** Listeners "with history": at least this many streams of 30 s or more and saves. */
const MIN_HISTORY = 5;

type Feature = 'tempo' | 'energy' | 'valence' | 'speechiness';
const FEATURES: readonly Feature[] = ['tempo', 'energy', 'valence', 'speechiness'];

/** The lists fetched per listener: a name and its query (empty = no context). */
const LISTS = {
  plain: '',
  hr70: 'heart_rate=70&resting_heart_rate=60',
  hr170: 'heart_rate=170&resting_heart_rate=60',
  valence01: 'mood_valence=0.1',
  valence09: 'mood_valence=0.9',
  arousal01: 'mood_arousal=0.1',
  arousal09: 'mood_arousal=0.9',
  still: 'motion=still',
  running: 'motion=running',
  driving: 'motion=driving',
  focus: 'activity=focus',
  focusRunning: 'activity=focus&motion=running&heart_rate=165',
} as const;
type ListName = keyof typeof LISTS;

/** Each comparison: the feature read, from which list to which, and the direction the mapping promises. */
const COMPARISONS: Array<{ signal: string; feature: Feature; low: ListName; high: ListName; expect: 'up' | 'down' }> = [
  { signal: 'heart_rate 70 → 170 (rest 60)', feature: 'tempo', low: 'hr70', high: 'hr170', expect: 'up' },
  { signal: 'heart_rate 70 → 170 (rest 60)', feature: 'energy', low: 'hr70', high: 'hr170', expect: 'up' },
  { signal: 'mood valence 0.1 → 0.9', feature: 'valence', low: 'valence01', high: 'valence09', expect: 'up' },
  { signal: 'mood arousal 0.1 → 0.9', feature: 'energy', low: 'arousal01', high: 'arousal09', expect: 'up' },
  { signal: 'mood arousal 0.1 → 0.9', feature: 'tempo', low: 'arousal01', high: 'arousal09', expect: 'up' },
  { signal: 'motion still → running', feature: 'energy', low: 'still', high: 'running', expect: 'up' },
  { signal: 'motion still → running', feature: 'tempo', low: 'still', high: 'running', expect: 'up' },
  { signal: 'no context → motion driving', feature: 'speechiness', low: 'plain', high: 'driving', expect: 'down' },
  { signal: 'focus → focus + running, hr 165', feature: 'energy', low: 'focus', high: 'focusRunning', expect: 'up' },
];

const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;
const say = (s: string) => console.log(`[${elapsed().padStart(5)}] ${s}`);

// A fixed end keeps the world identical between runs, so a loaded state can be reused.
const world = generateWorld({ ...SENSOR_WORLD, artists: Number(values.artists), users: Number(values.users), end: Date.UTC(2026, 10, 24) });

if (values.fresh) rmSync(persistTo, { recursive: true, force: true });
ensureAssetsDir();
applyLocalMigrations(persistTo);

const withDb = <T>(f: (db: LocalDb) => T): T => withLocalDb(persistTo, f);

/** Each track's audio features as the catalogue holds them (tempo in BPM). */
function trackFeatures(): Map<string, Partial<Record<Feature, number>>> {
  return withDb((db) => {
    const rows = db.prepare('SELECT id, tempo, energy, valence, speechiness FROM tracks').all() as Array<
      { id: string } & Record<Feature, number | null>
    >;
    return new Map(rows.map((r) => [r.id, Object.fromEntries(FEATURES.flatMap((f) => (r[f] === null ? [] : [[f, r[f]]])))]));
  });
}

function withHistory(min: number): Set<string> {
  return withDb((db) => {
    const rows = db
      .prepare(
        `SELECT user_id AS id, count(*) AS n FROM events
         WHERE type = 'save' OR (type = 'play_end' AND ms_played >= 30000) GROUP BY user_id`,
      )
      .all() as Array<{ id: string; n: number }>;
    return new Set(rows.filter((r) => r.n >= min).map((r) => r.id));
  });
}

interface RecList {
  cold_start: string;
  context: { from: string | null };
  items: Array<{ track_id: string }>;
}

async function recsOf(url: string, key: string, userId: string, query: string): Promise<RecList> {
  const path = `/v1/users/${encodeURIComponent(userId)}/recommendations?${[`limit=${LIMIT}`, EXTRA, query].filter(Boolean).join('&')}`;
  const res = await apiCall<RecList>(url, key, path);
  if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
  return res.body;
}

const mean = (xs: readonly number[]) => (xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length);
const stderr = (xs: readonly number[]) => {
  if (xs.length < 2) return Number.NaN;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1) / xs.length);
};
const digits = (f: Feature) => (f === 'tempo' ? 1 : 3);

const loadAtStart = loadavg();
const server = await startDevServer({
  port: values.port ? Number(values.port) : await freePort(),
  persistTo,
  vars: { ADMIN_TOKEN: adminToken },
});
say(`Worker on ${server.url}, state ${persistTo}`);
try {
  const { appKey: key } = await prepareServedWorld({
    url: server.url,
    adminToken,
    persistTo,
    world,
    name: 'eval:sensors',
    say,
    retrain: values.retrain === true,
    bundle: values.bundle,
  });

  // A fixed set of listeners: a seeded shuffle of the world's listeners, those with history.
  const history = withHistory(MIN_HISTORY);
  const order = Array.from({ length: world.config.users }, (_, i) => world.listener(i).id);
  const rng = new Rng(hashSeed('eval-sensors'));
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j] as string, order[i] as string];
  }
  const listeners = order.filter((id) => history.has(id)).slice(0, N);
  if (listeners.length < N) throw new Error(`only ${listeners.length} listeners with history in the world`);
  const features = trackFeatures();
  const meanOf = (l: RecList, f: Feature) => mean(l.items.flatMap((i) => features.get(i.track_id)?.[f] ?? []));

  say('warming up (catalogue view, model session)…');
  await recsOf(server.url, key, listeners[0] as string, '');
  const names = Object.keys(LISTS) as ListName[];
  say(`${names.length} lists (limit=${LIMIT}${EXTRA ? `&${EXTRA}` : ''}) for each of ${N} listeners…`);
  const results: Array<Record<ListName, Record<Feature, number>> | null> = new Array(listeners.length).fill(null);
  let next = 0;
  let done = 0;
  let last = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < listeners.length) {
        const k = next++;
        const userId = listeners[k] as string;
        const row = {} as Record<ListName, Record<Feature, number>>;
        let cold = false;
        for (const name of names) {
          const list = await recsOf(server.url, key, userId, LISTS[name]);
          if (list.cold_start !== 'none') cold = true;
          row[name] = Object.fromEntries(FEATURES.map((f) => [f, meanOf(list, f)])) as Record<Feature, number>;
        }
        results[k] = cold ? null : row;
        done++;
        if (performance.now() - last > 10_000) {
          last = performance.now();
          say(`  ${done} / ${listeners.length} listeners`);
        }
      }
    }),
  );
  const kept = results.filter((r): r is Record<ListName, Record<Feature, number>> => r !== null);
  say(
    `  ${done} / ${listeners.length} listeners done${kept.length < done ? ` (${done - kept.length} served a cold-start list, left out)` : ''}`,
  );

  const rows = COMPARISONS.map((c) => {
    const pairs = kept
      .map((r) => [r[c.low][c.feature], r[c.high][c.feature]] as const)
      .filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b));
    const diffs = pairs.map(([a, b]) => b - a);
    const d = mean(diffs);
    const se = stderr(diffs);
    const sign = c.expect === 'up' ? 1 : -1;
    const moved = diffs.filter((x) => sign * x > 0).length / Math.max(1, diffs.length);
    const n = digits(c.feature);
    return [
      c.signal,
      `${c.feature}${c.feature === 'tempo' ? ' (BPM)' : ''}`,
      mean(pairs.map(([a]) => a)).toFixed(n),
      mean(pairs.map(([, b]) => b)).toFixed(n),
      `${d > 0 ? '+' : ''}${d.toFixed(n)} ± ${(2 * se).toFixed(n)}`,
      c.expect,
      `${(100 * moved).toFixed(0)} %`,
      sign * d > 2 * se ? 'pass' : 'FAIL',
    ];
  });
  const header = ['signal', 'feature', 'low', 'high', 'high − low ± 2 s.e.', 'expected', 'listeners moved', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (r: string[]) => `  ${r.map((c, i) => c.padEnd(widths[i] as number)).join('  ')}`;
  console.log(
    `\nissue 18, item 4: mean audio feature of the served lists (limit=${LIMIT}${EXTRA ? `&${EXTRA}` : ''}), ` +
      `${kept.length} listeners with history, each list at the low and the high value of a signal`,
  );
  console.log(line(header));
  for (const r of rows) console.log(line(r));
  const plain = (f: Feature) => mean(kept.map((r) => r.plain[f]).filter(Number.isFinite)).toFixed(digits(f));
  console.log(
    `  reference, lists with no context: tempo ${plain('tempo')} BPM, energy ${plain('energy')}, valence ${plain('valence')}, speechiness ${plain('speechiness')}`,
  );
  const load = loadavg();
  console.log(
    `\nload average at start ${loadAtStart.map((x) => x.toFixed(2)).join(' ')}, at end ${load.map((x) => x.toFixed(2)).join(' ')} (1/5/15 min); run took ${elapsed()}`,
  );
} finally {
  await server.stop();
}
