/**
 * Tiered event storage: D1 keeps the hot window of raw `events`; older UTC days move to R2 as Parquet.
 *
 * One part moves in four steps, and only the last one changes what readers see:
 *   1. read  — the part's rows from D1 (every column the table has, whatever they are);
 *   2. write — Parquet to `events/day=YYYY-MM-DD/part-<digest of the event ids>.parquet`; the same
 *              rows always give the same key, so a rerun after a crash overwrites its own orphan;
 *   3. verify — read the object back from R2 and compare its bytes' SHA-256 and every cell;
 *   4. commit — ONE D1 batch inserts the manifest row (`event_archive`) and deletes exactly the
 *              verified event ids. D1 runs a batch as one transaction: both happen or neither.
 * A crash before 4 leaves the events in D1 and at most an unlisted object in R2 (readers ignore it);
 * after 4 the move is complete. Rollups are derived tables in D1 and are not touched.
 *
 * Days the rollups have not caught up with (marked in `analytics_dirty_days`, with a batch whose delta
 * is pending, or with events received in the last SETTLE_MS) are skipped: deltas and recomputes read
 * raw events, so they must stay until those have run.
 */
import { ARCHIVE_PREFIX, dayOfKey, dayString, partKey } from '../../contract/archive-layout.ts';
import { DAY_MS } from '../../contract/events.ts';
import { ERASURE_LEASE_KEY } from '../db/privacy.ts';
import { ArchiveError, type Column, type EventRow, encodeEventsParquet, firstDifference, kindOf, parseEventsParquet } from './parquet.ts';

export { ArchiveError, type Cell, type EventRow } from './parquet.ts';

/** Rows per Parquet part unless the caller says otherwise. */
export const DEFAULT_MAX_ROWS_PER_PART = 100_000;
/** A day whose newest event was received this recently is left for the next run (rollups first). */
export const SETTLE_MS = 15 * 60_000;
/** Rows read from D1 per query while a part fills. */
const PAGE_ROWS = 10_000;
/** Each DELETE binds one JSON array of ids; D1 caps a bound string at 2 MB, so chunks stay well under. */
const DELETE_CHUNK_CHARS = 500_000;
/** Cold days a run examines beyond `maxDays`, so skipped days do not stall the ones after them. */
const EXTRA_DAYS_EXAMINED = 30;

export interface ArchiveDeps {
  db: D1Database;
  bucket: R2Bucket;
}

export interface ArchiveOptions {
  /** The clock, ms. Today is `floor(now / DAY)`. */
  now: number;
  /** Days before today that stay in D1: day d is cold when d < today - hotDays. */
  hotDays: number;
  /** Most days moved by this run, oldest first. */
  maxDays: number;
  maxRowsPerPart?: number;
  /** Test hook: throw right after that step of the first part. */
  failAt?: 'after-write' | 'after-verify';
}

export interface ArchivedPart {
  day: number;
  rows: number;
  key: string;
  bytes: number;
}

export interface ArchiveResult {
  /** One entry per part committed by this run. */
  days: ArchivedPart[];
  rows: number;
  bytes: number;
  /** Cold days left in D1 by this run, and why (`rollup_pending`, `recently_received`, `not_settled`, `part_committed_already`). */
  skipped: { day: number; reason: string }[];
}

async function eventColumns(db: D1Database): Promise<Column[]> {
  const { results } = await db.prepare('PRAGMA table_info(events)').all<{ name: string; type: string }>();
  if (results.length === 0) throw new ArchiveError('events_table_missing', 'There is no events table to archive');
  return results.map((c) => ({ name: c.name, kind: kindOf(c.name, c.type) }));
}

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

async function sha256(data: BufferSource): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', data));
}

/**
 * Order-independent digest of a set of event ids: the XOR of each id's SHA-256, in hex. The part's
 * key is derived from it, so the same ids always land under the same key whichever order they come in.
 *
 * @example await eventIdDigest(['e1', 'e2']) === await eventIdDigest(['e2', 'e1'])
 */
export async function eventIdDigest(ids: readonly string[]): Promise<string> {
  const acc = new Uint8Array(32);
  const encoder = new TextEncoder();
  for (let i = 0; i < ids.length; i += 1000) {
    const hashes = await Promise.all(ids.slice(i, i + 1000).map((id) => sha256(encoder.encode(id))));
    for (const h of hashes) for (let j = 0; j < 32; j++) acc[j]! ^= h[j]!;
  }
  return hex(acc);
}

