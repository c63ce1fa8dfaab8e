/**
 * Listener export (GDPR Art. 15 and 20): everything stored about one listener, streamed, so that years
 * of history never sit in the isolate at once. Each table is read in pages of PAGE_ROWS rows and each
 * archived part one at a time; the client receives the document as it is read.
 *
 * JSON (`backbeat.listener-export/1`): profile, events (D1's hot window, then the archive's parts),
 * served lists and their items, generated playlists, campaign memberships, unmatched imported
 * listens, per-artist daily activity as the rollups hold it, and the saved segments the listener is in
 * now. CSV: the events alone, one row each, hot and archived.
 */
import { getTableColumns } from 'drizzle-orm';
import { csvRecord } from '../analytics/csv.ts';
import { listArchive, readPart } from '../archive/events-archive.ts';
import { createDb, type Db } from '../db/client.ts';
import { type ListenerTable, listenerActivity, listenerRows } from '../db/privacy.ts';
import { events } from '../db/schema.ts';
import { listSegments } from '../db/segments.ts';
import { SegmentRule } from '../schemas/segment-rules.ts';
import { segmentMembers } from '../segments/evaluate.ts';

export const EXPORT_FORMAT = 'backbeat.listener-export/1';
const PAGE_ROWS = 1_000;

/** The sections of the JSON document after the profile, each a table of the listener's rows. */
const SECTIONS: readonly [string, ListenerTable][] = [
  ['served_lists', 'rec_lists'],
  ['served_items', 'rec_items'],
  ['generated_playlists', 'generated_playlists'],
  ['campaign_memberships', 'campaign_members'],
  ['unmatched_imports', 'import_unmatched'],
];

/** The event columns of the CSV: the events table's, in its order, without the internal batch id. */
const EVENT_COLUMNS = Object.values(getTableColumns(events))
  .map((c) => c.name)
  .filter((name) => name !== 'batch_id');

async function* pages(db: Db, table: ListenerTable, userId: string): AsyncGenerator<Record<string, unknown>[]> {
  let after = -1;
  for (;;) {
    const page = await listenerRows(db, table, userId, after, PAGE_ROWS);
    if (page.length === 0) return;
    yield page.map((p) => p.row);
    after = page[page.length - 1]?.rowid ?? after;
    if (page.length < PAGE_ROWS) return;
  }
}

/** The listener's events: the hot window's first, then each archived part's, part by part. */
async function* eventPages(env: { DB: D1Database; ARCHIVE: R2Bucket }, db: Db, userId: string): AsyncGenerator<Record<string, unknown>[]> {
  yield* pages(db, 'events', userId);
  for (const entry of await listArchive(env.DB)) {
    const rows = (await readPart(env.ARCHIVE, entry)).filter((r) => r.user_id === userId);
    if (rows.length > 0) yield rows;
  }
}

async function* jsonDocument(env: { DB: D1Database; ARCHIVE: R2Bucket }, userId: string, now: number): AsyncGenerator<string> {
  const db = createDb(env.DB);
  const [profile] = await listenerRows(db, 'users', userId, -1, 1);
  yield `{"format":${JSON.stringify(EXPORT_FORMAT)},"user_id":${JSON.stringify(userId)},"exported_at":${JSON.stringify(new Date(now).toISOString())}`;
  yield `,"profile":${JSON.stringify(profile?.row ?? null)}`;
  const array = async function* (name: string, source: AsyncIterable<Record<string, unknown>[]>) {
    yield `,${JSON.stringify(name)}:[`;
    let first = true;
    for await (const page of source) {
      for (const row of page) {
        yield `${first ? '' : ','}${JSON.stringify(row)}`;
        first = false;
      }
    }
    yield ']';
  };
  yield* array('events', eventPages(env, db, userId));
  for (const [name, table] of SECTIONS) yield* array(name, pages(db, table, userId));
  yield `,"activity":${JSON.stringify(await listenerActivity(db, userId))}`;
  const segments = [];
  for (const s of await listSegments(db, null)) {
    if ((await segmentMembers(db, SegmentRule.parse(JSON.parse(s.rule)), now)).includes(userId)) {
      segments.push({ id: s.id, name: s.name, artist_id: s.artistId });
    }
  }
  yield `,"segments":${JSON.stringify(segments)}}\n`;
}

async function* csvDocument(env: { DB: D1Database; ARCHIVE: R2Bucket }, userId: string): AsyncGenerator<string> {
  yield `${EVENT_COLUMNS.join(',')}\r\n`;
  for await (const page of eventPages(env, createDb(env.DB), userId)) {
    yield page.map((r) => `${csvRecord(EVENT_COLUMNS.map((c) => r[c]))}\r\n`).join('');
  }
}

/**
 * The export as a byte stream (JSON or CSV). Pulled by the client: a page is read only when the
 * previous one has been sent.
 */
export function exportListener(
  env: { DB: D1Database; ARCHIVE: R2Bucket },
  userId: string,
  now: number,
  format: 'json' | 'csv',
): ReadableStream<Uint8Array> {
  const chunks = format === 'csv' ? csvDocument(env, userId) : jsonDocument(env, userId, now);
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}
