/**
 * Reads events and the track catalogue from the local D1 that `wrangler dev` keeps as a SQLite file
 * (.wrangler/state/v3/d1/miniflare-D1DatabaseObject/*.sqlite), with Node's built-in node:sqlite.
 * Recency is measured from the newest event, not the wall clock, so the same data trains the same
 * model whenever it runs.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
// The catalogue's audio-feature columns come from the Worker's catalogue module, which owns the table.
import { AUDIO_FEATURES } from '../../worker/db/audio-features.ts';
import type { EventWeights } from '../bundle/manifest.ts';
import { emptyContent, type ItemContent } from './content-rows.ts';
import { decay, eventWeight } from './event-weights.ts';
import { IdIndex, type Interactions, interactionsFrom, TripletBuffer } from './interactions.ts';

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
  events: number;
}

/**
 * @example
 * const { interactions, content } = readLocalD1(findLocalD1(), DEFAULT_EVENT_WEIGHTS, 30);
 */
export function readLocalD1(file: string, weights: EventWeights, halfLifeDays: number): LocalData {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    const users = new IdIndex();
    const items = new IdIndex();
    const content: ItemContent[] = [];
    const tracks = db.prepare(`SELECT id, genre, tags, ${AUDIO_FEATURES.join(', ')} FROM tracks ORDER BY id`).all();
    for (const t of tracks) {
      items.get(String(t.id));
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
    const now = Number((db.prepare('SELECT MAX(ts) AS now FROM events').get()?.now as number | null) ?? 0);
    const t = new TripletBuffer();
    let events = 0;
    const rows = db
      .prepare(
        'SELECT e.user_id, e.track_id, e.type, e.ts, e.ms_played, t.duration_ms FROM events e LEFT JOIN tracks t ON t.id = e.track_id ORDER BY e.ts, e.event_id',
      )
      .iterate();
    for (const r of rows) {
      events++;
      const w = eventWeight(
        {
          type: String(r.type),
          ts: Number(r.ts),
          msPlayed: r.ms_played === null ? null : Number(r.ms_played),
          durationMs: r.duration_ms === null ? null : Number(r.duration_ms),
        },
        weights,
      );
      if (w === 0) continue;
      const item = items.get(String(r.track_id));
      if (item >= content.length) content.push(emptyContent());
      t.push(users.get(String(r.user_id)), item, w * decay(Number(r.ts), now, halfLifeDays));
    }
    return { interactions: interactionsFrom(users, items, t), content, events };
  } finally {
    db.close();
  }
}
