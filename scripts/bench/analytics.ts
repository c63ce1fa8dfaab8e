/**
 * `npm run bench:analytics`: artist analytics latency on a year of listening for 5 000 artists.
 *
 * 1. Generates the world straight into the local D1 SQLite file (node:sqlite, Worker stopped):
 *    artists with Zipf-like popularity, 4 tracks each, listeners (half with a time zone), plays over
 *    365 days (play_start + play_end/skip), saves, playlist adds and served impressions. Rows
 *    written straight into SQLite have no `rollup_pending` marks, so every generated day is marked
 *    in `analytics_dirty_days` (version 1, marked_at now), as a backfill would be.
 * 2. Starts wrangler dev and builds the rollups through POST /v1/admin/analytics/refresh (the cron's
 *    code path), timing it.
 * 3. Calls each analytics endpoint for a mix of top and random artists and prints p50/p95/p99.
 *
 * With --live, a second process (scripts/bench/live-ingest.ts) ingests events of today through
 * POST /v1/events at --rate events/s while the endpoints are read, and a probe measures freshness:
 * about once a second it takes the time T the latest batch was acknowledged and polls GET overview
 * (a range ending today) every --poll ms until `as_of` ≥ T; the lag is how long that took. It also
 * prints how far `as_of` trails the moment each probe request was sent.
 *
 * Options: --artists N (5000) --plays N (400000) --requests N per endpoint (200) --port P (a free
 * port) --reuse (keep the generated world and rollups of a previous run) --live --rate N (1000)
 * --poll MS (50).
 */

import { fork } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { parseArgs } from 'node:util';
import { findLocalD1 } from '../../models/data/read-local-d1.ts';
import { mulberry32 } from '../../models/train/random.ts';
import { refreshAnalytics } from '../demo/analytics-refresh.ts';
import { sampleCumulative } from '../demo/rng.ts';
import { catalogueInserts } from '../lib/local-d1.ts';
import { apiCall, applyLocalMigrations, ensureAssetsDir, freePort, ROOT, startDevServer } from '../lib/local-worker.ts';
import { formatMs, percentile } from '../lib/stats.ts';

const { values } = parseArgs({
  options: {
    artists: { type: 'string', default: '5000' },
    plays: { type: 'string', default: '400000' },
    requests: { type: 'string', default: '200' },
    port: { type: 'string' },
    reuse: { type: 'boolean', default: false },
    live: { type: 'boolean', default: false },
    rate: { type: 'string', default: '1000' },
    poll: { type: 'string', default: '50' },
  },
});
const PORT = values.port ? Number(values.port) : await freePort();
const RATE = Number(values.rate);
const POLL_MS = Number(values.poll);
if (!Number.isFinite(RATE) || RATE <= 0) throw new Error('--rate must be a positive number');
const ARTISTS = Number(values.artists);
const PLAYS = Number(values.plays);
const REQUESTS = Number(values.requests);
const TRACKS_PER_ARTIST = 4;
const USERS = Math.max(1000, Math.round(ARTISTS * 6));
const DAY = 86_400_000;
const persistTo = join(ROOT, '.wrangler/state-analytics');
const adminToken = 'bench-analytics-admin-token';

const GENRES = ['indie', 'pop', 'rock', 'hip-hop', 'electronic', 'jazz', 'classical', 'folk', 'metal', 'r&b', 'ambient', 'latin'];
const ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'America/Los_Angeles', 'Asia/Kolkata', 'Australia/Sydney'];
const SURFACES = ['home', 'daily_mix', 'radio'];

