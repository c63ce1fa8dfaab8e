/**
 * `npm run bench:storage`: D1 rows and bytes after N days of steady ingest.
 *
 * 1. Generates the world straight into a scratch local D1 SQLite file (node:sqlite, Worker stopped):
 *    artists (Zipf-like popularity, 4 tracks each), listeners (half with a time zone) and, for each of
 *    --days days, --events-per-day events per listener (play_start + play_end/skip pairs, some saves)
 *    with the columns API ingestion fills: a UUID-long event_id, received_at, and a batch_id per
 *    100 events, as POST /v1/events writes them. Every generated day is marked in analytics_dirty_days.
 * 2. Unless --no-rollups, starts wrangler dev and builds the rollups through
 *    POST /v1/admin/analytics/refresh, so the figure includes what the rollups take.
 * 3. Prints rows and bytes per table (indexes included) with the archive off: every raw event in D1
 *    (after a VACUUM, like the archive-on copy, so the two differ by the deleted events only).
 *    Bytes come from `SELECT sum(pgsize) FROM dbstat` when SQLite has dbstat, else page_count × page_size.
 * 4. Archive on, D1 side: a copy of the file with events older than --hot-days (EVENTS_HOT_DAYS, 35)
 *    deleted and VACUUMed. The archive's Parquet bytes in R2 are not measured here.
 *
 * Options: --listeners N (20000) --events-per-day N per listener (50) --days N (60) --artists N
 * (listeners / 4) --hot-days N (35) --port P (a free port) --no-rollups.
 */
import { copyFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { parseArgs } from 'node:util';
import { findLocalD1 } from '../../models/data/read-local-d1.ts';
import { mulberry32 } from '../../models/train/random.ts';
import { refreshAnalytics } from '../demo/analytics-refresh.ts';
import { sampleCumulative } from '../demo/rng.ts';
import { catalogueInserts } from '../lib/local-d1.ts';
import { applyLocalMigrations, ensureAssetsDir, freePort, ROOT, startDevServer } from '../lib/local-worker.ts';

const { values } = parseArgs({
  options: {
    listeners: { type: 'string', default: '20000' },
    'events-per-day': { type: 'string', default: '50' },
    days: { type: 'string', default: '60' },
    artists: { type: 'string' },
    'hot-days': { type: 'string', default: '35' },
    port: { type: 'string' },
    'no-rollups': { type: 'boolean', default: false },
  },
});
const LISTENERS = Number(values.listeners);
const PER_DAY = Number(values['events-per-day']);
const DAYS = Number(values.days);
const ARTISTS = values.artists ? Number(values.artists) : Math.max(100, Math.round(LISTENERS / 4));
const HOT_DAYS = Number(values['hot-days']);
const TRACKS_PER_ARTIST = 4;
const DAY = 86_400_000;
const persistTo = join(ROOT, '.wrangler/state-bench-storage');
const adminToken = 'bench-storage-admin-token';
for (const [name, v] of Object.entries({ LISTENERS, PER_DAY, DAYS, ARTISTS, HOT_DAYS })) {
  if (!Number.isInteger(v) || v <= 0) throw new Error(`${name} must be a positive integer`);
}

const ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'America/Los_Angeles', 'Asia/Kolkata', 'Australia/Sydney'];
const GENRES = ['indie', 'pop', 'rock', 'hip-hop', 'electronic', 'jazz'];

function hex(rand: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += Math.floor(rand() * 16).toString(16);
  return s;
}
/** UUID-shaped (36 characters), as client-generated event ids and the Worker's batch ids are. */
const uuid = (rand: () => number) => `${hex(rand, 8)}-${hex(rand, 4)}-4${hex(rand, 3)}-a${hex(rand, 3)}-${hex(rand, 12)}`;

