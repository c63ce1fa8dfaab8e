/**
 * A small fixed event log with hand-computed metrics (see artist-analytics.test.ts for the sums).
 * Ids are prefixed per file so test files sharing a database never see each other's rows.
 */
import { env } from 'cloudflare:workers';
import { api, settleRollups, track } from '../helpers.ts';

export const at = (iso: string) => Date.parse(iso);

/** Monday 2026-10-05 … Sunday 2026-10-11 is the period; the week before is the previous period. */
export const PERIOD = { from: '2026-10-05', to: '2026-10-11' };

let n = 0;
export function ev(p: string, user: string, trackId: string, type: string, iso: string, extra: Record<string, unknown> = {}) {
  n += 1;
  return { event_id: `${p}-e${n}`, user_id: `${p}-${user}`, track_id: `${p}-${trackId}`, type, ts: at(iso), ...extra };
}

/** The log: prefix `p` namespaces users, tracks, artists and rec ids. */
export function eventLog(p: string) {
  return [
    // previous period: u1 streams t1 once (not a completion)
    ev(p, 'u1', 't1', 'play_start', '2026-10-01T08:00:00Z'),
    ev(p, 'u1', 't1', 'play_end', '2026-10-01T08:02:00Z', { ms_played: 100_000 }),
    // D1 Monday 2026-10-05
    ev(p, 'u1', 't1', 'play_start', '2026-10-05T10:00:00Z', {
      context: { source: 'algorithmic', rec_id: `${p}-r1`, surface: 'home', position: 0 },
    }),
    ev(p, 'u1', 't1', 'play_end', '2026-10-05T10:03:10Z', {
      ms_played: 190_000,
      context: { source: 'algorithmic', rec_id: `${p}-r1`, surface: 'home', position: 0 },
    }),
    ev(p, 'u1', 't1', 'play_start', '2026-10-05T11:00:00Z'),
    ev(p, 'u1', 't1', 'skip', '2026-10-05T11:00:10Z', { ms_played: 10_000 }),
    ev(p, 'u2', 't1', 'play_start', '2026-10-05T12:00:00Z'),
    ev(p, 'u2', 't1', 'skip', '2026-10-05T12:00:50Z', { ms_played: 50_000 }),
    ev(p, 'u1', 't1', 'save', '2026-10-05T12:30:00Z'),
    ev(p, 'u1', 't1', 'unsave', '2026-10-05T12:40:00Z'),
    ev(p, 'u2', 't1', 'playlist_add', '2026-10-05T12:50:00Z'),
    ev(p, 'u2', 't1', 'playlist_remove', '2026-10-05T12:55:00Z'),
    // D2 Tuesday 2026-10-06
    ev(p, 'u2', 't2', 'play_start', '2026-10-06T09:00:00Z', { context: { source: 'search' } }),
    ev(p, 'u2', 't2', 'play_end', '2026-10-06T09:01:35Z', { ms_played: 95_000, context: { source: 'search' } }),
    ev(p, 'u2', 't2', 'save', '2026-10-06T09:02:00Z'),
    ev(p, 'u2', 't2', 'playlist_add', '2026-10-06T09:03:00Z'),
    ev(p, 'u3', 't1', 'play_start', '2026-10-06T15:00:00Z'),
    ev(p, 'u3', 't1', 'play_end', '2026-10-06T15:00:20Z', { ms_played: 20_000 }),
    // another artist's track: never in artist a's numbers
    ev(p, 'u1', 't3', 'play_start', '2026-10-06T16:00:00Z'),
    ev(p, 'u1', 't3', 'play_end', '2026-10-06T16:04:00Z', { ms_played: 240_000 }),
  ];
}

/** Sent after a first read: an event of D1 arriving late. */
export function lateEvents(p: string) {
  return [
    ev(p, 'u3', 't2', 'play_start', '2026-10-05T20:00:00Z'),
    ev(p, 'u3', 't2', 'play_end', '2026-10-05T20:01:40Z', { ms_played: 100_000 }),
  ];
}

/** Catalogue: artist a has t1 (200 s) and t2 (100 s); artist b has t3. */
export async function seedCatalogue(p: string): Promise<void> {
  const res = await api('/v1/tracks', {
    method: 'PUT',
    body: {
      tracks: [
        track(`${p}-t1`, `${p}-a`, { duration_ms: 200_000 }),
        track(`${p}-t2`, `${p}-a`, { duration_ms: 100_000, genre: 'pop' }),
        track(`${p}-t3`, `${p}-b`, { duration_ms: 240_000 }),
      ],
    },
  });
  if (res.status !== 200) throw new Error(`seeding tracks failed: ${res.status} ${await res.text()}`);
}

export async function sendEvents(events: unknown[]): Promise<void> {
  const res = await api('/v1/events', { body: { events } });
  if (res.status !== 200) throw new Error(`sending events failed: ${res.status} ${await res.text()}`);
  await settleRollups();
}

/** Impressions as the serving helper writes them: r1 (home, D1) shows t1 and t2 to u1; r2 (daily_mix, D2) t1 to u3. */
export async function seedImpressions(p: string): Promise<void> {
  const lists = [
    [`${p}-r1`, `${p}-u1`, 'home', at('2026-10-05T09:59:00Z')],
    [`${p}-r2`, `${p}-u3`, 'daily_mix', at('2026-10-06T14:59:00Z')],
  ] as const;
  const items = [
    [`${p}-r1`, 0, `${p}-t1`, `${p}-u1`, at('2026-10-05T09:59:00Z')],
    [`${p}-r1`, 1, `${p}-t2`, `${p}-u1`, at('2026-10-05T09:59:00Z')],
    [`${p}-r2`, 0, `${p}-t1`, `${p}-u3`, at('2026-10-06T14:59:00Z')],
  ] as const;
  await env.DB.batch([
    ...lists.map((l) => env.DB.prepare('INSERT INTO rec_lists (rec_id, user_id, surface, served_at) VALUES (?, ?, ?, ?)').bind(...l)),
    ...items.map((i) =>
      env.DB.prepare(
        `INSERT INTO rec_items (rec_id, position, track_id, user_id, source, reason, served_at) VALUES (?, ?, ?, ?, 'model', 'cf', ?)`,
      ).bind(...i),
    ),
    ...lists.map(([recId, , , servedAt]) =>
      env.DB.prepare(`INSERT INTO rollup_pending (batch_id, kind, received_at) VALUES (?, 'impressions', ?)`).bind(recId, servedAt),
    ),
  ]);
  await settleRollups();
}

/** u1 listens from New York; u2 and u3 have no known zone (UTC). */
export async function setTimezones(p: string): Promise<void> {
  const res = await api('/v1/users', { method: 'PUT', body: { users: [{ id: `${p}-u1`, timezone: 'America/New_York' }] } });
  if (res.status !== 200) throw new Error(`setting time zones failed: ${res.status} ${await res.text()}`);
  await settleRollups();
}
