import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { convertV4MiniflareOptions, Miniflare } from 'miniflare';
import { describe, expect, it } from 'vitest';
import { DEFAULT_EVENT_WEIGHTS, decay } from '../../contract/events.ts';
import { loadTrainingInput } from '../../models/data/load.ts';
import { LOCAL_ARCHIVE_BUCKET } from '../../models/data/read-local-archive.ts';
import { findLocalD1, readLocalD1 } from '../../models/data/read-local-d1.ts';
import { type Column, type EventRow, encodeEventsParquet } from '../../worker/archive/parquet.ts';

const DAY = 86_400_000;
const NOW = 1_800_000_000_000;
const root = join(import.meta.dirname, '..', '..');

const COLUMNS: Column[] = [
  { name: 'event_id', kind: 'STRING' },
  { name: 'user_id', kind: 'STRING' },
  { name: 'track_id', kind: 'STRING' },
  { name: 'type', kind: 'STRING' },
  { name: 'ts', kind: 'INT64' },
  { name: 'ms_played', kind: 'INT64' },
  { name: 'received_at', kind: 'INT64' },
];

const ev = (id: string, user: string, track: string, type: string, ts: number, ms: number | null): EventRow => ({
  event_id: id,
  user_id: user,
  track_id: track,
  type,
  ts,
  ms_played: ms,
  received_at: ts,
});

/** The SQL of the archive migration, so the fixture's manifest is the real table. */
function archiveMigration(): string {
  const file = readdirSync(join(root, 'migrations')).find((f) => /_archive\.sql$/.test(f));
  if (!file) throw new Error('no archive migration');
  return readFileSync(join(root, 'migrations', file), 'utf8').replaceAll('--> statement-breakpoint', '');
}

/**
 * A wrangler-dev persist folder: D1 (tracks, hot events, the manifest) and R2 written through
 * Miniflare under the bucket_name, as `wrangler dev --persist-to` does. `orphan` adds an object the
 * manifest does not list, as a crashed archive run leaves behind.
 */
async function persistDir(hot: EventRow[], parts: EventRow[][], orphan?: EventRow[]): Promise<string> {
  const persist = mkdtempSync(join(tmpdir(), 'backbeat-archive-'));
  const dir = join(persist, 'v3', 'd1', 'miniflare-D1DatabaseObject');
  mkdirSync(dir, { recursive: true });
  const db = new DatabaseSync(join(dir, 'db.sqlite'));
  db.exec(`CREATE TABLE tracks (id TEXT PRIMARY KEY, artist_id TEXT, duration_ms INTEGER, genre TEXT, tags TEXT, tempo REAL, key INTEGER,
    mode INTEGER, energy REAL, danceability REAL, valence REAL, acousticness REAL, instrumentalness REAL, speechiness REAL, liveness REAL, loudness REAL);
    CREATE TABLE events (event_id TEXT PRIMARY KEY, user_id TEXT, track_id TEXT, type TEXT, ts INTEGER, ms_played INTEGER, received_at INTEGER);`);
  db.exec(archiveMigration());
  for (const id of ['t1', 't2', 't3']) db.prepare('INSERT INTO tracks (id, duration_ms) VALUES (?, 200000)').run(id);
  const insert = db.prepare('INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?)');
  for (const r of hot) insert.run(...COLUMNS.map((c) => r[c.name] ?? null));

  const mf = new Miniflare(
    convertV4MiniflareOptions({
      modules: true,
      script: 'export default {}',
      r2Buckets: { ARCHIVE: LOCAL_ARCHIVE_BUCKET },
      resourcePersistencePath: join(persist, 'v3'),
    }),
  );
  try {
    const bucket = await mf.getR2Bucket('ARCHIVE');
    const manifest = db.prepare('INSERT INTO event_archive VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (const [i, rows] of parts.entries()) {
      const day = Math.floor(Number(rows[0]!.ts) / DAY);
      const key = `events/day=${new Date(day * DAY).toISOString().slice(0, 10)}/part-${i}.parquet`;
      const bytes = encodeEventsParquet(COLUMNS, rows, key);
      await bucket.put(key, bytes);
      const sha = Buffer.from(await crypto.subtle.digest('SHA-256', bytes)).toString('hex');
      manifest.run(key, day, rows.length, bytes.byteLength, sha, 'unused', NOW);
    }
    if (orphan) await bucket.put('events/day=2020-01-01/part-orphan.parquet', encodeEventsParquet(COLUMNS, orphan, '2020-01-01'));
  } finally {
    await mf.dispose();
    db.close();
  }
  return persist;
}