/** Oldest cold days first, one index seek on events_ts_idx per day. */
async function coldDays(db: D1Database, cutoff: number, limit: number): Promise<number[]> {
  const days: number[] = [];
  let from = Number.MIN_SAFE_INTEGER;
  const next = db.prepare('SELECT min(ts) AS ts FROM events WHERE ts >= ?1 AND ts < ?2');
  while (days.length < limit) {
    const row = await next.bind(from, cutoff).first<{ ts: number | null }>();
    if (row?.ts === null || row?.ts === undefined) break;
    const day = Math.floor(row.ts / DAY_MS);
    days.push(day);
    from = (day + 1) * DAY_MS;
  }
  return days;
}

/** An event of the day whose batch delta is not in the rollups yet (it joins the events by batch id). */
const PENDING_IN_DAY = (from: string, to: string) =>
  `SELECT 1 FROM rollup_pending p JOIN events e ON e.batch_id = p.batch_id WHERE e.ts >= ${from} AND e.ts < ${to}`;

/**
 * The guard the commit re-checks inside its transaction: the rollups have seen every event of the day,
 * and no erasure holds the lease (it rewrites parts from the manifest it read, and a part committed
 * meanwhile could hold rows of the listener it had already taken out of the rollups).
 */
const SETTLED = `NOT EXISTS (SELECT 1 FROM settings WHERE key = '${ERASURE_LEASE_KEY}' AND CAST(value AS INTEGER) > ?7)
  AND NOT EXISTS (SELECT 1 FROM analytics_dirty_days WHERE day = ?2)
  AND NOT EXISTS (SELECT 1 FROM events WHERE ts >= ?8 AND ts < ?9 AND received_at > ?10)
  AND NOT EXISTS (${PENDING_IN_DAY('?8', '?9')})`;

function jsonChunks(ids: readonly string[]): string[] {
  const chunks: string[] = [];
  let current: string[] = [];
  let chars = 0;
  for (const id of ids) {
    const len = JSON.stringify(id).length + 1;
    if (chars + len > DELETE_CHUNK_CHARS && current.length > 0) {
      chunks.push(JSON.stringify(current));
      current = [];
      chars = 0;
    }
    current.push(id);
    chars += len;
  }
  if (current.length > 0) chunks.push(JSON.stringify(current));
  return chunks;
}

/**
 * Steps 2 and 3 of a move: writes the rows as Parquet under `key` and reads them back, comparing the
 * bytes' SHA-256 and every cell. `afterWrite` is the test hook between the two.
 */
async function putVerified(
  bucket: R2Bucket,
  part: { key: string; day: number; idHash: string; columns: readonly Column[]; rows: readonly EventRow[] },
  afterWrite: () => void = () => {},
): Promise<{ body: Uint8Array; digest: string }> {
  const { key, columns, rows } = part;
  const body = encodeEventsParquet(columns, rows, dayString(part.day));
  const digest = hex(await sha256(body));
  await bucket.put(key, body, {
    httpMetadata: { contentType: 'application/vnd.apache.parquet' },
    customMetadata: { rows: String(rows.length), event_id_hash: part.idHash },
    sha256: digest,
  });
  afterWrite();
  const object = await bucket.get(key);
  if (!object) throw new ArchiveError('archive_verify_failed', `${key} is not in R2 right after it was written`);
  const readBack = await object.arrayBuffer();
  if (hex(await sha256(readBack)) !== digest) throw new ArchiveError('archive_verify_failed', `${key}: the bytes read back differ`);
  const difference = firstDifference(columns, rows, await parseEventsParquet(readBack));
  if (difference) throw new ArchiveError('archive_verify_failed', `${key}: ${difference}`);
  return { body, digest };
}

type PartOutcome = { committed: true; part: ArchivedPart } | { committed: false; reason: string };

