/**
 * `npm run bench:lookalike`: does one heavy request hold up unrelated ones? (issue 19, item 1)
 *
 * 1. Generates a world straight into a local D1 file (node:sqlite, Worker stopped): artists of 12
 *    genres, 4 tracks each with audio features, users, and stream-length plays spread over 365 days,
 *    plus a heavy day (yesterday) with --heavy plays. The artist_user_daily rollup is built in the
 *    same SQLite transaction (the lookalike rule reads its listeners there).
 * 2. Starts wrangler dev and probes `GET /v1/me` every --every ms on its own (baseline), then while
 *    each of --runs lookalike estimates (`POST /v1/segments/estimate`, size 50 000, window 365 days)
 *    runs, then while a refresh of the heavy day (`POST /v1/admin/analytics/refresh` with
 *    stale_from = stale_to = yesterday) runs. Probes are sent on a fixed schedule, never waiting for
 *    the one before, so a blocked instance shows up as probe latency.
 *
 * Prints the heavy request's latency and the probes' p50/p95/max sent while it ran. No assertions.
 *
 * Options: --artists N (2000) --users N (30000) --plays N (600000) --heavy N (400000) --runs N (3)
 * --every MS (25) --port P --reuse (keep the generated world of a previous run) --no-refresh.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { parseArgs } from 'node:util';
import { findLocalD1 } from '../../models/data/read-local-d1.ts';
import { mulberry32 } from '../../models/train/random.ts';
import { catalogueInserts } from '../lib/local-d1.ts';
import { apiCall, applyLocalMigrations, ensureAssetsDir, freePort, ROOT, startDevServer } from '../lib/local-worker.ts';
import { formatMs, percentile } from '../lib/stats.ts';

const { values } = parseArgs({
  options: {
    artists: { type: 'string', default: '2000' },
    users: { type: 'string', default: '30000' },
    plays: { type: 'string', default: '600000' },
    heavy: { type: 'string', default: '400000' },
    runs: { type: 'string', default: '3' },
    every: { type: 'string', default: '25' },
    port: { type: 'string' },
    reuse: { type: 'boolean', default: false },
    'no-refresh': { type: 'boolean', default: false },
    probe: { type: 'string', default: '/v1/me' },
  },
});
const ARTISTS = Number(values.artists);
const USERS = Number(values.users);
const PLAYS = Number(values.plays);
const HEAVY = Number(values.heavy);
const RUNS = Number(values.runs);
const EVERY_MS = Number(values.every);
const PROBE = values.probe;
const PORT = values.port ? Number(values.port) : await freePort();
const TRACKS_PER_ARTIST = 4;
const DAY = 86_400_000;
const GENRES = ['indie', 'pop', 'rock', 'hip-hop', 'electronic', 'jazz', 'classical', 'folk', 'metal', 'r&b', 'ambient', 'latin'];
const persistTo = join(ROOT, '.wrangler/state-lookalike');
const adminToken = 'bench-lookalike-admin-token';

function generate(): number {
  rmSync(persistTo, { recursive: true, force: true });
  applyLocalMigrations(persistTo);
  const db = new DatabaseSync(findLocalD1(persistTo));
  const rand = mulberry32(19);
  const now = Date.now();
  const today = Math.floor(now / DAY);
  db.exec('BEGIN');
  const { artist: insArtist, track: insTrack } = catalogueInserts(db);
  for (let a = 0; a < ARTISTS; a++) {
    insArtist.run(`a${a}`, `Artist ${a}`, now, now);
    for (let t = 0; t < TRACKS_PER_ARTIST; t++) {
      const genre = GENRES[(a + (t === 3 ? 1 : 0)) % GENRES.length] as string;
      insTrack.run(`t${a}-${t}`, `a${a}`, `Track ${a}-${t}`, 200_000, genre, rand(), rand(), rand(), rand(), 60 + rand() * 120, now, now);
    }
  }
  const insUser = db.prepare('INSERT INTO users (id, timezone, country, first_seen_at) VALUES (?, NULL, NULL, ?)');
  for (let u = 0; u < USERS; u++) insUser.run(`u${u}`, now);
  const insEvent = db.prepare(
    `INSERT INTO events (event_id, user_id, track_id, type, ts, ms_played, source, surface, rec_id, position, playlist_id, device, received_at)
     VALUES (?, ?, ?, 'play_end', ?, ?, 'library', NULL, NULL, NULL, NULL, NULL, ?)`,
  );
  // Each user mostly plays a handful of artists near its own slice (taste clusters), sometimes any.
  for (let p = 0; p < PLAYS + HEAVY; p++) {
    const u = Math.floor(rand() * USERS);
    const a = rand() < 0.8 ? (Math.floor(u / 15) + Math.floor(rand() * 5)) % ARTISTS : Math.floor(rand() * ARTISTS);
    const day = p < PLAYS ? today - Math.floor(rand() * 365) : today - 1;
    insEvent.run(`e${p}`, `u${u}`, `t${a}-${Math.floor(rand() * TRACKS_PER_ARTIST)}`, day * DAY + Math.floor(rand() * DAY), 190_000, now);
  }
  db.exec(`INSERT INTO artist_user_daily (artist_id, day, user_id, plays, streams, completions, saves, unsaves, impressions)
    SELECT t.artist_id, e.ts / ${DAY}, e.user_id, count(*), count(*), count(*), 0, 0, 0
    FROM events e JOIN tracks t ON t.id = e.track_id GROUP BY t.artist_id, e.ts / ${DAY}, e.user_id`);
  db.exec('COMMIT');
  db.close();
  return PLAYS + HEAVY;
}

/** Sends GET PROBE (/v1/me unless --probe) every EVERY_MS ms, never waiting for the previous answer. */
function startProbe(url: string) {
  const latencies: Promise<number>[] = [];
  const timer = setInterval(() => {
    const t0 = performance.now();
    latencies.push(
      apiCall(url, adminToken, PROBE).then((r) => {
        if (r.status !== 200) throw new Error(`${PROBE} answered ${r.status}`);
        return performance.now() - t0;
      }),
    );
  }, EVERY_MS);
  return {
    stop: async () => {
      clearInterval(timer);
      return Promise.all(latencies);
    },
  };
}

