/**
 * `npm run bench:react`: issue 13 items 2 and 3 ("the next list reflects the last event", "context
 * steers, and stays personal") measured on the `npm start` demo world against a real local Worker.
 *
 * 1. Starts the Worker on its own local state (.wrangler/state-react by default) on a free port.
 * 2. Loads DEFAULT_WORLD (3 000 artists, 30 000 tracks, 20 000 listeners, ~750 000 events over 120
 *    days; the history ends on a fixed day, 2026-11-24, so a loaded state can be reused) through the
 *    public API, unless that state holds it already; trains a bundle on it with the trainer's CLI
 *    (`--from-local`), uploads and activates it, unless a model is active there already.
 * 3. Context (item 3), N listeners with history: the default list (GET …/recommendations?limit=20,
 *    no context sent, so the Worker steers gently by the local time in the listener's time zone), then
 *    `activity=workout|focus|sleep|party` and `weather=rain|hot`. Per list: mean energy (0..1), share of
 *    items also in the default list, share of items that are "personal": in one of the listener's 3 top
 *    genres (streams ≥ 30 s count 1, saves 2, read from the local D1 file) or among the nearest
 *    neighbours of their history (the union of GET /v1/tracks/:id/similar?limit=20 of their 10
 *    most-engaged tracks, which is what the API exposes of the model's item space).
 * 4. Reaction (item 2), three more groups of N listeners each, never used by an earlier run (their
 *    events carry `react-` ids, found in D1): list, event, list again, each list `--depth` (100) long
 *    so a neighbour's move shows beyond the 20 on screen.
 *    - skip: the top track of the list is played for 7 s and skipped (play_start + skip, ms_played
 *      7 000, timestamped now);
 *    - save: the 15th track of the list is saved (`save`, now);
 *    - control: no event between the two fetches (same figures for the same positions).
 *    Figures: whether the skipped track is gone; for its near neighbours (GET
 *    /v1/tracks/:id/similar?limit=20) that were in the list before, the mean change of position
 *    (0-based; a neighbour no longer in the list counts as position `depth`); how many neighbours
 *    are among the first `limit` before and after. Pass = in the right direction by more than two
 *    standard errors of the difference to the control.
 * 5. Prints a table with the issue's thresholds (pass/fail), the load average and the run's length.
 *
 * Options: --listeners N per group (default 200), --limit (20), --depth (100), --neighbours K (20),
 * --query 'diversity=0' (extra knobs for every recommendation request, to see what drives a figure),
 * --concurrency (2), --users N (world size, default DEFAULT_WORLD's 20 000), --port (a free one),
 * --persist DIR, --bundle DIR (skip training), --retrain (train even if a model is active there),
 * --fresh (wipe the state first), --json FILE (per-listener results, for a closer look). On 2 busy
 * cores a fresh run took 398 s (load 149 s, training 61 s, queries ~170 s), a run on a loaded state 2–4 min.
 */
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { hashSeed, Rng } from '../demo/rng.ts';
import { DEFAULT_WORLD, generateWorld } from '../demo/world.ts';
import { apiCall, applyLocalMigrations, ensureAssetsDir, freePort, ROOT, startDevServer } from '../lib/local-worker.ts';
import { percentile } from '../lib/stats.ts';
import { type LocalDb, prepareServedWorld, withDb as withLocalDb } from './served-world.ts';