async function movePart(
  deps: ArchiveDeps,
  columns: Column[],
  day: number,
  rows: EventRow[],
  o: ArchiveOptions,
  inject: boolean,
): Promise<PartOutcome> {
  const ids = rows.map((r) => String(r.event_id));
  const idHash = await eventIdDigest(ids);
  const key = partKey(day, idHash);
  const existing = await deps.db.prepare('SELECT 1 AS x FROM event_archive WHERE key = ?1').bind(key).first();
  // The same id set is committed already: these rows were re-ingested after archiving. Overwriting the
  // committed object is never safe, so they stay in D1 and the day is reported.
  if (existing) return { committed: false, reason: 'part_committed_already' };

  const { body, digest } = await putVerified(deps.bucket, { key, day, idHash, columns, rows }, () => {
    if (inject && o.failAt === 'after-write') throw new ArchiveError('injected_failure', `failAt after-write: ${key}`);
  });
  if (inject && o.failAt === 'after-verify') throw new ArchiveError('injected_failure', `failAt after-verify: ${key}`);

  const from = day * DAY_MS;
  const to = from + DAY_MS;
  const insert = deps.db
    .prepare(
      `INSERT INTO event_archive (key, day, rows, bytes, sha256, event_id_hash, created_at)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 WHERE ${SETTLED}
       ON CONFLICT (key) DO NOTHING`,
    )
    .bind(key, day, rows.length, body.byteLength, digest, idHash, o.now, from, to, o.now - SETTLE_MS);
  // Each delete removes only listed ids, and only once the manifest row exists in this transaction.
  const deletes = jsonChunks(ids).map((chunk) =>
    deps.db
      .prepare(
        `DELETE FROM events WHERE event_id IN (SELECT value FROM json_each(?1))
         AND EXISTS (SELECT 1 FROM event_archive WHERE key = ?2)`,
      )
      .bind(chunk, key),
  );
  const [inserted] = await deps.db.batch([insert, ...deletes]);
  if ((inserted?.meta.changes ?? 0) === 0) return { committed: false, reason: 'not_settled' };
  return { committed: true, part: { day, rows: rows.length, key, bytes: body.byteLength } };
}

/**
 * Moves up to `maxDays` cold UTC days (oldest first) from D1 `events` to Parquet in R2, verified and
 * committed part by part. Safe to crash at any point and to rerun: nothing is lost, nothing is listed
 * twice. A row inserted while a day moves stays in D1 for the next run.
 *
 * @example
 * await archiveColdDays({ db: env.DB, bucket: env.ARCHIVE }, { now: Date.now(), hotDays: 35, maxDays: 3 })
 * // { days: [{ day: 20000, rows: 81234, key: 'events/day=2024-10-04/part-….parquet', bytes: 1203400 }], rows: 81234, bytes: 1203400, skipped: [] }
 */
export async function archiveColdDays(deps: ArchiveDeps, o: ArchiveOptions): Promise<ArchiveResult> {
  if (!Number.isInteger(o.hotDays) || o.hotDays < 0)
    throw new ArchiveError('invalid_hot_days', `hotDays must be an integer >= 0, got ${o.hotDays}`);
  if (!Number.isInteger(o.maxDays) || o.maxDays < 1)
    throw new ArchiveError('invalid_max_days', `maxDays must be an integer >= 1, got ${o.maxDays}`);
  const maxRows = o.maxRowsPerPart ?? DEFAULT_MAX_ROWS_PER_PART;
  if (!Number.isInteger(maxRows) || maxRows < 1)
    throw new ArchiveError('invalid_max_rows', `maxRowsPerPart must be an integer >= 1, got ${maxRows}`);

  const result: ArchiveResult = { days: [], rows: 0, bytes: 0, skipped: [] };
  const cutoff = (Math.floor(o.now / DAY_MS) - o.hotDays) * DAY_MS;
  const days = await coldDays(deps.db, cutoff, o.maxDays + EXTRA_DAYS_EXAMINED);
  if (days.length === 0) return result;
  const columns = await eventColumns(deps.db);
  if (!columns.some((c) => c.name === 'event_id')) throw new ArchiveError('events_table_missing', 'events has no event_id column');
  let inject = o.failAt !== undefined;
  let moved = 0;

  for (const day of days) {
    if (moved >= o.maxDays) break;
    const from = day * DAY_MS;
    const to = from + DAY_MS;
    const dirty = await deps.db.prepare('SELECT 1 AS x FROM analytics_dirty_days WHERE day = ?1').bind(day).first();
    const recent = await deps.db
      .prepare('SELECT 1 AS x FROM events WHERE ts >= ?1 AND ts < ?2 AND received_at > ?3 LIMIT 1')
      .bind(from, to, o.now - SETTLE_MS)
      .first();
    const pending = await deps.db
      .prepare(`${PENDING_IN_DAY('?1', '?2')} LIMIT 1`)
      .bind(from, to)
      .first();
    if (dirty || recent || pending) {
      result.skipped.push({ day, reason: dirty ? 'rollup_pending' : pending ? 'delta_pending' : 'recently_received' });
      continue;
    }
    let after: string | null = null;
    let part: EventRow[] = [];
    let dayMoved = false;
    const flush = async () => {
      const outcome = await movePart(deps, columns, day, part, o, inject);
      inject = false;
      part = [];
      if (!outcome.committed) return outcome.reason;
      result.days.push(outcome.part);
      result.rows += outcome.part.rows;
      result.bytes += outcome.part.bytes;
      dayMoved = true;
      return null;
    };
    let refused: string | null = null;
    for (;;) {
      const { results }: D1Result<EventRow> = await deps.db
        .prepare('SELECT * FROM events WHERE ts >= ?1 AND ts < ?2 AND (?3 IS NULL OR event_id > ?3) ORDER BY event_id LIMIT ?4')
        .bind(from, to, after, Math.min(PAGE_ROWS, maxRows - part.length))
        .all<EventRow>();
      if (results.length === 0) break;
      part.push(...results);
      after = String(results[results.length - 1]!.event_id);
      if (part.length >= maxRows) {
        refused = await flush();
        if (refused) break;
      }
    }
    if (!refused && part.length > 0) refused = await flush();
    if (refused) result.skipped.push({ day, reason: refused });
    if (dayMoved) moved++;
  }
  return result;
}