const row = (name: string, took: string, probes: number[]) =>
  `${name.padEnd(34)}${took.padStart(11)}${String(probes.length).padStart(8)}${formatMs(percentile(probes, 50)).padStart(11)}` +
  `${formatMs(percentile(probes, 95)).padStart(11)}${formatMs(Math.max(...probes)).padStart(11)}`;

/** Runs `heavy` while the probe runs; the probes sent while it ran are the figures. */
async function during(url: string, heavy: () => Promise<{ status: number; body: unknown }>) {
  const probe = startProbe(url);
  await new Promise((r) => setTimeout(r, 200));
  const t0 = performance.now();
  const res = await heavy();
  const ms = performance.now() - t0;
  const probes = await probe.stop();
  if (res.status !== 200) throw new Error(`heavy request answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
  return { ms, probes, body: res.body };
}

if (!values.reuse) {
  const t0 = performance.now();
  const events = generate();
  console.log(
    `generated ${ARTISTS} artists, ${ARTISTS * TRACKS_PER_ARTIST} tracks, ${USERS} users, ${events} plays ` +
      `(${HEAVY} of them yesterday) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
}
ensureAssetsDir();
const server = await startDevServer({ port: PORT, persistTo, vars: { ADMIN_TOKEN: adminToken } });
try {
  const url = server.url;
  for (let i = 0; i < 20; i++) await apiCall(url, adminToken, '/v1/me');
  const estimate = () =>
    apiCall(url, adminToken, '/v1/segments/estimate', {
      body: { rule: { type: 'lookalike', artist_id: 'a0', size: 50_000, window_days: 365 } },
    });
  await estimate(); // warm-up: first statements compile, pages come into the cache
  console.log(`\nGET ${PROBE} probed every ${EVERY_MS} ms (not waiting for answers) while each heavy request ran:`);
  console.log(
    `${'request'.padEnd(34)}${'took'.padStart(11)}${'probes'.padStart(8)}${'me p50'.padStart(11)}${'me p95'.padStart(11)}${'me max'.padStart(11)}`,
  );
  const idle = startProbe(url);
  await new Promise((r) => setTimeout(r, 2000));
  console.log(row('nothing else (baseline)', '–', await idle.stop()));
  for (let i = 0; i < RUNS; i++) {
    const r = await during(url, estimate);
    console.log(row(`lookalike estimate #${i + 1} (size ${(r.body as { size: number }).size})`, formatMs(r.ms), r.probes));
  }
  if (!values['no-refresh']) {
    const yesterday = new Date(Date.now() - DAY).toISOString().slice(0, 10);
    const r = await during(url, () =>
      apiCall(url, adminToken, '/v1/admin/analytics/refresh', { body: { max_days: 1, stale_from: yesterday, stale_to: yesterday } }),
    );
    console.log(row(`refresh of yesterday (${HEAVY} plays)`, formatMs(r.ms), r.probes));
  }
} finally {
  await server.stop();
}
process.exit(0);
