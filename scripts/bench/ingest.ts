/**
 * `npm run bench:ingest`: sustained ingestion through POST /v1/events against a local wrangler dev.
 *
 * Starts its own Worker on a scratch local state and PUTs the catalogue the events refer to (so
 * the rollup applier has something to count), then sends batches of 100 events for a fixed time per
 * level and prints events/s and p50/p99 batch latency:
 * - c=1 and c=8 with catalogue tracks: ingest plus the rollup applier (the RollupApplier Durable
 *   Object adds every batch's delta ~250 ms after it commits, on the same 2 cores);
 * - c=8 with track ids not in the catalogue: the same ingest path (same rows, same rollup_pending
 *   mark, same poke), but the applier's delta finds no track and writes nothing. Worker code cannot
 *   turn the applier off, so this is the "rollups off" reference; the difference is what the rollups cost.
 * After each level it waits until `rollup_pending` is empty (read from the local D1 file) and prints
 * how long the applier took to drain after the last acknowledged batch.
 *
 * Finally it reads the local D1 file and checks that every acknowledged event is stored exactly once,
 * that resending acknowledged batches stores nothing new, and that the rollups match the events:
 * per (track, day) play_starts, plays_started, plays, streams, completions, skips, ms_played, saves and
 * playlist_adds of track_daily, and per (artist, day) the listeners of artist_daily, against counts
 * over the events table.
 *
 * Options: --seconds N (per level, default 20), --port P (a free port by default).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { COMPLETION_SHARE, DAY_MS, SKIP_BEFORE_MS, STREAM_MIN_MS } from '../../contract/events.ts';
import { openLocalD1 } from '../lib/local-d1.ts';
import { apiCall, applyLocalMigrations, freePort, ROOT, startDevServer } from '../lib/local-worker.ts';
import { formatMs, percentile } from '../lib/stats.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '20' }, port: { type: 'string' } } });
const seconds = Number(values.seconds);
const port = values.port ? Number(values.port) : await freePort();
if (!Number.isFinite(seconds) || seconds <= 0) throw new Error('--seconds must be a positive number');
const TRACKS = 50_000;
const ARTISTS = 5_000;

const BATCH = 100;
const TYPES = ['play_start', 'play_end', 'skip', 'save', 'playlist_add'] as const;
const persistTo = join(ROOT, '.wrangler/state-bench-ingest');
const adminToken = `bench-admin-${Date.now()}`;
rmSync(persistTo, { recursive: true, force: true });
applyLocalMigrations(persistTo);
const server = await startDevServer({ port, persistTo, vars: { ADMIN_TOKEN: adminToken } });

const run = `b${Date.now().toString(36)}`;
let seq = 0;
/** `catalogue`: track ids of the PUT catalogue; otherwise ids no track has (the applier counts nothing). */
function makeBatch(catalogue = true) {
  const now = Date.now();
  return Array.from({ length: BATCH }, () => {
    seq += 1;
    const type = TYPES[seq % TYPES.length] as (typeof TYPES)[number];
    return {
      event_id: `${run}-${seq}`,
      user_id: `u${seq % 5000}`,
      track_id: `${catalogue ? 't' : 'nocat'}${(seq * 7919) % TRACKS}`,
      type,
      ts: now - (seq % 86_400_000),
      ...(type === 'play_end' || type === 'skip' ? { ms_played: 1000 + (seq % 200_000) } : {}),
      context: { source: 'algorithmic', surface: 'home', rec_id: `r${seq % 1000}`, position: seq % 20 },
    };
  });
}