const { values } = parseArgs({
  options: {
    listeners: { type: 'string', default: '200' },
    limit: { type: 'string', default: '20' },
    depth: { type: 'string', default: '100' },
    query: { type: 'string', default: '' },
    neighbours: { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '2' },
    users: { type: 'string', default: String(DEFAULT_WORLD.users) },
    port: { type: 'string' },
    persist: { type: 'string', default: join(ROOT, '.wrangler/state-react') },
    bundle: { type: 'string' },
    retrain: { type: 'boolean', default: false },
    fresh: { type: 'boolean', default: false },
    json: { type: 'string' },
  },
});
const N = Number(values.listeners);
const LIMIT = Number(values.limit);
/** Reaction lists are fetched this long, so a neighbour's move is seen beyond the shown `LIMIT`. */
const DEPTH = Math.max(LIMIT, Number(values.depth));
/** Extra knobs for every recommendation request (e.g. `diversity=0`), to see what drives a figure. */
const EXTRA = (values.query as string).replace(/^[?&]/, '');
const K = Number(values.neighbours);
const CONCURRENCY = Number(values.concurrency);
const persistTo = values.persist as string;
const adminToken = `bench-admin-${Date.now()}`;
const runId = Date.now().toString(36);
/** Position of the saved track in the list before the save (0-based): a track the listener scrolled to. */
const SAVE_POSITION = Math.min(LIMIT - 1, 14);
const SKIP_MS = 7_000;
const TOP_GENRES = 3;
const TOP_TRACKS = 10;
/** Listeners "with history": at least this many streams of 30 s or more and saves. */
const MIN_HISTORY = 5;
const CONTEXTS = [
  ['workout', 'activity=workout'],
  ['focus', 'activity=focus'],
  ['sleep', 'activity=sleep'],
  ['party', 'activity=party'],
  ['rain', 'weather=rain'],
  ['hot', 'weather=hot'],
] as const;
type ContextName = (typeof CONTEXTS)[number][0];

const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;
const say = (s: string) => console.log(`[${elapsed().padStart(5)}] ${s}`);

// A fixed end keeps the world identical between runs, so a loaded state can be reused.
const world = generateWorld({ ...DEFAULT_WORLD, users: Number(values.users), end: Date.UTC(2026, 10, 24) });

if (values.fresh) rmSync(persistTo, { recursive: true, force: true });
ensureAssetsDir();
applyLocalMigrations(persistTo);

// ---- local D1: what the world holds, listeners' histories, track metadata --------------------------

interface TrackMeta {
  genre: string | null;
  energy: number | null;
}

const withDb = <T>(f: (db: LocalDb) => T): T => withLocalDb(persistTo, f);

function trackMeta(): Map<string, TrackMeta> {
  return withDb((db) => {
    const rows = db.prepare('SELECT id, genre, energy FROM tracks').all() as Array<{
      id: string;
      genre: string | null;
      energy: number | null;
    }>;
    return new Map(rows.map((r) => [r.id, { genre: r.genre, energy: r.energy === null ? null : Math.min(1, Math.max(0, r.energy)) }]));
  });
}

/** Listener ids with at least `min` streams (≥ 30 s) and saves, and those an earlier run of this bench sent events for. */
function listenerPools(min: number): { withHistory: Set<string>; touched: Set<string> } {
  return withDb((db) => {
    const counts = db
      .prepare(
        `SELECT user_id AS id, count(*) AS n FROM events
         WHERE type = 'save' OR (type = 'play_end' AND ms_played >= 30000) GROUP BY user_id`,
      )
      .all() as Array<{ id: string; n: number }>;
    const touched = db.prepare("SELECT DISTINCT user_id AS id FROM events WHERE event_id LIKE 'react-%'").all() as Array<{ id: string }>;
    return { withHistory: new Set(counts.filter((c) => c.n >= min).map((c) => c.id)), touched: new Set(touched.map((t) => t.id)) };
  });
}

/** The listener's engagement per track: streams of 30 s or more count 1, saves 2 (unsaves −2). */
function engagement(userIds: readonly string[]): Map<string, Map<string, number>> {
  return withDb((db) => {
    const q = db.prepare(
      `SELECT track_id AS id, sum(CASE WHEN type = 'save' THEN 2 WHEN type = 'unsave' THEN -2
              WHEN type = 'play_end' AND ms_played >= 30000 THEN 1 ELSE 0 END) AS w
       FROM events WHERE user_id = ? GROUP BY track_id`,
    );
    return new Map(userIds.map((u) => [u, new Map((q.all(u) as Array<{ id: string; w: number }>).map((r) => [r.id, r.w]))]));
  });
}

// ---- the API ------------------------------------------------------------------------------------

interface RecList {
  cold_start: string;
  context: { activity: string | null; weather: string | null; from: string | null };
  items: Array<{ track_id: string; source: string }>;
}

async function getJson<T>(url: string, key: string, path: string): Promise<T> {
  const res = await apiCall<T>(url, key, path);
  if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
  return res.body;
}

const recsOf = (url: string, key: string, userId: string, query = '', limit = LIMIT) =>
  getJson<RecList>(
    url,
    key,
    `/v1/users/${encodeURIComponent(userId)}/recommendations?${[`limit=${limit}`, EXTRA, query].filter(Boolean).join('&')}`,
  );