function generate(): { days: number; events: number; impressions: number } {
  rmSync(persistTo, { recursive: true, force: true });
  applyLocalMigrations(persistTo);
  const db = new DatabaseSync(findLocalD1(persistTo));
  const rand = mulberry32(42);
  const today = Math.floor(Date.now() / DAY);
  const firstDay = today - 364;
  const now = Date.now();
  db.exec('BEGIN');
  const { artist: insArtist, track: insTrack } = catalogueInserts(db);
  const durations: number[] = [];
  for (let a = 0; a < ARTISTS; a++) {
    insArtist.run(`a${a}`, `Artist ${a}`, now, now);
    const genre = GENRES[a % GENRES.length] as string;
    for (let t = 0; t < TRACKS_PER_ARTIST; t++) {
      const duration = 120_000 + Math.floor(rand() * 180_000);
      durations.push(duration);
      insTrack.run(`t${a}-${t}`, `a${a}`, `Track ${a}-${t}`, duration, genre, rand(), rand(), rand(), rand(), 60 + rand() * 120, now, now);
    }
  }
  const insUser = db.prepare('INSERT INTO users (id, timezone, country, first_seen_at) VALUES (?, ?, NULL, ?)');
  for (let u = 0; u < USERS; u++) insUser.run(`u${u}`, u % 2 === 0 ? (ZONES[u % ZONES.length] as string) : null, now);

  // Zipf-like artist popularity: weight ∝ 1 / rank^0.8, sampled through the cumulative weights.
  const cumulative: number[] = [];
  let total = 0;
  for (let a = 0; a < ARTISTS; a++) {
    total += 1 / (a + 1) ** 0.8;
    cumulative.push(total);
  }
  const pickArtist = () => sampleCumulative(cumulative, rand());

  const insEvent = db.prepare(
    `INSERT INTO events (event_id, user_id, track_id, type, ts, ms_played, source, surface, rec_id, position, playlist_id, device, received_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?)`,
  );
  const insList = db.prepare(
    'INSERT INTO rec_lists (rec_id, user_id, model_version, surface, context, served_at) VALUES (?, ?, NULL, ?, NULL, ?)',
  );
  const insItem = db.prepare(
    `INSERT INTO rec_items (rec_id, position, track_id, user_id, score, source, reason, campaign_id, served_at) VALUES (?, ?, ?, ?, NULL, 'model', 'cf', NULL, ?)`,
  );
  let events = 0;
  let impressions = 0;
  let listSeq = 0;
  for (let p = 0; p < PLAYS; p++) {
    const a = pickArtist();
    const t = Math.floor(rand() * TRACKS_PER_ARTIST);
    const trackId = `t${a}-${t}`;
    const duration = durations[a * TRACKS_PER_ARTIST + t] as number;
    // Listeners cluster on artists: each artist mostly draws from its own slice of users.
    const user = `u${rand() < 0.7 ? (a * 7 + Math.floor(rand() * 40)) % USERS : Math.floor(rand() * USERS)}`;
    const ts = (firstDay + Math.floor(rand() * 365)) * DAY + Math.floor(rand() * DAY);
    const algorithmic = rand() < 0.3;
    const surface = algorithmic ? (SURFACES[Math.floor(rand() * SURFACES.length)] as string) : null;
    let recId: string | null = null;
    if (algorithmic) {
      // The list that led to the play: 10 items of the same genre's artists, this track at position 0.
      listSeq += 1;
      recId = `r${listSeq}`;
      insList.run(recId, user, surface, ts - 5_000);
      for (let pos = 0; pos < 10; pos++) {
        const other = pos === 0 ? trackId : `t${pickArtist()}-${Math.floor(rand() * TRACKS_PER_ARTIST)}`;
        insItem.run(recId, pos, other, user, ts - 5_000);
        impressions += 1;
      }
    }
    const r = rand();
    const ms =
      r < 0.6
        ? Math.floor(duration * (0.92 + rand() * 0.08))
        : r < 0.85
          ? 1_000 + Math.floor(rand() * 28_000)
          : 30_000 + Math.floor(rand() * (duration * 0.85 - 30_000));
    const type = r < 0.6 ? 'play_end' : 'skip';
    const source = algorithmic ? 'algorithmic' : 'library';
    insEvent.run(`e${p}s`, user, trackId, 'play_start', ts, null, source, surface, recId, algorithmic ? 0 : null, now);
    insEvent.run(`e${p}e`, user, trackId, type, ts + ms, ms, source, surface, recId, algorithmic ? 0 : null, now);
    events += 2;
    const x = rand();
    if (x < 0.03) {
      insEvent.run(`e${p}v`, user, trackId, 'save', ts + ms + 1000, null, source, surface, null, null, now);
      events += 1;
    } else if (x < 0.04) {
      insEvent.run(`e${p}p`, user, trackId, 'playlist_add', ts + ms + 1000, null, source, surface, null, null, now);
      events += 1;
    }
  }
  // No pending marks exist for rows written behind the Worker's back: mark every generated day so
  // the refresh below builds it (what POST /v1/admin/analytics/refresh with stale_from/stale_to does).
  const mark = db.prepare(
    'INSERT INTO analytics_dirty_days (day, version, marked_at) VALUES (?, 1, ?) ON CONFLICT (day) DO UPDATE SET version = version + 1',
  );
  // Impressions are served 5 s before their play (the day before the first) and a play ends after it
  // starts (possibly tomorrow, UTC): mark those edge days too.
  for (let d = firstDay - 1; d <= today + 1; d++) mark.run(d, now);
  db.exec('COMMIT');
  db.close();
  return { days: 365, events, impressions };
}

async function timed<T>(f: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await f();
  return { ms: performance.now() - t0, value };
}