describe('trainer input from both tiers', () => {
  it('Should weigh archived and hot events together, ignore orphans, and take recency from the newest of either', async () => {
    const hot = [ev('h1', 'u1', 't1', 'play_end', NOW, 190_000), ev('h2', 'u2', 't2', 'save', NOW - DAY, null)];
    const archived = [
      [ev('a1', 'u1', 't1', 'play_end', NOW - 60 * DAY, 190_000), ev('a2', 'u3', 't3', 'play_end', NOW - 60 * DAY + 1, 40_000)],
      [ev('a3', 'u3', 't2', 'save', NOW - 30 * DAY, null)],
    ];
    const persist = await persistDir(hot, archived, [ev('o1', 'u9', 't1', 'save', NOW - 90 * DAY, null)]);
    const local = await readLocalD1(findLocalD1(persist), DEFAULT_EVENT_WEIGHTS, 30);
    expect([local.events, local.hotEvents, local.archivedEvents, local.archiveParts]).toEqual([5, 2, 3, 2]);
    const { interactions: x } = local;
    // Users in first-seen order over both tiers by time: the archive's u1, u3, then u2 from D1; no u9.
    expect(x.userIds).toEqual(['u1', 'u3', 'u2']);
    const strength = (user: string, track: string) => {
      const u = x.userIds.indexOf(user);
      const i = x.itemIds.indexOf(track);
      for (let k = x.byUser.indptr[u]!; k < x.byUser.indptr[u + 1]!; k++) if (x.byUser.indices[k] === i) return x.byUser.values[k]!;
      return undefined;
    };
    // u1/t1: a completion now (2) plus a completion 60 days ago (2 × 0.25)
    expect(strength('u1', 't1')).toBeCloseTo(2 + 2 * decay(NOW - 60 * DAY, NOW, 30), 6);
    expect(strength('u3', 't3')).toBeCloseTo(1 * decay(NOW - 60 * DAY + 1, NOW, 30), 6);
    expect(strength('u3', 't2')).toBeCloseTo(4 * 0.5, 6);
    expect(strength('u2', 't2')).toBeCloseTo(4 * decay(NOW - DAY, NOW, 30), 6);
  });

  it('Should measure recency from the archive when it holds the newest event, and count an id in both tiers once', async () => {
    const a = ev('a1', 'u1', 't1', 'save', NOW, null);
    const persist = await persistDir([ev('h1', 'u1', 't2', 'save', NOW - 30 * DAY, null), a], [[a]]);
    const local = await readLocalD1(findLocalD1(persist), DEFAULT_EVENT_WEIGHTS, 30);
    expect([local.events, local.hotEvents, local.archivedEvents]).toEqual([2, 1, 1]);
    expect(Array.from(local.interactions.byUser.values)).toEqual([4, 2]);
  });

  it('Should say in the training data string how many events came from each tier', async () => {
    const persist = await persistDir([ev('h1', 'u1', 't1', 'save', NOW, null)], [[ev('a1', 'u2', 't2', 'save', NOW - 40 * DAY, null)]]);
    const input = await loadTrainingInput({ fromLocal: true, persistTo: persist });
    expect(input.data).toMatch(/\(2 events: 1 hot from D1, 1 archived from R2 in 1 parts\)$/);
  });

  it('Should stop when the manifest lists a part that the local R2 does not hold', async () => {
    const persist = await persistDir([], [[ev('a1', 'u2', 't2', 'save', NOW, null)]]);
    const db = new DatabaseSync(findLocalD1(persist));
    db.prepare("UPDATE event_archive SET key = 'events/day=2027-01-15/part-gone.parquet'").run();
    db.close();
    await expect(readLocalD1(findLocalD1(persist), DEFAULT_EVENT_WEIGHTS, 30)).rejects.toThrow(
      /part-gone\.parquet is in the manifest .* but not in the local R2/,
    );
  });

  it('Should use the bucket name wrangler.toml gives the ARCHIVE binding (wrangler dev stores R2 under it)', () => {
    const toml = readFileSync(join(root, 'wrangler.toml'), 'utf8');
    expect(toml).toMatch(new RegExp(`binding = "ARCHIVE"\\s*\\nbucket_name = "${LOCAL_ARCHIVE_BUCKET}"`));
  });
});