/** An unlisted object must be at least this old before the sweep deletes it. */
export const ORPHAN_GRACE_MS = 60 * 60_000;

export interface SweepResult {
  examined: number;
  deleted: string[];
  /** True when `maxObjects` stopped the listing before the end of the bucket. */
  truncated: boolean;
}

/**
 * Deletes orphans: objects under `events/` that the manifest does not list, left by runs that
 * crashed after writing (readers that list R2 directly, such as DuckDB over the folder, would
 * otherwise count their rows twice). An object is deleted only when, besides being unlisted and
 * older than ORPHAN_GRACE_MS, its day has no events left in D1: a run commits a part only while its
 * rows are still in D1, and a row received now cannot be committed for SETTLE_MS, so no live run can
 * still be about to list it.
 *
 * @example await sweepOrphans({ db: env.DB, bucket: env.ARCHIVE }, { now: Date.now() }) // { examined: 412, deleted: [], truncated: false }
 */
export async function sweepOrphans(deps: ArchiveDeps, o: { now: number; maxObjects?: number }): Promise<SweepResult> {
  const maxObjects = o.maxObjects ?? 50_000;
  const result: SweepResult = { examined: 0, deleted: [], truncated: false };
  let cursor: string | undefined;
  do {
    const page = await deps.bucket.list({ prefix: ARCHIVE_PREFIX, cursor, limit: Math.min(1000, maxObjects - result.examined) });
    result.examined += page.objects.length;
    const old = page.objects.filter((obj) => obj.uploaded.getTime() < o.now - ORPHAN_GRACE_MS);
    if (old.length > 0) {
      const { results } = await deps.db
        .prepare('SELECT key FROM event_archive WHERE key IN (SELECT value FROM json_each(?1))')
        .bind(JSON.stringify(old.map((obj) => obj.key)))
        .all<{ key: string }>();
      const listed = new Set(results.map((r) => r.key));
      const unlisted = old.filter((obj) => !listed.has(obj.key));
      const busy = new Map<number, boolean>();
      for (const obj of unlisted) {
        const day = dayOfKey(obj.key);
        if (day === null) continue; // not an archive part: not ours to delete
        if (!busy.has(day)) {
          const row = await deps.db
            .prepare('SELECT 1 AS x FROM events WHERE ts >= ?1 AND ts < ?2 LIMIT 1')
            .bind(day * DAY_MS, (day + 1) * DAY_MS)
            .first();
          busy.set(day, row !== null);
        }
        if (busy.get(day)) continue;
        await deps.bucket.delete(obj.key);
        result.deleted.push(obj.key);
      }
    }
    cursor = page.truncated ? page.cursor : undefined;
    if (cursor && result.examined >= maxObjects) {
      result.truncated = true;
      break;
    }
  } while (cursor);
  return result;
}

export interface ManifestEntry {
  key: string;
  day: number;
  rows: number;
  bytes: number;
  sha256: string;
  eventIdHash: string;
  createdAt: number;
}

/**
 * The committed parts, oldest day first (optionally one day only). Only these exist for readers.
 *
 * @example await listArchive(env.DB, { limit: 100 })
 */
export async function listArchive(db: D1Database, o: { day?: number; limit?: number } = {}): Promise<ManifestEntry[]> {
  const { results } = await db
    .prepare(
      `SELECT key, day, rows, bytes, sha256, event_id_hash AS eventIdHash, created_at AS createdAt FROM event_archive
       WHERE ?1 IS NULL OR day = ?1 ORDER BY day, key LIMIT ?2`,
    )
    .bind(o.day ?? null, o.limit ?? -1)
    .all<ManifestEntry>();
  return results;
}

