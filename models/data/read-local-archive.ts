/**
 * Reads the cold tier of the local events: the parts listed in the `event_archive` manifest of the
 * local D1 file, fetched from the local R2 that `wrangler dev` keeps under the same persist folder.
 *
 * Miniflare itself reads the R2 store (`<persistTo>/v3/r2/`: a SQLite index per bucket plus blob
 * files, named after the bucket's `bucket_name`), so the trainer never depends on that private layout.
 * Only manifest-listed parts are read: an object without a manifest row is an orphan of a crashed run.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { parquetReadObjects } from 'hyparquet';
import { convertV4MiniflareOptions, Miniflare } from 'miniflare';
import { TRAINER_COLUMNS } from '../../contract/archive-layout.ts';

/** `bucket_name` of the ARCHIVE binding in wrangler.toml: the name wrangler dev stores it under. */
export const LOCAL_ARCHIVE_BUCKET = 'backbeat-archive';

/** The columns the trainer needs from an archived event. */
export interface ArchivedEvent {
  eventId: string;
  userId: string;
  trackId: string;
  type: string;
  ts: number;
  msPlayed: number | null;
}

export interface LocalArchive {
  events: ArchivedEvent[];
  parts: number;
}

interface ManifestRow {
  key: string;
  rows: number;
  sha256: string;
}

function manifestOf(d1File: string): ManifestRow[] {
  const db = new DatabaseSync(d1File, { readOnly: true });
  try {
    const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'event_archive'").get();
    if (table === undefined) return [];
    return db.prepare('SELECT key, rows, sha256 FROM event_archive ORDER BY day, key').all() as unknown as ManifestRow[];
  } finally {
    db.close();
  }
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/**
 * Every archived event of the local dev data, or none when the D1 file has no manifest (a database
 * from before the archive) or an empty one. Throws when R2 lacks a listed part or its bytes differ
 * from the manifest's SHA-256: training on a silently partial history is worse than stopping.
 *
 * @example const { events, parts } = await readLocalArchive('.wrangler/state', findLocalD1())
 */
export async function readLocalArchive(persistTo: string, d1File: string, bucketName = LOCAL_ARCHIVE_BUCKET): Promise<LocalArchive> {
  const manifest = manifestOf(d1File);
  if (manifest.length === 0) return { events: [], parts: 0 };
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      modules: true,
      script: 'export default {}',
      r2Buckets: { ARCHIVE: bucketName },
      resourcePersistencePath: join(persistTo, 'v3'),
    }),
  );
  try {
    const bucket = await mf.getR2Bucket('ARCHIVE');
    const events: ArchivedEvent[] = [];
    for (const part of manifest) {
      const object = await bucket.get(part.key);
      if (!object) throw new Error(`archive part ${part.key} is in the manifest of ${d1File} but not in the local R2 under ${persistTo}`);
      const bytes = await object.arrayBuffer();
      const digest = createHash('sha256').update(new Uint8Array(bytes)).digest('hex');
      if (digest !== part.sha256) throw new Error(`archive part ${part.key}: SHA-256 ${digest} differs from the manifest's ${part.sha256}`);
      const rows = (await parquetReadObjects({
        file: bytes,
        columns: [...TRAINER_COLUMNS],
      })) as Record<string, unknown>[];
      if (rows.length !== part.rows) throw new Error(`archive part ${part.key}: ${rows.length} rows, the manifest says ${part.rows}`);
      for (const r of rows) {
        events.push({
          eventId: String(r.event_id),
          userId: String(r.user_id),
          trackId: String(r.track_id),
          type: String(r.type),
          ts: Number(r.ts),
          msPlayed: num(r.ms_played),
        });
      }
    }
    return { events, parts: manifest.length };
  } finally {
    await mf.dispose();
  }
}