try {
  const minted = await apiCall<{ key: string }>(server.url, adminToken, '/v1/admin/keys', { body: { role: 'app', name: 'bench' } });
  const key = minted.body.key;

  // The catalogue first: events of tracks that exist are counted by the deltas (a track uploaded after
  // its events would mark days for a recompute instead).
  const catalogueStarted = performance.now();
  for (let i = 0; i < TRACKS; i += 500) {
    const tracks = Array.from({ length: Math.min(500, TRACKS - i) }, (_, j) => {
      const n = i + j;
      return {
        id: `t${n}`,
        title: `Track ${n}`,
        artist: { id: `a${n % ARTISTS}`, name: `Artist ${n % ARTISTS}` },
        duration_ms: 120_000 + ((n * 37) % 180_000),
      };
    });
    const res = await apiCall(server.url, key, '/v1/tracks', { method: 'PUT', body: { tracks } });
    if (res.status !== 200) throw new Error(`PUT /v1/tracks answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
  }
  console.log(`catalogue: ${TRACKS} tracks of ${ARTISTS} artists PUT in ${((performance.now() - catalogueStarted) / 1000).toFixed(1)} s`);

  const db = openLocalD1(persistTo);
  const pendingCount = () => (db.prepare('SELECT count(*) AS n FROM rollup_pending WHERE error IS NULL').get() as { n: number }).n;
  /** Waits until the applier has added every pending delta; ms from `since`. */
  async function drained(since: number): Promise<number> {
    const deadline = Date.now() + 300_000;
    while (pendingCount() > 0) {
      if (Date.now() > deadline) throw new Error(`rollup_pending still has ${pendingCount()} batches after 300 s`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return performance.now() - since;
  }
  const acked: string[] = [];
  const ackedBatches: ReturnType<typeof makeBatch>[] = [];
  let failures = 0;

  async function send(batch: ReturnType<typeof makeBatch>): Promise<{ ms: number; ok: boolean; stored: number }> {
    const t0 = performance.now();
    const res = await fetch(`${server.url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events: batch }),
    });
    const body = (await res.json()) as { stored?: number };
    return { ms: performance.now() - t0, ok: res.status === 200, stored: body.stored ?? 0 };
  }

  console.log(`Ingest benchmark: batches of ${BATCH} events, ${seconds} s per level, Worker on ${server.url}\n`);
  console.log('level                      concurrency  batches   events/s   p50 batch   p99 batch   drain after');
  const levels = [
    { name: 'rollups on (catalogue)', concurrency: 1, catalogue: true },
    { name: 'rollups off (no track)', concurrency: 8, catalogue: false },
    { name: 'rollups on (catalogue)', concurrency: 8, catalogue: true },
  ];
  const throughput: number[] = [];
  for (const { name, concurrency, catalogue } of levels) {
    // Warm-up so the first level does not pay for isolate start-up.
    const warmUp = makeBatch(catalogue);
    await drained(performance.now());
    if ((await send(warmUp)).ok) for (const e of warmUp) acked.push(e.event_id);
    else failures += 1;
    const latencies: number[] = [];
    let events = 0;
    const started = performance.now();
    const until = started + seconds * 1000;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < until) {
          const batch = makeBatch(catalogue);
          const r = await send(batch);
          if (!r.ok) {
            failures += 1;
            continue;
          }
          latencies.push(r.ms);
          events += batch.length;
          for (const e of batch) acked.push(e.event_id);
          if (ackedBatches.length < 20) ackedBatches.push(batch);
        }
      }),
    );
    const ended = performance.now();
    const elapsed = (ended - started) / 1000;
    const drain = await drained(ended);
    throughput.push(events / elapsed);
    console.log(
      `${name.padEnd(25)}  ${String(concurrency).padStart(11)}  ${String(latencies.length).padStart(7)}  ${(events / elapsed).toFixed(0).padStart(9)}  ` +
        `${formatMs(percentile(latencies, 50)).padStart(10)}  ${formatMs(percentile(latencies, 99)).padStart(10)}  ${`${(drain / 1000).toFixed(2)} s`.padStart(12)}`,
    );
  }
  const [, off, on] = throughput as [number, number, number];
  console.log(
    `\nrollup cost at c=8: ${on.toFixed(0)} ev/s with the applier counting vs ${off.toFixed(0)} ev/s when it has nothing to count (${(((off - on) / off) * 100).toFixed(1)} % fewer)`,
  );

  // Retries of acknowledged batches must store nothing new.
  let restored = 0;
  for (const batch of ackedBatches) restored += (await send(batch)).stored;

  await drained(performance.now());
  const storedIds = new Set<string>();
  let rows = 0;
  for (const row of db.prepare('SELECT event_id FROM events WHERE event_id LIKE ?').iterate(`${run}-%`)) {
    storedIds.add(String((row as { event_id: string }).event_id));
    rows += 1;
  }
  const missing = acked.filter((id) => !storedIds.has(id)).length;
  console.log(`\nacknowledged ${acked.length} events; stored rows for this run ${rows} (distinct ${storedIds.size}); missing ${missing}`);
  console.log(`failed requests ${failures}; resent ${ackedBatches.length} acknowledged batches -> newly stored ${restored} (must be 0)`);
  const once = missing === 0 && rows === storedIds.size && restored === 0;
  console.log(once ? 'verdict: every acknowledged event stored exactly once' : 'verdict: FAILED exactly-once check');

  const rollups = checkRollups(db);
  db.close();
  console.log(
    `\nrollups vs events: ${rollups.trackDays} (track, day) rows of track_daily over ${rollups.countedEvents} countable events, ` +
      `${rollups.trackMismatches} mismatching; ${rollups.artistDays} (artist, day) listener counts, ${rollups.artistMismatches} mismatching; ` +
      `dirty days left ${rollups.dirtyDays}, failed batches ${rollups.failedBatches}`,
  );
  for (const m of rollups.examples) console.log(`  mismatch: ${m}`);
  const rolledUp = rollups.trackMismatches === 0 && rollups.artistMismatches === 0 && rollups.trackDays > 0 && rollups.failedBatches === 0;
  console.log(rolledUp ? 'verdict: rollups equal the counts over the stored events' : 'verdict: FAILED rollup check');
  process.exitCode = once && rolledUp ? 0 : 1;
} finally {
  await server.stop();
}