/**
 * Every archived event of one epoch day, from the parts the manifest lists (orphans of crashed runs
 * are ignored), ordered by event_id within each part. Throws `archive_object_missing` or
 * `archive_corrupt` when R2 does not hold what the manifest promises.
 *
 * @example const rows = await readArchivedDay(env.ARCHIVE, env.DB, 20000)
 */
export async function readArchivedDay(bucket: R2Bucket, db: D1Database, day: number): Promise<EventRow[]> {
  const out: EventRow[] = [];
  for (const entry of await listArchive(db, { day })) for (const r of await readPart(bucket, entry)) out.push(r);
  return out;
}

/** The rows of one committed part, checked against its manifest entry (SHA-256 and row count). */
export async function readPart(bucket: R2Bucket, entry: ManifestEntry): Promise<EventRow[]> {
  const object = await bucket.get(entry.key);
  if (!object) throw new ArchiveError('archive_object_missing', `${entry.key} is in the manifest but not in R2`);
  const bytes = await object.arrayBuffer();
  if (hex(await sha256(bytes)) !== entry.sha256)
    throw new ArchiveError('archive_corrupt', `${entry.key}: SHA-256 differs from the manifest`);
  const rows = await parseEventsParquet(bytes);
  if (rows.length !== entry.rows)
    throw new ArchiveError('archive_corrupt', `${entry.key}: ${rows.length} rows, manifest says ${entry.rows}`);
  return rows;
}

/** A committed part that holds rows of a listener, and the verified part that replaces it (null: none left). */
export interface PartRewrite {
  old: ManifestEntry;
  next: ManifestEntry | null;
  /** The listener's rows the old part held. */
  removed: EventRow[];
}

/**
 * Steps 1–3 of an erasure's archive rewrite: for every committed part holding rows of `userId`, the
 * part without them is written and verified under its own key (the digest of the ids it keeps), with
 * the same write-verify safety as a move. Readers see nothing until the caller commits
 * `manifestSwaps` in its D1 batch; after that, `dropReplacedParts` deletes the old objects (a crash in
 * between leaves unlisted objects, which `sweepOrphans` removes).
 */
export async function rewritePartsWithout(
  deps: ArchiveDeps,
  userId: string,
  now: number,
  onPart: (done: number, total: number) => void = () => {},
): Promise<PartRewrite[]> {
  const entries = await listArchive(deps.db);
  const columns = entries.length > 0 ? await eventColumns(deps.db) : [];
  const rewrites: PartRewrite[] = [];
  for (const [i, old] of entries.entries()) {
    onPart(i, entries.length);
    const rows = await readPart(deps.bucket, old);
    const kept = rows.filter((r) => r.user_id !== userId);
    if (kept.length === rows.length) continue;
    const removed = rows.filter((r) => r.user_id === userId);
    if (kept.length === 0) {
      rewrites.push({ old, next: null, removed });
      continue;
    }
    // The table's columns today; a column added since the part was written is null in its rows.
    const shaped = kept.map((r) => Object.fromEntries(columns.map((c) => [c.name, r[c.name] ?? null])));
    const idHash = await eventIdDigest(shaped.map((r) => String(r.event_id)));
    const key = partKey(old.day, idHash);
    const { body, digest } = await putVerified(deps.bucket, { key, day: old.day, idHash, columns, rows: shaped });
    const next = { key, day: old.day, rows: shaped.length, bytes: body.byteLength, sha256: digest, eventIdHash: idHash, createdAt: now };
    rewrites.push({ old, next, removed });
  }
  return rewrites;
}

/** Step 4, for the caller's D1 batch: each old manifest row gives way to its replacement (if any). */
export function manifestSwaps(db: D1Database, rewrites: readonly PartRewrite[]): D1PreparedStatement[] {
  return rewrites.flatMap(({ old, next }) => [
    db.prepare('DELETE FROM event_archive WHERE key = ?1').bind(old.key),
    ...(next
      ? [
          db
            .prepare(
              `INSERT INTO event_archive (key, day, rows, bytes, sha256, event_id_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
               ON CONFLICT (key) DO NOTHING`,
            )
            .bind(next.key, next.day, next.rows, next.bytes, next.sha256, next.eventIdHash, next.createdAt),
        ]
      : []),
  ]);
}

/** After the swap has committed: the replaced objects leave R2. */
export async function dropReplacedParts(bucket: R2Bucket, rewrites: readonly PartRewrite[]): Promise<void> {
  for (const { old, next } of rewrites) if (next?.key !== old.key) await bucket.delete(old.key);
}
