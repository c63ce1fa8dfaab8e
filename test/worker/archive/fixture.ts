import { env } from 'cloudflare:workers';
import type { EventRow } from '../../../worker/archive/events-archive.ts';

export const DAY = 86_400_000;
/** A fixed clock: 2026-11-20T12:00Z. */
export const NOW = Date.UTC(2026, 10, 20, 12);
export const TODAY = Math.floor(NOW / DAY);
export const HOT_DAYS = 35;

const COLUMNS = [
  'event_id',
  'user_id',
  'track_id',
  'type',
  'ts',
  'ms_played',
  'source',
  'surface',
  'rec_id',
  'position',
  'playlist_id',
  'device',
  'received_at',
  'batch_id',
];

/** Empties what the archive reads and writes, so each test starts from its own rows. */
export async function resetArchiveState(): Promise<void> {
  await env.DB.batch([
    env.DB.prepare('DELETE FROM events'),
    env.DB.prepare('DELETE FROM event_archive'),
    env.DB.prepare('DELETE FROM analytics_dirty_days'),
  ]);
  let cursor: string | undefined;
  do {
    const page = await env.ARCHIVE.list({ cursor });
    if (page.objects.length > 0) await env.ARCHIVE.delete(page.objects.map((o) => o.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
}

/**
 * `n` events of epoch day `day`, with every column exercised: NULLs, non-ASCII text, large integers.
 * Received long before NOW, so the rollups have seen them.
 */
export function dayEvents(day: number, n: number, tag = 'e'): EventRow[] {
  return Array.from({ length: n }, (_, i) => ({
    event_id: `${tag}-${day}-${String(i).padStart(4, '0')}`,
    user_id: `u${i % 3}`,
    track_id: `t${i % 5}`,
    type: i % 4 === 0 ? 'save' : 'play_end',
    ts: day * DAY + i * 1_000 + 7,
    ms_played: i % 4 === 0 ? null : 30_000 + i,
    source: i % 2 === 0 ? 'algorithmic' : null,
    surface: i % 3 === 0 ? 'home ☕ café 🎧' : null,
    rec_id: i % 2 === 0 ? `rec-${i}` : null,
    position: i % 2 === 0 ? i : null,
    playlist_id: null,
    device: i % 5 === 0 ? 'ios' : 'web',
    received_at: NOW - 20 * DAY + i,
    batch_id: null,
  }));
}

export async function insertEvents(rows: readonly EventRow[]): Promise<void> {
  const stmt = env.DB.prepare(`INSERT INTO events (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`);
  for (let i = 0; i < rows.length; i += 50) {
    await env.DB.batch(rows.slice(i, i + 50).map((r) => stmt.bind(...COLUMNS.map((c) => r[c] ?? null))));
  }
}

export async function d1Rows(): Promise<EventRow[]> {
  return (await env.DB.prepare('SELECT * FROM events ORDER BY event_id').all<EventRow>()).results;
}

export async function manifest(): Promise<{ key: string; day: number; rows: number; bytes: number }[]> {
  return (
    await env.DB.prepare('SELECT key, day, rows, bytes FROM event_archive ORDER BY day, key').all<{
      key: string;
      day: number;
      rows: number;
      bytes: number;
    }>()
  ).results;
}

export async function r2Keys(): Promise<string[]> {
  return (await env.ARCHIVE.list({ prefix: 'events/' })).objects.map((o) => o.key).sort();
}

export const byId = (a: EventRow, b: EventRow) =>
  String(a.event_id) < String(b.event_id) ? -1 : String(a.event_id) > String(b.event_id) ? 1 : 0;