if (values.reuse && existsSync(persistTo)) {
  applyLocalMigrations(persistTo);
} else {
  const g = await timed(async () => generate());
  console.log(
    `generated ${ARTISTS} artists, ${ARTISTS * TRACKS_PER_ARTIST} tracks, ${USERS} users, ${g.value.events} events and ${g.value.impressions} impressions ` +
      `over ${g.value.days} days into the local D1 file (node:sqlite) in ${(g.ms / 1000).toFixed(1)} s`,
  );
}

ensureAssetsDir();
let server = await startDevServer({ port: PORT, persistTo, vars: { ADMIN_TOKEN: adminToken } });
try {
  const refresh = await timed(() => refreshAnalytics(server.url, adminToken, undefined, 5));
  if (!refresh.value.available) throw new Error('this Worker has no /v1/admin/analytics/refresh');
  const refreshedDays = refresh.value.refreshed;
  if (refreshedDays > 0) {
    // A year of backfill leaves a huge write-ahead log that slows every read until SQLite checkpoints
    // it; a restart checkpoints, so the figures below are steady state rather than backfill hangover.
    await server.stop();
    server = await startDevServer({ port: PORT, persistTo, vars: { ADMIN_TOKEN: adminToken } });
    console.log(
      `rollups: ${refreshedDays} days recomputed through /v1/admin/analytics/refresh in ${(refresh.ms / 1000).toFixed(1)} s (${(refresh.ms / refreshedDays).toFixed(0)} ms/day)`,
    );
  }

  const today = new Date().toISOString().slice(0, 10);
  const yearAgo = new Date(Date.now() - 364 * DAY).toISOString().slice(0, 10);
  const monthAgo = new Date(Date.now() - 27 * DAY).toISOString().slice(0, 10);
  const year = `from=${yearAgo}&to=${today}`;
  const rand = mulberry32(7);
  // Half the calls hit the 100 most popular artists (the heaviest rollups), half any artist.
  const artist = () => `a${rand() < 0.5 ? Math.floor(rand() * 100) : Math.floor(rand() * ARTISTS)}`;
  const endpoints: [string, (a: string) => string][] = [
    ['baseline: GET /v1/me (auth only)', () => '/v1/me'],
    ['overview 365 d', (a) => `/v1/artists/${a}/overview?${year}`],
    ['overview 28 d', (a) => `/v1/artists/${a}/overview?from=${monthAgo}&to=${today}`],
    ['timeseries 365 d daily', (a) => `/v1/artists/${a}/timeseries?${year}&metric=streams`],
    ['timeseries 365 d weekly listeners', (a) => `/v1/artists/${a}/timeseries?${year}&metric=listeners&granularity=week`],
    ['tracks 365 d', (a) => `/v1/artists/${a}/tracks?${year}&sort=completion_rate`],
    ['track detail 365 d', (a) => `/v1/artists/${a}/tracks/t${a.slice(1)}-0?${year}`],
    ['audience 365 d', (a) => `/v1/artists/${a}/audience?${year}`],
    ['reach 365 d', (a) => `/v1/artists/${a}/reach?${year}`],
    ['tracks 365 d as CSV', (a) => `/v1/artists/${a}/tracks?${year}&format=csv`],
  ];
  let live: LiveIngest | null = null;
  let probe: FreshnessProbe | null = null;
  if (values.live) {
    const minted = await apiCall<{ key: string }>(server.url, adminToken, '/v1/admin/keys', { body: { role: 'app', name: 'bench-live' } });
    if (minted.status !== 201 && minted.status !== 200)
      throw new Error(`minting an app key: ${minted.status} ${JSON.stringify(minted.body)}`);
    live = startLiveIngest(server.url, minted.body.key);
    // Let the ingest reach its pace and the applier its rhythm before anything is measured.
    await new Promise((r) => setTimeout(r, 3000));
    probe = startFreshnessProbe(server.url, `/v1/artists/a0/overview?from=${monthAgo}&to=${today}`, live);
    console.log(`\nlive ingest: a second process sends ${RATE} events/s of today through POST /v1/events (app key) during the reads`);
  }
  const readsStarted = performance.now();
  console.log(`\n${REQUESTS} sequential requests per endpoint against wrangler dev (local D1), latency seen by the client:`);
  console.log(`${'endpoint'.padEnd(36)}${'p50'.padStart(11)}${'p95'.padStart(11)}${'p99'.padStart(11)}${'max'.padStart(11)}`);
  for (const [name, path] of endpoints) {
    for (let i = 0; i < 5; i++) await apiCall(server.url, adminToken, path(artist())); // warm-up
    const sample: number[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const { ms, value } = await timed(() => apiCall(server.url, adminToken, path(artist())));
      if (value.status !== 200) throw new Error(`${name}: ${value.status} ${JSON.stringify(value.body).slice(0, 300)}`);
      sample.push(ms);
    }
    console.log(
      `${name.padEnd(36)}${formatMs(percentile(sample, 50)).padStart(11)}${formatMs(percentile(sample, 95)).padStart(11)}` +
        `${formatMs(percentile(sample, 99)).padStart(11)}${formatMs(Math.max(...sample)).padStart(11)}`,
    );
  }
  const readSeconds = (performance.now() - readsStarted) / 1000;
  if (live && probe) {
    const lags = await probe.stop();
    const done = await live.stop();
    console.log(
      `\nlive ingest held ${(done.events / done.seconds).toFixed(0)} events/s (target ${RATE}) over ${done.seconds.toFixed(1)} s: ` +
        `${done.events} events acknowledged, ${done.failures} failed requests, batch latency p50 ${formatMs(percentile(done.latencies, 50))} ` +
        `p99 ${formatMs(percentile(done.latencies, 99))}; reads took ${readSeconds.toFixed(1)} s`,
    );
    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    console.log(
      `freshness, ack → visible (poll GET overview every ${POLL_MS} ms until as_of ≥ the ack time T of the latest batch; ${lags.visible.length} probes` +
        `${lags.unfinished > 0 ? `, ${lags.unfinished} still waiting at the end` : ''}): ` +
        `p50 ${s(percentile(lags.visible, 50))}  p95 ${s(percentile(lags.visible, 95))}  max ${s(Math.max(...lags.visible))}`,
    );
    console.log(
      `freshness, request time − as_of over ${lags.trailing.length} overview answers: ` +
        `p50 ${s(percentile(lags.trailing, 50))}  p95 ${s(percentile(lags.trailing, 95))}  max ${s(Math.max(...lags.trailing))}`,
    );
  }
} finally {
  await server.stop();
}
process.exit(0);

