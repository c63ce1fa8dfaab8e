/**
 * Reads events and the track catalogue from the local D1 that `wrangler dev` keeps as a SQLite file
 * (.wrangler/state/v3/d1/miniflare-D1DatabaseObject/*.sqlite), with Node's built-in node:sqlite,
 * plus the archived (cold) events in the local R2 of the same persist folder (read-local-archive.ts).
 * Both tiers feed the same weighting. Recency is measured from the newest event of either tier, not
 * the wall clock, so the same data trains the same model whenever it runs.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
// The catalogue's audio-feature columns come from the Worker's catalogue module, which owns the table.
import { AUDIO_FEATURES } from '../../contract/audio-features.ts';
import type { EventWeights } from '../../contract/events.ts';
import { decay, eventWeight, type ListeningEvent } from '../../contract/events.ts';
import { logSessions, type SessionEvent } from '../../contract/session-weights.ts';
import { emptyContent, type ItemContent } from './content-rows.ts';
import { IdIndex, type Interactions, interactionsFrom, TripletBuffer } from './interactions.ts';
import { type ArchivedEvent, readLocalArchive } from './read-local-archive.ts';

/** The D1 SQLite file under a wrangler persist folder (default .wrangler/state): the one holding `events`. */
export function findLocalD1(persistTo = '.wrangler/state'): string {
  const dir = join(persistTo, 'v3', 'd1', 'miniflare-D1DatabaseObject');
  if (!existsSync(dir)) throw new Error(`no local D1 under ${persistTo}: run wrangler dev (or pass --persist-to DIR) first`);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.sqlite'))
    .map((f) => join(dir, f))
    .filter((f) => {
      const db = new DatabaseSync(f, { readOnly: true });
      try {
        return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events'").get() !== undefined;
      } finally {
        db.close();
      }
    })
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (!files[0]) throw new Error(`no D1 database with an events table in ${dir}`);
  return files[0];
}

export interface LocalData {
  interactions: Interactions;
  content: ItemContent[];
  /** Events read, both tiers. */
  events: number;
  /** Of which from D1 `events` (the hot window)… */
  hotEvents: number;
  /** …and from the archive's Parquet parts in R2. */
  archivedEvents: number;
  archiveParts: number;
  /** Listening sessions (item indices, oldest play first) for the next-track transitions. */
  sessions: Int32Array[];
}

/** The persist folder a local D1 file lives in: `<persistTo>/v3/d1/miniflare-D1DatabaseObject/x.sqlite`. */
export function persistDirOf(d1File: string): string {
  return resolve(d1File, '..', '..', '..', '..');
}

const byTsThenId = (a: { ts: number; eventId: string }, b: { ts: number; eventId: string }) =>
  a.ts - b.ts || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0);

/**
 * @example
 * const { interactions, content } = await readLocalD1(findLocalD1(), DEFAULT_EVENT_WEIGHTS, 30);
 */
export async function readLocalD1(
  file: string,
  weights: EventWeights,
  halfLifeDays: number,
  persistTo = persistDirOf(file),
): Promise<LocalData> {
  const archive = await readLocalArchive(persistTo, file);
  const archived: ArchivedEvent[] = archive.events.sort(byTsThenId);
  const archivedIds = new Set(archived.map((e) => e.eventId));
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    const users = new IdIndex();
    const items = new IdIndex();
    const content: ItemContent[] = [];
    const durations = new Map<string, number | null>();
    const tracks = db.prepare(`SELECT id, duration_ms, genre, tags, ${AUDIO_FEATURES.join(', ')} FROM tracks ORDER BY id`).all();
    for (const t of tracks) {
      items.get(String(t.id));
      durations.set(String(t.id), t.duration_ms === null ? null : Number(t.duration_ms));
      const c = emptyContent();
      for (const f of AUDIO_FEATURES) c.numeric[f] = typeof t[f] === 'number' ? (t[f] as number) : null;
      c.genre = typeof t.genre === 'string' && t.genre !== '' ? t.genre : null;
      try {
        const tags: unknown = JSON.parse(String(t.tags ?? '[]'));
        if (Array.isArray(tags)) for (const tag of tags) if (typeof tag === 'string') c.tags.set(tag.toLowerCase(), 1);
      } catch {
        // a malformed tags cell only loses that track's tags
      }
      content.push(c);
    }
    const hotNow = Number((db.prepare('SELECT MAX(ts) AS now FROM events').get()?.now as number | null) ?? 0);
    const now = archived.length > 0 ? Math.max(hotNow, archived[archived.length - 1]!.ts) : hotNow;
    const t = new TripletBuffer();
    // Each listener's log, for the sessions the next-track transitions are learnt from.
    const logs = new Map<string, SessionEvent[]>();
    let hotEvents = 0;
    const add = (userId: string, trackId: string, e: ListeningEvent) => {
      const w = eventWeight(e, weights);
      // Events of a track outside the catalogue that carry no weight make no item of their own.
      if (w === 0 && items.find(trackId) === undefined) return;
      const item = items.get(trackId);
      if (item >= content.length) content.push(emptyContent());
      const log = logs.get(userId) ?? [];
      if (log.length === 0) logs.set(userId, log);
      log.push({ trackId, type: e.type, ts: e.ts, msPlayed: e.msPlayed });
      if (w !== 0) t.push(users.get(userId), item, w * decay(e.ts, now, halfLifeDays));
    };
    // Both tiers in one (ts, event_id) order: archived days are older, but a late event can land in
    // D1 for a day that is archived already.
    let next = 0;
    const addArchivedUpTo = (ts: number, eventId: string) => {
      while (next < archived.length && byTsThenId(archived[next]!, { ts, eventId }) <= 0) {
        const a = archived[next++]!;
        add(a.userId, a.trackId, { type: a.type, ts: a.ts, msPlayed: a.msPlayed, durationMs: durations.get(a.trackId) ?? null });
      }
    };
    const rows = db
      .prepare(
        'SELECT e.event_id, e.user_id, e.track_id, e.type, e.ts, e.ms_played, t.duration_ms FROM events e LEFT JOIN tracks t ON t.id = e.track_id ORDER BY e.ts, e.event_id',
      )
      .iterate();
    for (const r of rows) {
      const eventId = String(r.event_id);
      // The archive's commit deletes what it lists; an id in both tiers is an archived event a client
      // sent again later, and counts once, from the archive.
      if (archivedIds.has(eventId)) continue;
      hotEvents++;
      addArchivedUpTo(Number(r.ts), eventId);
      add(String(r.user_id), String(r.track_id), {
        type: String(r.type),
        ts: Number(r.ts),
        msPlayed: r.ms_played === null ? null : Number(r.ms_played),
        durationMs: r.duration_ms === null ? null : Number(r.duration_ms),
      });
    }
    addArchivedUpTo(Number.POSITIVE_INFINITY, '');
    return {
      interactions: interactionsFrom(users, items, t),
      content,
      events: hotEvents + archived.length,
      hotEvents,
      archivedEvents: archived.length,
      archiveParts: archive.parts,
      sessions: [...logs.values()].flatMap((log) =>
        logSessions(log)
          .filter((s) => s.length >= 2)
          .map((s) => Int32Array.from(s, (id) => items.get(id))),
      ),
    };
  } finally {
    db.close();
  }
}
