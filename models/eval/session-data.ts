/**
 * Timestamped listening logs for the session evaluation (pipeline/evaluate-session.ts): the Last.fm 1K excerpt
 * (scrobbles) and the generated demo world (the product's own event types). Node-only, unlike the
 * rest of this folder: the Worker never imports it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SessionEvent } from '../../contract/session-weights.ts';
import { generateWorld } from '../../scripts/demo/world.ts';

/** Where the Last.fm 1K excerpt is looked for: `LASTFM1K_DIR`, else ../shared/data beside the repository. */
export const DEFAULT_LASTFM1K =
  process.env.LASTFM1K_DIR ?? fileURLToPath(new URL('../../../shared/data/lastfm-1k-excerpt', import.meta.url));
export const LASTFM1K_PLAYS = 'userid-timestamp-artid-artname-traid-traname.head5000.tsv';

export interface LogEvent extends SessionEvent {
  artistId: string;
  durationMs: number | null;
  /** true on the event that starts a listened play (not a skip under 30 s): a next-track target */
  play: boolean;
}

export interface UserLog {
  user: string;
  /** oldest first */
  events: LogEvent[];
}

export const lastfm1kPresent = (dir = DEFAULT_LASTFM1K): boolean => existsSync(`${dir}/${LASTFM1K_PLAYS}`);

/**
 * The excerpt's plays, one `play_end` of unknown length per scrobble. Track id = the track MBID, or
 * artist + name when it is empty (28 % of rows); artist id = the artist MBID, or the name.
 *
 * @example
 * const logs = readLastfm1k(); // [{ user: 'user_000001', events: [...4997] }, ...]
 */
export function readLastfm1k(dir = DEFAULT_LASTFM1K, maxUsers = Infinity): UserLog[] {
  const byUser = new Map<string, LogEvent[]>();
  const text = readFileSync(`${dir}/${LASTFM1K_PLAYS}`, 'utf8');
  text.split('\n').forEach((line, n) => {
    if (line.trim() === '') return;
    const [user, time, artistMbid, artistName, trackMbid, trackName] = line.split('\t');
    const ts = Date.parse(time ?? '');
    if (!user || !Number.isFinite(ts) || trackName === undefined) throw new Error(`${LASTFM1K_PLAYS}:${n + 1}: bad row`);
    const artistId = artistMbid || `name:${artistName}`;
    const trackId = trackMbid || `name:${artistId}\u0000${trackName}`;
    let events = byUser.get(user);
    if (!events) {
      if (byUser.size >= maxUsers) return;
      events = [];
      byUser.set(user, events);
    }
    events.push({ trackId, artistId, type: 'play_end', ts, msPlayed: null, durationMs: null, play: true });
  });
  return [...byUser].map(([user, events]) => ({ user, events: events.sort((a, b) => a.ts - b.ts) }));
}

export interface DemoSize {
  seed: string;
  users: number;
  artists: number;
  tracksPerArtist: number;
  days: number;
  eventsPerUser: number;
}

/**
 * The demo world's events in memory (scripts/demo/world.ts, no server), per listener, oldest
 * first; `play_start` marks a target unless its play ended in a skip under 30 s.
 *
 * @example
 * const logs = demoLogs({ seed: 'demo', users: 1000, artists: 300, tracksPerArtist: 10, days: 60, eventsPerUser: 80 });
 */
export function demoLogs(size: DemoSize): UserLog[] {
  const world = generateWorld({ ...size, newReleaseShare: 0.03, end: Date.UTC(2026, 0, 1) });
  const track = new Map(world.tracks.map((t) => [t.id, t]));
  type Raw = { track_id: string; type: string; ts: number; ms_played?: number | undefined };
  const byUser = new Map<string, Raw[]>();
  for (const e of world.events()) {
    let raw = byUser.get(e.user_id);
    if (!raw) {
      raw = [];
      byUser.set(e.user_id, raw);
    }
    raw.push(e);
  }
  return [...byUser].map(([user, raw]) => {
    // a play_start is followed by its play_end or skip in generation order (before sorting by time)
    const events = raw.map((e, i): LogEvent => {
      const t = track.get(e.track_id);
      const end = raw[i + 1];
      const skipped = end?.track_id === e.track_id && end.type === 'skip' && (end.ms_played ?? 0) < 30_000;
      return {
        trackId: e.track_id,
        artistId: t?.artist.id ?? e.track_id,
        type: e.type,
        ts: e.ts,
        msPlayed: e.ms_played ?? null,
        durationMs: t?.duration_ms ?? null,
        play: e.type === 'play_start' && !skipped,
      };
    });
    return { user, events: events.sort((x, y) => x.ts - y.ts) };
  });
}