interface LiveIngest {
  /** Date.now() when the latest batch was acknowledged (0 before the first). */
  lastAck(): number;
  stop(): Promise<{ events: number; seconds: number; failures: number; latencies: number[] }>;
}

/** Forks scripts/bench/live-ingest.ts: a second process, so the ingest does not share this event loop. */
function startLiveIngest(url: string, key: string): LiveIngest {
  const child = fork(
    join(ROOT, 'scripts/bench/live-ingest.ts'),
    ['--url', url, '--key', key, '--rate', String(RATE), '--artists', String(ARTISTS), '--users', String(USERS)],
    { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  let last = 0;
  let resolveDone: (v: { events: number; seconds: number; failures: number; latencies: number[] }) => void = () => {};
  const done = new Promise<{ events: number; seconds: number; failures: number; latencies: number[] }>((r) => {
    resolveDone = r;
  });
  child.on('message', (m: { type: string; at?: number; events?: number; seconds?: number; failures?: number; latencies?: number[] }) => {
    if (m.type === 'ack' && m.at !== undefined) last = Math.max(last, m.at);
    if (m.type === 'done') {
      resolveDone({ events: m.events ?? 0, seconds: m.seconds ?? 0, failures: m.failures ?? 0, latencies: m.latencies ?? [] });
    }
  });
  child.on('exit', (code) => {
    if (code !== 0) console.error(`live ingest process exited with ${code}`);
    resolveDone({ events: 0, seconds: 1, failures: 0, latencies: [] });
  });
  return {
    lastAck: () => last,
    stop: () => {
      child.send({ type: 'stop' });
      return done;
    },
  };
}

interface FreshnessProbe {
  stop(): Promise<{ visible: number[]; trailing: number[]; unfinished: number }>;
}

/**
 * About once a second: T = the ack time of the latest batch; poll `path` until its `as_of` ≥ T and
 * record how long that took (ack → visible). Every answer also records request time − as_of.
 */
function startFreshnessProbe(url: string, path: string, live: LiveIngest): FreshnessProbe {
  const visible: number[] = [];
  const trailing: number[] = [];
  let unfinished = 0;
  let stopping = false;
  const loop = (async () => {
    while (!stopping) {
      const roundStarted = Date.now();
      const t = live.lastAck();
      if (t > 0) {
        for (;;) {
          const sentAt = Date.now();
          const res = await apiCall<{ as_of?: string }>(url, adminToken, path);
          const asOf = Date.parse(String(res.body.as_of));
          if (res.status !== 200 || !Number.isFinite(asOf)) throw new Error(`overview answered ${res.status}: ${JSON.stringify(res.body)}`);
          trailing.push(Math.max(0, sentAt - asOf));
          if (asOf >= t) {
            visible.push(Date.now() - t);
            break;
          }
          if (stopping) {
            unfinished += 1;
            break;
          }
          await new Promise((r) => setTimeout(r, POLL_MS));
        }
      }
      await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (Date.now() - roundStarted))));
    }
  })();
  return {
    stop: async () => {
      stopping = true;
      await loop;
      return { visible, trailing, unfinished };
    },
  };
}
