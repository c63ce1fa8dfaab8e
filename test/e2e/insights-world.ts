/**
 * A world for the insights views, written through the public API only: a bigger artist with four
 * weeks of steady streams, listeners in four countries, an earlier release and a new one, and a spike
 * of streams today (what an alert is for); and a smaller artist on the same key, so switching between
 * them can be watched.
 */
import { apiCall } from '../../scripts/lib/local-worker.ts';

export const BIG = { id: 'a-ins-harbour', name: 'Harbour Lights' };
export const SMALL = { id: 'a-ins-rooms', name: 'Quiet Rooms' };

const DAY_MS = 86_400_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function insightTracks(now: number) {
  const today = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), new Date(now).getUTCDate());
  return [
    { id: 't-ins-tide', title: 'Low Tide', artist: BIG, duration_ms: 200_000, release_date: day(today - 27 * DAY_MS) },
    { id: 't-ins-pier', title: 'Pier at Night', artist: BIG, duration_ms: 220_000, release_date: day(today - 20 * DAY_MS) },
    { id: 't-ins-flare', title: 'Signal Flare', artist: BIG, duration_ms: 190_000, release_date: day(today - 2 * DAY_MS) },
    { id: 't-ins-room', title: 'Empty Room', artist: SMALL, duration_ms: 180_000, release_date: day(today - 27 * DAY_MS) },
  ] as const;
}

const COUNTRIES = ['SE', 'DE', 'US', 'BR'] as const;
const LISTENERS = 16;
const SPIKE_STREAMS = 90;

type Event = Record<string, unknown>;

/** Every event of the world, all in the past of `now`; the spike lies between today's 00:00 UTC and `now`. */
export function insightEvents(now: number): Event[] {
  const tracks = insightTracks(now);
  const [tide, pier, flare, room] = tracks;
  const startOfToday = Math.floor(now / DAY_MS) * DAY_MS;
  const events: Event[] = [];
  let n = 0;
  const stream = (
    user: string,
    track: (typeof tracks)[number],
    ts: number,
    source: string,
    extra: { skip?: boolean; save?: boolean } = {},
  ) => {
    const context = { source, surface: source === 'algorithmic' ? 'home' : 'library', device: 'web' };
    events.push({ event_id: `ins-${++n}`, user_id: user, track_id: track.id, type: 'play_start', ts, context });
    if (extra.skip) {
      events.push({ event_id: `ins-${++n}`, user_id: user, track_id: track.id, type: 'skip', ts: ts + 10_000, ms_played: 10_000, context });
      return;
    }
    const ms = track.duration_ms;
    events.push({ event_id: `ins-${++n}`, user_id: user, track_id: track.id, type: 'play_end', ts: ts + ms, ms_played: ms, context });
    if (extra.save) events.push({ event_id: `ins-${++n}`, user_id: user, track_id: track.id, type: 'save', ts: ts + ms + 1000, context });
  };
  // Four weeks of a steady artist: 8 to 12 streams a day, some from recommendations, a skip now and then.
  for (let d = 1; d <= 28; d++) {
    const base = startOfToday - d * DAY_MS + 9 * 3_600_000;
    const count = 8 + (d % 5);
    for (let k = 0; k < count; k++) {
      const user = `u-ins-${(d + k) % LISTENERS}`;
      const track = d <= 20 && k % 2 === 0 ? pier : tide;
      const source = k % 3 === 0 ? 'algorithmic' : k % 3 === 1 ? 'search' : 'library';
      stream(user, track, base + k * 600_000, source, { skip: (d + k) % 7 === 0, save: (d + k) % 9 === 0 });
    }
    // The quiet artist: two streams a day.
    for (let k = 0; k < 2; k++) stream(`u-ins-${(d + k + 5) % LISTENERS}`, room, base + 3_600_000 + k * 600_000, 'search');
  }
  // Today: the new release takes off, mostly through recommendations.
  const span = Math.max(1000, now - startOfToday - 1000);
  for (let k = 0; k < SPIKE_STREAMS; k++) {
    const ts = startOfToday + Math.floor((span * (k + 1)) / (SPIKE_STREAMS + 2)) - flare.duration_ms - 2000;
    stream(`u-ins-${k % LISTENERS}`, flare, Math.max(startOfToday + 1, ts), k % 4 === 0 ? 'search' : 'algorithmic', { save: k % 6 === 0 });
  }
  // Its first days before today.
  for (let d = 1; d <= 2; d++) {
    for (let k = 0; k < 6; k++)
      stream(`u-ins-${(k + d) % LISTENERS}`, flare, startOfToday - d * DAY_MS + 14 * 3_600_000 + k * 60_000, 'library');
  }
  return events;
}

export interface InsightsWorld {
  artistKey: string;
}

/** Writes listeners with their countries, the catalogue and the events; mints an artist key for both artists. */
export async function seedInsightsWorld(url: string, adminToken: string, now = Date.now()): Promise<InsightsWorld> {
  const users = Array.from({ length: LISTENERS }, (_, u) => ({ id: `u-ins-${u}`, country: COUNTRIES[u % COUNTRIES.length] }));
  const u = await apiCall(url, adminToken, '/v1/users', { method: 'PUT', body: { users } });
  if (u.status !== 200) throw new Error(`seeding listeners failed: ${u.status} ${JSON.stringify(u.body)}`);
  const tracks = await apiCall(url, adminToken, '/v1/tracks', {
    method: 'PUT',
    body: { tracks: insightTracks(now).map((t) => ({ ...t, genre: 'indie', tags: ['e2e'] })) },
  });
  if (tracks.status !== 200) throw new Error(`seeding tracks failed: ${tracks.status} ${JSON.stringify(tracks.body)}`);
  const events = insightEvents(now);
  for (let i = 0; i < events.length; i += 500) {
    // The spike's last events may end a moment after `now`: they are sent once they are in the past.
    const batch = events.slice(i, i + 500);
    const r = await apiCall(url, adminToken, '/v1/events', { body: { events: batch } });
    if (r.status !== 200 && r.status !== 202) throw new Error(`seeding events failed: ${r.status} ${JSON.stringify(r.body)}`);
    const rejected = (r.body as { rejected?: unknown[] }).rejected ?? [];
    if (rejected.length > 0) throw new Error(`events rejected: ${JSON.stringify(rejected.slice(0, 3))}`);
  }
  const key = await apiCall<{ key: string }>(url, adminToken, '/v1/admin/keys', {
    body: { role: 'artist', name: 'e2e insights key', artist_ids: [SMALL.id, BIG.id] },
  });
  if (key.status !== 201) throw new Error(`minting the artist key failed: ${key.status} ${JSON.stringify(key.body)}`);
  return { artistKey: key.body.key };
}