/** Compares the rollups with counts over the events table (only events of catalogue tracks count). */
function checkRollups(db: ReturnType<typeof openLocalD1>) {
  const PLAY = `e.type IN ('play_end', 'skip')`;
  const expected = db
    .prepare(
      `SELECT e.track_id AS track, e.ts / ${DAY_MS} AS day, count(*) AS n,
         sum(e.type = 'play_start') AS play_starts, sum(${PLAY}) AS plays,
         sum(${PLAY} AND e.ms_played >= ${STREAM_MIN_MS}) AS streams,
         sum(${PLAY} AND e.ms_played >= ${COMPLETION_SHARE} * t.duration_ms) AS completions,
         sum(e.type = 'skip' AND e.ms_played < ${SKIP_BEFORE_MS}) AS skips,
         coalesce(sum(CASE WHEN ${PLAY} THEN e.ms_played END), 0) AS ms_played,
         sum(e.type = 'save') AS saves, sum(e.type = 'playlist_add') AS playlist_adds
       FROM events e JOIN tracks t ON t.id = e.track_id GROUP BY e.track_id, e.ts / ${DAY_MS}`,
    )
    .all() as Record<string, number | string>[];
  const actual = new Map<string, Record<string, number | string>>();
  for (const r of db
    .prepare(
      'SELECT track_id AS track, day, play_starts, plays_started, plays, streams, completions, skips, ms_played, saves, playlist_adds FROM track_daily',
    )
    .all() as Record<string, number | string>[])
    actual.set(`${r.track}/${r.day}`, r);
  const examples: string[] = [];
  let trackMismatches = 0;
  let countedEvents = 0;
  const cols = ['play_starts', 'plays', 'streams', 'completions', 'skips', 'ms_played', 'saves', 'playlist_adds'];
  for (const e of expected) {
    countedEvents += Number(e.n);
    const a = actual.get(`${e.track}/${e.day}`);
    actual.delete(`${e.track}/${e.day}`);
    const want = { ...e, plays_started: Math.max(Number(e.play_starts), Number(e.plays)) };
    const bad = [...cols, 'plays_started'].filter((c) => Number(a?.[c] ?? -1) !== Number(want[c as keyof typeof want]));
    if (bad.length === 0) continue;
    trackMismatches += 1;
    if (examples.length < 5)
      examples.push(
        `track_daily ${e.track} day ${e.day}: ${bad.map((c) => `${c} ${a?.[c]} ≠ ${want[c as keyof typeof want]}`).join(', ')}`,
      );
  }
  // Rollup rows no event explains are mismatches too.
  trackMismatches += actual.size;
  for (const k of [...actual.keys()].slice(0, Math.max(0, 5 - examples.length))) examples.push(`track_daily ${k} has no events`);

  const listeners = db
    .prepare(
      `WITH want AS (
         SELECT t.artist_id, e.ts / ${DAY_MS} AS day, count(DISTINCT e.user_id) AS n FROM events e JOIN tracks t ON t.id = e.track_id
         WHERE ${PLAY} AND e.ms_played >= ${STREAM_MIN_MS} GROUP BY t.artist_id, e.ts / ${DAY_MS})
       SELECT (SELECT count(*) FROM want) AS days,
         (SELECT count(*) FROM want LEFT JOIN artist_daily a ON a.artist_id = want.artist_id AND a.day = want.day
            WHERE a.listeners IS NOT want.n)
         + (SELECT count(*) FROM artist_daily a WHERE a.listeners > 0
            AND NOT EXISTS (SELECT 1 FROM want WHERE want.artist_id = a.artist_id AND want.day = a.day)) AS bad`,
    )
    .get() as { days: number; bad: number };
  const dirtyDays = (db.prepare('SELECT count(*) AS n FROM analytics_dirty_days').get() as { n: number }).n;
  const failedBatches = (db.prepare('SELECT count(*) AS n FROM rollup_pending WHERE error IS NOT NULL').get() as { n: number }).n;
  return {
    trackDays: expected.length,
    countedEvents,
    trackMismatches,
    artistDays: listeners.days,
    artistMismatches: listeners.bad,
    dirtyDays,
    failedBatches,
    examples,
  };
}
