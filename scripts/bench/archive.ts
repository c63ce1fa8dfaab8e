/**
 * `npm run bench:archive`: how fast cold days move from D1 to Parquet in R2, and how many
 * bytes an event takes in each tier.
 *
 * 1. Generates `--events` synthetic events (default 100 000) over `--days` UTC days (default 1)
 *    well outside the hot window, straight into a fresh local D1 (node:sqlite, Worker stopped), and
 *    measures what they cost in the D1 file (table and its five indexes, from dbstat).
 * 2. Starts wrangler dev on that state and calls POST /v1/admin/archive/run (the cron's code path:
 *    read, write Parquet, read back and verify every cell, commit), timing it.
 * 3. Prints rows/s, Parquet bytes per event and D1 bytes per event, with the machine's cores and load.
 *
 * Options: --events N (100000) --days N (1) --port P (a free one)
 */

import { rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { parseArgs } from 'node:util';
import { findLocalD1 } from '../../models/data/read-local-d1.ts';
import { mulberry32 } from '../../models/train/random.ts';
import { apiCall, applyLocalMigrations, ensureAssetsDir, freePort, ROOT, startDevServer } from '../lib/local-worker.ts';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '100000' },
    days: { type: 'string', default: '1' },
    port: { type: 'string' },
  },
});
const EVENTS = Number(values.events);
const DAYS = Number(values.days);
const DAY = 86_400_000;
const persistTo = join(ROOT, '.wrangler/state-archive-bench');
const adminToken = 'bench-archive-admin-token';
const TYPES = ['play_start', 'play_end', 'play_end', 'skip', 'save', 'playlist_add'];
const SOURCES = ['algorithmic', 'search', 'library', 'playlist', null];
const DEVICES = ['ios', 'android', 'web', 'desktop'];

/** Bytes of the events table and its indexes, from SQLite's dbstat (page-level, so free space excluded). */
function eventsBytes(db: DatabaseSync): { table: number; indexes: number } {
  const rows = db
    .prepare("SELECT name, sum(pgsize - unused) AS used FROM dbstat WHERE name = 'events' OR name LIKE 'events_%' GROUP BY name")
    .all() as { name: string; used: number }[];
  let table = 0;
  let indexes = 0;
  for (const r of rows) {
    if (r.name === 'events') table += Number(r.used);
    else indexes += Number(r.used);
  }
  return { table, indexes };
}

function generate(): { table: number; indexes: number; firstDay: number } {
  rmSync(persistTo, { recursive: true, force: true });
  applyLocalMigrations(persistTo);
  const db = new DatabaseSync(findLocalD1(persistTo));
  const rand = mulberry32(7);
  const firstDay = Math.floor(Date.now() / DAY) - 120;
  const receivedAt = Date.now() - 30 * DAY;
  const before = eventsBytes(db);
  db.exec('BEGIN');
  const ins = db.prepare(
    `INSERT INTO events (event_id, user_id, track_id, type, ts, ms_played, source, surface, rec_id, position, playlist_id, device, received_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (let i = 0; i < EVENTS; i++) {
    const type = TYPES[Math.floor(rand() * TYPES.length)] as string;
    const source = SOURCES[Math.floor(rand() * SOURCES.length)] ?? null;
    const algorithmic = source === 'algorithmic';
    const hex = () =>
      Math.floor(rand() * 0x10000)
        .toString(16)
        .padStart(4, '0');
    ins.run(
      `${hex()}${hex()}-${hex()}-4${hex().slice(1)}-a${hex().slice(1)}-${hex()}${hex()}${hex()}`,
      `u${Math.floor(rand() * 20_000)}`,
      `t${Math.floor(rand() * 50_000)}`,
      type,
      (firstDay + (i % DAYS)) * DAY + Math.floor(rand() * DAY),
      type === 'play_end' || type === 'skip' ? Math.floor(rand() * 240_000) : null,
      source,
      algorithmic ? 'home' : null,
      algorithmic ? `r${Math.floor(rand() * 1e9)}` : null,
      algorithmic ? Math.floor(rand() * 20) : null,
      type === 'playlist_add' ? `p${Math.floor(rand() * 1e6)}` : null,
      DEVICES[Math.floor(rand() * DEVICES.length)] as string,
      receivedAt + i,
    );
  }
  db.exec('COMMIT');
  const after = eventsBytes(db);
  db.close();
  return { table: after.table - before.table, indexes: after.indexes - before.indexes, firstDay };
}

const started = performance.now();
const d1 = generate();
console.log(`generated ${EVENTS} events over ${DAYS} day(s) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
ensureAssetsDir();
const server = await startDevServer({
  port: values.port ? Number(values.port) : await freePort(),
  persistTo,
  vars: { ADMIN_TOKEN: adminToken },
});
try {
  const load = loadavg()[0]!.toFixed(2);
  const t0 = performance.now();
  const run = await apiCall<{ parts: { rows: number; bytes: number }[]; rows: number; bytes: number; skipped: unknown[] }>(
    server.url,
    adminToken,
    '/v1/admin/archive/run',
    { body: { max_days: 365 } },
  );
  const seconds = (performance.now() - t0) / 1000;
  if (run.status !== 200) throw new Error(`archive run answered ${run.status}: ${JSON.stringify(run.body)}`);
  if (run.body.rows !== EVENTS) throw new Error(`archived ${run.body.rows} of ${EVENTS} events: ${JSON.stringify(run.body.skipped)}`);
  const left = new DatabaseSync(findLocalD1(persistTo), { readOnly: true }).prepare('SELECT count(*) AS n FROM events').get() as {
    n: number;
  };
  console.log(
    JSON.stringify(
      {
        events: EVENTS,
        days: DAYS,
        parts: run.body.parts.length,
        seconds: Number(seconds.toFixed(2)),
        rowsPerSecond: Math.round(EVENTS / seconds),
        parquetBytesPerEvent: Number((run.body.bytes / EVENTS).toFixed(1)),
        d1BytesPerEvent: {
          table: Number((d1.table / EVENTS).toFixed(1)),
          withIndexes: Number(((d1.table + d1.indexes) / EVENTS).toFixed(1)),
        },
        leftInD1: left.n,
        machine: { cores: cpus().length, cpu: cpus()[0]?.model, load1mBefore: Number(load), load1mAfter: Number(loadavg()[0]!.toFixed(2)) },
      },
      null,
      2,
    ),
  );
} finally {
  await server.stop();
}