const similarCache = new Map<string, Promise<string[]>>();
function similarOf(url: string, key: string, trackId: string, k: number): Promise<string[]> {
  const cacheKey = `${trackId}:${k}`;
  let p = similarCache.get(cacheKey);
  if (!p) {
    p = getJson<{ items: Array<{ id: string }> }>(url, key, `/v1/tracks/${encodeURIComponent(trackId)}/similar?limit=${k}`).then((b) =>
      b.items.map((i) => i.id),
    );
    similarCache.set(cacheKey, p);
  }
  return p;
}

async function postEvents(url: string, key: string, events: unknown[]): Promise<void> {
  const res = await apiCall<{ stored: number; rejected: unknown[] }>(url, key, '/v1/events', { body: { events } });
  if (res.status !== 200 || res.body.rejected.length > 0) throw new Error(`POST /v1/events: ${res.status} ${JSON.stringify(res.body)}`);
}

/**
 * Runs `f` over `items` with `CONCURRENCY` in flight, printing progress about every 10 s; results
 * are kept in order, nulls (listeners served a cold-start list) are left out and counted.
 */
async function forEach<T, R>(label: string, items: readonly T[], f: (item: T) => Promise<R | null>): Promise<R[]> {
  const out: Array<R | null> = new Array(items.length).fill(null);
  let next = 0;
  let done = 0;
  let last = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) {
        const k = next++;
        out[k] = await f(items[k] as T);
        done++;
        if (performance.now() - last > 10_000) {
          last = performance.now();
          say(`  ${label}: ${done} / ${items.length} listeners`);
        }
      }
    }),
  );
  const kept = out.filter((r): r is R => r !== null);
  const cold = items.length - kept.length;
  say(`  ${label}: ${done} / ${items.length} listeners done${cold > 0 ? ` (${cold} served a cold-start list, left out)` : ''}`);
  return kept;
}

// ---- statistics -----------------------------------------------------------------------------------

const mean = (xs: readonly number[]) => (xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length);
const stderr = (xs: readonly number[]) => {
  if (xs.length < 2) return Number.NaN;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1) / xs.length);
};
const sign = (x: number, digits = 2) => (Number.isFinite(x) ? `${x > 0 ? '+' : ''}${x.toFixed(digits)}` : '–');
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const num = (x: number, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : '–');
const ids = (l: RecList) => l.items.map((i) => i.track_id);
const shared = (a: RecList, b: RecList) => {
  const inB = new Set(ids(b));
  return a.items.length === 0 ? Number.NaN : ids(a).filter((id) => inB.has(id)).length / a.items.length;
};

/**
 * How the near neighbours of `track` moved between two lists `DEPTH` long: positions are 0-based and
 * a track no longer in the list counts as position `DEPTH`.
 */
function neighbourMove(before: RecList, after: RecList, track: string, neighbours: readonly string[]) {
  const near = new Set(neighbours.filter((n) => n !== track));
  const pos = (l: RecList) => new Map(ids(l).map((id, p) => [id, p]));
  const pb = pos(before);
  const pa = pos(after);
  const listedBefore = [...near].filter((n) => pb.has(n));
  const shown = (m: Map<string, number>) => [...near].filter((n) => (m.get(n) ?? DEPTH) < LIMIT).length;
  const moves = listedBefore.map((n) => (pa.get(n) ?? DEPTH) - (pb.get(n) as number));
  return {
    gone: !pa.has(track),
    rankBefore: pb.get(track) ?? DEPTH,
    rankAfter: pa.get(track) ?? DEPTH,
    /** Mean change of position of the neighbours listed before (positive = down the list); NaN when none was listed. */
    move: moves.length > 0 ? mean(moves) : Number.NaN,
    /** Neighbours among the first `LIMIT` (the list as shown), before and after. */
    shownBefore: shown(pb),
    shownAfter: shown(pa),
    /** Lists are not identical (any item or order changed). */
    changed: ids(before).join() !== ids(after).join(),
  };
}
type Move = ReturnType<typeof neighbourMove>;

// ---- the experiments --------------------------------------------------------------------------------

