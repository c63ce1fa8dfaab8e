/**
 * Listener erasure (GDPR Art. 17): everything stored about one listener goes, and every aggregate is
 * corrected to what it would be had they never listened.
 *
 * 1. Take the erasure lease (the archive commits no part while it is held, so the manifest read in 2
 *    stays the whole archive).
 * 2. Rewrite every archived part that holds the listener's rows without them: written and verified
 *    under new keys, invisible to readers until 3 (worker/archive/events-archive.ts).
 * 3. One D1 batch, so one transaction: subtract the listener's share from the rollups (their rows in
 *    D1 and the archived rows from 2, with the SQL that added them), swap the manifest rows, and
 *    delete the listener's rows from every table. A crash before 3 changes nothing readers see; a
 *    rerun starts over.
 * 4. Delete the replaced Parquet objects (left behind by a crash, they are orphans `sweepOrphans`
 *    removes), then release the lease.
 * A second call finds nothing and changes nothing. Events the listener sends after the erasure are a
 * new history.
 */
import { DomainError } from '../../contract/domain-error.ts';
import { dropReplacedParts, manifestSwaps, rewritePartsWithout } from '../archive/events-archive.ts';
import { createDb } from '../db/client.ts';
import { listenerDeletes, releaseErasureLease, takeErasureLease } from '../db/privacy.ts';
import { listenerShareRemoval } from '../db/rollups.ts';

/** Long enough for a rewrite of a large archive; a crashed erasure blocks archive commits at most this long. */
const LEASE_MS = 10 * 60_000;
/** Archived rows per rollup-correction statement: D1 caps a bound string at 2 MB. */
const CHUNK_CHARS = 500_000;

export interface ErasureReport {
  /** Rows deleted per table (D1), rollup_pending included. */
  rows: Record<string, number>;
  archive: { partsRewritten: number; partsRemoved: number; rows: number };
}

function jsonChunks(rows: readonly Record<string, unknown>[]): string[] {
  const chunks: string[] = [];
  let current: string[] = [];
  let chars = 0;
  for (const row of rows) {
    const json = JSON.stringify(row);
    if (chars + json.length > CHUNK_CHARS && current.length > 0) {
      chunks.push(`[${current.join(',')}]`);
      current = [];
      chars = 0;
    }
    current.push(json);
    chars += json.length + 1;
  }
  if (current.length > 0) chunks.push(`[${current.join(',')}]`);
  return chunks;
}

/**
 * Erases one listener. Throws DomainError `erasure_in_progress` (409) while another erasure runs.
 *
 * @example await eraseListener({ DB: env.DB, ARCHIVE: env.ARCHIVE }, 'u-1', Date.now())
 */
export async function eraseListener(env: { DB: D1Database; ARCHIVE: R2Bucket }, userId: string, now: number): Promise<ErasureReport> {
  const db = createDb(env.DB);
  if (!(await takeErasureLease(db, now, now + LEASE_MS))) {
    throw new DomainError('erasure_in_progress', 409, 'Another erasure is running; retry in a minute');
  }
  try {
    const rewrites = await rewritePartsWithout({ db: env.DB, bucket: env.ARCHIVE }, userId, now);
    const archived = rewrites.flatMap((r) => r.removed);
    const correction = await listenerShareRemoval(db, userId, jsonChunks(archived));
    const deletes = listenerDeletes(db, userId);
    const results = await env.DB.batch([...correction, ...manifestSwaps(env.DB, rewrites), ...deletes.map((d) => d.statement)]);
    const deleted = results.slice(results.length - deletes.length);
    await dropReplacedParts(env.ARCHIVE, rewrites);
    return {
      rows: Object.fromEntries(deletes.map((d, i) => [d.table, deleted[i]?.meta.changes ?? 0])),
      archive: {
        partsRewritten: rewrites.filter((r) => r.next).length,
        partsRemoved: rewrites.filter((r) => !r.next).length,
        rows: archived.length,
      },
    };
  } finally {
    await releaseErasureLease(db);
  }
}