function generate(): { events: number; firstDay: number; today: number } {
  rmSync(persistTo, { recursive: true, force: true });
  applyLocalMigrations(persistTo);
  const db = new DatabaseSync(findLocalD1(persistTo));
  const rand = mulberry32(42);
  const now = Date.now();
  const today = Math.floor(now / DAY);
  const firstDay = today - DAYS + 1;
  db.exec('BEGIN');
  const { artist: insArtist, track: insTrack } = catalogueInserts(db);
  const durations: number[] = [];
  for (let a = 0; a < ARTISTS; a++) {
    insArtist.run(`a${a}`, `Artist ${a}`, now, now);
    for (let t = 0; t < TRACKS_PER_ARTIST; t++) {
      const duration = 120_000 + Math.floor(rand() * 180_000);
      durations.push(duration);
      insTrack.run(
        `t${a}-${t}`,
        `a${a}`,
        `Track ${a}-${t}`,
        duration,
        GENRES[a % GENRES.length] as string,
        rand(),
        rand(),
        rand(),
        rand(),
        120,
        now,
        now,
      );
    }
  }
  const insUser = db.prepare('INSERT INTO users (id, timezone, country, first_seen_at) VALUES (?, ?, NULL, ?)');
  for (let u = 0; u < LISTENERS; u++) insUser.run(`u${u}`, u % 2 === 0 ? (ZONES[u % ZONES.length] as string) : null, now);
  db.exec('COMMIT');

  const cumulative: number[] = [];
  let total = 0;
  for (let a = 0; a < ARTISTS; a++) {
    total += 1 / (a + 1) ** 0.8;
    cumulative.push(total);
  }
  // Each listener mostly plays 10 favourite artists (popularity-weighted), sometimes anyone.
  const favourites = Array.from({ length: LISTENERS }, () => Array.from({ length: 10 }, () => sampleCumulative(cumulative, rand())));
  const insEvent = db.prepare(
    `INSERT INTO events (event_id, user_id, track_id, type, ts, ms_played, source, surface, rec_id, position, playlist_id, device, received_at, batch_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL, NULL, ?, ?)`,
  );
  let events = 0;
  let batchId = uuid(rand);
  const insert = (user: string, track: string, type: string, ts: number, ms: number | null, source: string, surface: string | null) => {
    if (events % 100 === 0) batchId = `b_${uuid(rand)}`;
    insEvent.run(uuid(rand), user, track, type, ts, ms, source, surface, ts + 2_000, batchId);
    events += 1;
  };
  for (let day = firstDay; day <= today; day++) {
    db.exec('BEGIN');
    for (let u = 0; u < LISTENERS; u++) {
      const user = `u${u}`;
      const fav = favourites[u] as number[];
      // Plays of about 3.5 minutes back to back from a random start, two events each (+ a few saves).
      let ts = day * DAY + Math.floor(rand() * (DAY / 2));
      let n = 0;
      while (n < PER_DAY) {
        const a = rand() < 0.8 ? (fav[Math.floor(rand() * fav.length)] as number) : sampleCumulative(cumulative, rand());
        const t = Math.floor(rand() * TRACKS_PER_ARTIST);
        const track = `t${a}-${t}`;
        const duration = durations[a * TRACKS_PER_ARTIST + t] as number;
        const algorithmic = rand() < 0.3;
        const source = algorithmic ? 'algorithmic' : 'library';
        const surface = algorithmic ? 'home' : null;
        const full = rand() < 0.6;
        const ms = full ? Math.floor(duration * (0.92 + rand() * 0.08)) : 1_000 + Math.floor(rand() * 60_000);
        insert(user, track, 'play_start', ts, null, source, surface);
        n += 1;
        if (n < PER_DAY) {
          insert(user, track, full ? 'play_end' : 'skip', ts + ms, ms, source, surface);
          n += 1;
        }
        if (n < PER_DAY && rand() < 0.03) {
          insert(user, track, 'save', ts + ms + 1_000, null, source, surface);
          n += 1;
        }
        ts += ms + 2_000;
      }
    }
    db.exec('COMMIT');
  }
  const mark = db.prepare('INSERT INTO analytics_dirty_days (day, version, marked_at) VALUES (?, 1, ?) ON CONFLICT (day) DO NOTHING');
  for (let d = firstDay; d <= today + 1; d++) mark.run(d, now);
  db.close();
  return { events, firstDay, today };
}

interface TableSize {
  table: string;
  rows: number;
  bytes: number;
}