interface ContextResult {
  plainFrom: string | null;
  energy: Record<'plain' | ContextName, number>;
  overlap: Record<ContextName, number>;
  personal: Record<'plain' | ContextName, number>;
}

async function contextExperiment(url: string, key: string, userId: string, tracks: Map<string, TrackMeta>, taste: Map<string, number>) {
  const plain = await recsOf(url, key, userId);
  // Not a listener with history as far as the model goes (e.g. every track they streamed is blocked): left out, counted.
  if (plain.cold_start !== 'none') return null;
  const genreWeight = new Map<string, number>();
  for (const [id, w] of taste) {
    const g = tracks.get(id)?.genre;
    if (g && w > 0) genreWeight.set(g, (genreWeight.get(g) ?? 0) + w);
  }
  const topGenres = new Set(
    [...genreWeight]
      .sort((a, b) => b[1] - a[1])
      .slice(0, TOP_GENRES)
      .map(([g]) => g),
  );
  const topTracks = [...taste]
    .filter(([, w]) => w > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, TOP_TRACKS)
    .map(([id]) => id);
  const near = new Set((await Promise.all(topTracks.map((t) => similarOf(url, key, t, 20)))).flat());
  const energyOf = (l: RecList) => mean(ids(l).flatMap((id) => (tracks.get(id)?.energy == null ? [] : [tracks.get(id)?.energy as number])));
  const personalOf = (l: RecList) =>
    ids(l).filter((id) => near.has(id) || topGenres.has(tracks.get(id)?.genre ?? '')).length / Math.max(1, l.items.length);
  const r: ContextResult = {
    plainFrom: plain.context.from,
    energy: { plain: energyOf(plain) } as ContextResult['energy'],
    overlap: {} as ContextResult['overlap'],
    personal: { plain: personalOf(plain) } as ContextResult['personal'],
  };
  for (const [name, query] of CONTEXTS) {
    const list = await recsOf(url, key, userId, query);
    r.energy[name] = energyOf(list);
    r.overlap[name] = shared(list, plain);
    r.personal[name] = personalOf(list);
  }
  return r;
}

type Reaction = 'skip' | 'save' | 'control';

async function reactionExperiment(url: string, key: string, userId: string, kind: Reaction) {
  const before = await recsOf(url, key, userId, '', DEPTH);
  if (before.cold_start !== 'none') return null;
  const top = ids(before)[0] as string;
  const saved = ids(before)[SAVE_POSITION] as string;
  const now = Date.now();
  const id = (what: string) => `react-${runId}-${userId}-${what}`;
  if (kind === 'skip') {
    await postEvents(url, key, [
      { event_id: id('start'), user_id: userId, track_id: top, type: 'play_start', ts: now - SKIP_MS, context: { source: 'algorithmic' } },
      {
        event_id: id('skip'),
        user_id: userId,
        track_id: top,
        type: 'skip',
        ts: now,
        ms_played: SKIP_MS,
        context: { source: 'algorithmic' },
      },
    ]);
  } else if (kind === 'save') {
    await postEvents(url, key, [
      { event_id: id('save'), user_id: userId, track_id: saved, type: 'save', ts: now, context: { source: 'algorithmic' } },
    ]);
  }
  const after = await recsOf(url, key, userId, '', DEPTH);
  const out: { userId: string; before: string[]; after: string[]; skip?: Move; save?: Move } = {
    userId,
    before: ids(before),
    after: ids(after),
  };
  if (kind !== 'save') out.skip = neighbourMove(before, after, top, await similarOf(url, key, top, K));
  if (kind !== 'skip' && saved) out.save = neighbourMove(before, after, saved, await similarOf(url, key, saved, K));
  return out;
}

// ---- main ------------------------------------------------------------------------------------------

/**
 * The code measured: wrangler dev serves (and rebuilds on every save) the working tree, so the
 * figures belong to HEAD plus whatever is uncommitted under worker/ and models/ (read-only git).
 */
function codeVersion(): string {
  const git = (...args: string[]) => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' }).stdout?.trim() ?? '';
  const head = git('rev-parse', '--short', 'HEAD') || 'unknown';
  const dirty = git('status', '--porcelain', '--', 'worker', 'models').split('\n').filter(Boolean).length;
  return `HEAD ${head}${dirty > 0 ? ` + ${dirty} uncommitted file(s) under worker/ and models/` : ''}`;
}

const loadAtStart = loadavg();
const codeAtStart = codeVersion();
say(`code: ${codeAtStart}`);
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
    name: 'bench:react',
    say,
    retrain: values.retrain === true,
    bundle: values.bundle,
  });

  // Listeners: a fixed shuffle of the world's listeners, those with history, none an earlier run sent events for.
  const { withHistory, touched } = listenerPools(MIN_HISTORY);
  const order = Array.from({ length: world.config.users }, (_, i) => world.listener(i).id);
  const rng = new Rng(hashSeed('bench-react'));
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j] as string, order[i] as string];
  }
  const usable = order.filter((id) => withHistory.has(id) && !touched.has(id));
  if (usable.length < 4 * N) throw new Error(`only ${usable.length} unused listeners with history are left; run with --fresh`);
  const groups = {
    context: usable.slice(0, N),
    skip: usable.slice(N, 2 * N),
    save: usable.slice(2 * N, 3 * N),
    control: usable.slice(3 * N, 4 * N),
  };
  say(`${withHistory.size} listeners with ≥ ${MIN_HISTORY} streams and saves; ${touched.size} used by earlier runs; ${N} per group`);

  const tracks = trackMeta();
  const tastes = engagement(groups.context);
  say('warming up (catalogue view, model session)…');
  await recsOf(server.url, key, groups.context[0] as string);

  say(`context: default list + ${CONTEXTS.map(([n]) => n).join(', ')} for ${N} listeners…`);
  const ctx = await forEach('context', groups.context, (u) => contextExperiment(server.url, key, u, tracks, tastes.get(u) ?? new Map()));
  say('reaction: list → event → list…');
  const skip = await forEach('skip', groups.skip, (u) => reactionExperiment(server.url, key, u, 'skip'));
  const save = await forEach('save', groups.save, (u) => reactionExperiment(server.url, key, u, 'save'));
  const control = await forEach('control', groups.control, (u) => reactionExperiment(server.url, key, u, 'control'));

  // ---- the report ----
  const rows: string[][] = [];
  const row = (what: string, measured: string, threshold: string, pass: boolean | null) =>
    rows.push([what, measured, threshold, pass === null ? '' : pass ? 'pass' : 'FAIL']);

  const energyDiff = ctx.map((r) => r.energy.workout - r.energy.sleep);
  const fromTz = ctx.filter((r) => r.plainFrom === 'time_zone').length;
  row(
    'energy workout − sleep, mean',
    `${num(mean(energyDiff))} (workout ${num(mean(ctx.map((r) => r.energy.workout)))}, sleep ${num(mean(ctx.map((r) => r.energy.sleep)))}, default ${num(mean(ctx.map((r) => r.energy.plain)))})`,
    '≥ 0.25',
    mean(energyDiff) >= 0.25,
  );
  row('  listeners with difference ≥ 0.25', pct(energyDiff.filter((d) => d >= 0.25).length / ctx.length), '', null);
  for (const [name] of CONTEXTS) {
    const o = ctx.map((r) => r.overlap[name]);
    row(
      `shared with default list: ${name}`,
      `mean ${pct(mean(o))}, p90 ${pct(percentile(o, 90))}, lists ≤ 50 % ${pct(o.filter((x) => x <= 0.5).length / o.length)}`,
      'mean ≤ 50 %',
      mean(o) <= 0.5,
    );
  }
  row('personal items: default list', `mean ${pct(mean(ctx.map((r) => r.personal.plain)))}`, '', null);
  for (const [name] of CONTEXTS) {
    const p = ctx.map((r) => r.personal[name]);
    row(`personal items: ${name}`, `mean ${pct(mean(p))}, p10 ${pct(percentile(p, 10))}`, 'mean ≥ 70 %', mean(p) >= 0.7);
  }

  const moves = (rs: Array<{ skip?: Move; save?: Move }>, which: 'skip' | 'save') =>
    rs.flatMap((r) => (r[which] ? [r[which] as Move] : []));
  const cmp = (exp: Move[], ctl: Move[], f: (m: Move) => number) => {
    const a = exp.map(f).filter(Number.isFinite);
    const b = ctl.map(f).filter(Number.isFinite);
    const diff = mean(a) - mean(b);
    return { a, b, diff, se: Math.sqrt(stderr(a) ** 2 + stderr(b) ** 2) };
  };
  const skipM = moves(skip, 'skip');
  const saveM = moves(save, 'save');
  const ctlSkip = moves(control, 'skip');
  const ctlSave = moves(control, 'save');
  const gone = skipM.filter((m) => m.gone).length / skipM.length;
  row(
    `skip: skipped track gone from the next ${DEPTH}`,
    `${pct(gone)} (control, top track gone: ${pct(ctlSkip.filter((m) => m.gone).length / ctlSkip.length)})`,
    '100 %',
    gone === 1,
  );
  const sk = cmp(skipM, ctlSkip, (m) => m.move);
  row(
    "skip: its neighbours' position change",
    `${sign(mean(sk.a))} (control ${sign(mean(sk.b))}; ${sk.a.length} / ${sk.b.length} lists had some)`,
    'down: > control + 2 s.e.',
    sk.diff > 2 * sk.se,
  );
  const skn = cmp(skipM, ctlSkip, (m) => m.shownAfter - m.shownBefore);
  row(
    `skip: its neighbours in the first ${LIMIT}`,
    `${num(mean(skipM.map((m) => m.shownBefore)))} → ${num(mean(skipM.map((m) => m.shownAfter)))} (control ${sign(mean(skn.b))})`,
    'fewer: < control − 2 s.e.',
    -skn.diff > 2 * skn.se,
  );
  const sv = cmp(saveM, ctlSave, (m) => m.move);
  row(
    "save: its neighbours' position change",
    `${sign(mean(sv.a))} (control ${sign(mean(sv.b))}; ${sv.a.length} / ${sv.b.length} lists had some)`,
    'up: < control − 2 s.e.',
    -sv.diff > 2 * sv.se,
  );
  const svn = cmp(saveM, ctlSave, (m) => m.shownAfter - m.shownBefore);
  row(
    `save: its neighbours in the first ${LIMIT}`,
    `${num(mean(saveM.map((m) => m.shownBefore)))} → ${num(mean(saveM.map((m) => m.shownAfter)))} (control ${sign(mean(svn.b))})`,
    'more: > control + 2 s.e.',
    svn.diff > 2 * svn.se,
  );
  row(
    'save: the saved track’s position',
    `${num(mean(saveM.map((m) => m.rankBefore)), 1)} → ${num(mean(saveM.map((m) => m.rankAfter)), 1)} (control ${num(mean(ctlSave.map((m) => m.rankAfter)), 1)})`,
    '',
    null,
  );
  row('control: lists that changed with no event', pct(control.filter((r) => r.skip?.changed).length / control.length), '', null);

  const w0 = Math.max(...rows.map((r) => (r[0] as string).length));
  const w1 = Math.max(...rows.map((r) => (r[1] as string).length));
  const w2 = Math.max(...rows.map((r) => (r[2] as string).length));
  console.log(
    `\nissue 13, items 2 and 3: listeners ${ctx.length} (context) / ${skipM.length} (skip) / ${saveM.length} (save) / ${control.length} (control), ` +
      `limit=${LIMIT}${EXTRA ? `&${EXTRA}` : ''}; reaction lists ${DEPTH} long (positions 0-based, ${DEPTH} = gone); ` +
      `neighbours = similar?limit=${K}; default lists steered by the time zone for ${fromTz} / ${ctx.length}`,
  );
  for (const r of rows)
    console.log(`  ${(r[0] as string).padEnd(w0)}  ${(r[1] as string).padEnd(w1)}  ${(r[2] as string).padEnd(w2)}  ${r[3]}`);
  if (values.json) {
    writeFileSync(values.json, JSON.stringify({ ctx, skip, save, control }));
    console.log(`\nper-listener results: ${values.json}`);
  }
  const codeAtEnd = codeVersion();
  if (codeAtEnd !== codeAtStart)
    console.log(`\nthe code changed during the run (now ${codeAtEnd}): wrangler dev may have reloaded it mid-run`);
  const load = loadavg();
  console.log(
    `\nload average at start ${loadAtStart.map((x) => x.toFixed(2)).join(' ')}, at end ${load.map((x) => x.toFixed(2)).join(' ')} (1/5/15 min); run took ${elapsed()}`,
  );
} finally {
  await server.stop();
}