/** Rows and bytes (the table's b-tree and its indexes) per table, and the file's total. */
function measure(file: string): { tables: TableSize[]; total: number; method: string } {
  const db = new DatabaseSync(file, { readOnly: true });
  const owner = new Map<string, string>();
  for (const r of db.prepare(`SELECT name, tbl_name FROM sqlite_schema WHERE type IN ('table', 'index')`).all() as {
    name: string;
    tbl_name: string;
  }[])
    owner.set(r.name, r.tbl_name);
  const tables = [...new Set(owner.values())].filter((t) => !t.startsWith('sqlite_') && t !== '_cf_METADATA' && t !== 'd1_migrations');
  let method = 'dbstat';
  const bytes = new Map<string, number>();
  let total: number;
  try {
    for (const r of db.prepare('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name').all() as { name: string; bytes: number }[]) {
      const t = owner.get(r.name) ?? r.name;
      bytes.set(t, (bytes.get(t) ?? 0) + r.bytes);
    }
    total = (db.prepare('SELECT sum(pgsize) AS n FROM dbstat').get() as { n: number }).n;
  } catch {
    method = 'page_count × page_size (no dbstat: per table figures unavailable)';
    const pages = (db.prepare('PRAGMA page_count').get() as { page_count: number }).page_count;
    const size = (db.prepare('PRAGMA page_size').get() as { page_size: number }).page_size;
    total = pages * size;
  }
  const sizes = tables.map((table) => ({
    table,
    rows: (db.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n,
    bytes: bytes.get(table) ?? Number.NaN,
  }));
  db.close();
  return { tables: sizes.filter((t) => t.rows > 0).sort((a, b) => b.bytes - a.bytes), total, method };
}

const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
function print(title: string, m: ReturnType<typeof measure>): void {
  console.log(`\n${title} (bytes by ${m.method}):`);
  console.log(`${'table (with its indexes)'.padEnd(28)}${'rows'.padStart(13)}${'bytes'.padStart(13)}${'bytes/row'.padStart(11)}`);
  for (const t of m.tables) {
    console.log(
      `${t.table.padEnd(28)}${String(t.rows).padStart(13)}${mb(t.bytes).padStart(13)}${(t.bytes / t.rows).toFixed(0).padStart(11)}`,
    );
  }
  console.log(`${'total'.padEnd(28)}${String(m.tables.reduce((s, t) => s + t.rows, 0)).padStart(13)}${mb(m.total).padStart(13)}`);
}

const t0 = performance.now();
const g = generate();
console.log(
  `generated ${LISTENERS} listeners × ${PER_DAY} events/day × ${DAYS} days = ${g.events} events (${ARTISTS} artists, ` +
    `${ARTISTS * TRACKS_PER_ARTIST} tracks) into the local D1 file in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);
const file = findLocalD1(persistTo);
if (!values['no-rollups']) {
  ensureAssetsDir();
  const port = values.port ? Number(values.port) : await freePort();
  const server = await startDevServer({ port, persistTo, vars: { ADMIN_TOKEN: adminToken } });
  try {
    const t1 = performance.now();
    const r = await refreshAnalytics(server.url, adminToken, undefined, 5);
    console.log(
      `rollups: ${r.refreshed} days built through /v1/admin/analytics/refresh in ${((performance.now() - t1) / 1000).toFixed(1)} s`,
    );
  } finally {
    await server.stop();
  }
}
{
  // Fold the write-ahead log into the file and VACUUM, so both figures are of compact files and
  // their difference is the deleted events only (the day recomputes leave free pages behind).
  const db = new DatabaseSync(file);
  db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  db.exec('VACUUM');
  db.close();
}
const off = measure(file);
print(`archive off: every raw event in D1, ${DAYS} days; file ${mb(statSync(file).size)}`, off);

const hotFile = join(persistTo, 'archive-on.sqlite');
copyFileSync(file, hotFile);
{
  const db = new DatabaseSync(hotFile);
  const cutoff = (g.today - HOT_DAYS + 1) * DAY;
  const t2 = performance.now();
  const deleted = db.prepare('DELETE FROM events WHERE ts < ?').run(cutoff).changes;
  db.exec('VACUUM');
  db.close();
  console.log(
    `\narchive on: deleted ${deleted} events older than ${HOT_DAYS} days (ts < ${new Date(cutoff).toISOString().slice(0, 10)}) and VACUUMed ` +
      `in ${((performance.now() - t2) / 1000).toFixed(1)} s (a copy of the file)`,
  );
}
const on = measure(hotFile);
print(`archive on, D1 side only (the R2 Parquet bytes are measured separately); file ${mb(statSync(hotFile).size)}`, on);
const listenerDays = LISTENERS * DAYS;
console.log(
  `\nD1 total: ${mb(off.total)} with every event vs ${mb(on.total)} with ${HOT_DAYS} hot days (${((1 - on.total / off.total) * 100).toFixed(0)} % less); ` +
    `per listener-day ${(off.total / listenerDays / 1000).toFixed(1)} kB vs ${(on.total / listenerDays / 1000).toFixed(1)} kB`,
);
