/**
 * A listen to our ingest events (worker/schemas/event.ts): a `play_start` at the listen's start and,
 * when the duration is known, a `play_end` or a `skip` carrying `ms_played` at start + ms_played.
 * Each event also carries the `platform` it came from; how that goes on the wire is the route's call.
 *
 * Skip rules (the source's word, never a guess from the length alone):
 * - Spotify: `skipped === true`, or `reason_end === 'fwdbtn'` with less than 30 s played
 *   (SKIP_BEFORE_MS; records before ~2020 carry `skipped: null`, and their forward-button ends are the
 *   only signal).
 * - Apple Music: `End Reason Type` TRACK_SKIPPED_FORWARDS, TRACK_SKIPPED_BACKWARDS or any SCRUBBED…
 *   value (the listener jumped off the track), or MANUALLY_SELECTED_PLAYBACK_OF_A_DIFF_ITEM with less
 *   than 30 s played.
 * - YouTube Music and Last.fm: their exports say nothing about skips.
 *
 * Unknown duration: Last.fm scrobbles only after half the track or 4 minutes and never tracks under
 * 30 s, so a scrobble gets a `play_end` with ms_played 30 000 (STREAM_MIN_MS, the lower bound the
 * rule guarantees). YouTube Music's watch history is written when playback starts, so by default a
 * YouTube Music listen is a `play_start` only; `assumedMsPlayed` changes either default.
 *
 * Event ids: `imp-` + 40 hex of SHA-256 over (user, platform, start ts, source track key, start|end),
 * where the track key is the platform's track id, else the ISRC, else lower-cased artist + title. The
 * record's position in its file and the matcher's answer are left out, so re-importing a file, or an
 * overlapping newer export, or the same file after the catalogue grew, gives the same ids; and a
 * change of the skip rules swaps a `play_end` for a `skip` under the same id instead of adding one.
 */
import type { Listen, Platform } from './types.ts';

/** contract/events.ts SKIP_BEFORE_MS and STREAM_MIN_MS (not imported: worker/imports stays self-contained). */
export const SKIP_BEFORE_MS = 30_000;
export const STREAM_MIN_MS = 30_000;

export type ImportEventType = 'play_start' | 'play_end' | 'skip';

export interface ImportEvent {
  event_id: string;
  user_id: string;
  /** The catalogue track the matcher found, or null for an unmatched listen. */
  track_id: string | null;
  type: ImportEventType;
  /** epoch ms */
  ts: number;
  ms_played?: number;
  platform: Platform;
}

export interface ToEventsOptions {
  /** ms_played to assume when the export has none; null → play_start only. */
  assumedMsPlayed?: Partial<Record<Platform, number | null>>;
}

const DEFAULT_ASSUMED: Record<Platform, number | null> = { spotify: null, apple_music: null, lastfm: STREAM_MIN_MS, youtube_music: null };

/** Whether the source says the listen was skipped (rules above). */
export function isSkip(l: Listen): boolean {
  const ms = l.ms_played ?? Number.POSITIVE_INFINITY;
  if (l.platform === 'spotify') return l.skipped === true || (l.reason_end === 'fwdbtn' && ms < SKIP_BEFORE_MS);
  if (l.platform === 'apple_music') {
    const r = (l.reason_end ?? '').toUpperCase();
    return (
      r.startsWith('TRACK_SKIPPED') ||
      r.startsWith('SCRUBBED') ||
      (r === 'MANUALLY_SELECTED_PLAYBACK_OF_A_DIFF_ITEM' && ms < SKIP_BEFORE_MS)
    );
  }
  return false;
}

/** The source's identity of the track, for event ids: never depends on our catalogue. */
export function sourceTrackKey(l: Listen): string {
  if (l.platform_track_id) return `id:${l.platform_track_id}`;
  if (l.isrc) return `isrc:${l.isrc}`;
  return `name:${l.artist_name.trim().toLowerCase()}\u0000${l.track_name.trim().toLowerCase()}`;
}

/** `imp-` + 40 hex characters of SHA-256: fits ID_PATTERN. */
export async function importEventId(userId: string, l: Listen, part: 'start' | 'end'): Promise<string> {
  const input = JSON.stringify(['backbeat-import-v1', userId, l.platform, l.ts, sourceTrackKey(l), part]);
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(input));
  let hex = '';
  for (const b of new Uint8Array(digest).subarray(0, 20)) hex += b.toString(16).padStart(2, '0');
  return `imp-${hex}`;
}

/**
 * The events of one listen.
 *
 * @example
 * await toEvents(listen, 'u-42', match?.track_id ?? null)
 * // [{ type: 'play_start', … }, { type: 'play_end', ms_played: 201000, … }]
 */
export async function toEvents(l: Listen, userId: string, trackId: string | null, opts: ToEventsOptions = {}): Promise<ImportEvent[]> {
  const base = { user_id: userId, track_id: trackId, platform: l.platform };
  const events: ImportEvent[] = [{ event_id: await importEventId(userId, l, 'start'), ...base, type: 'play_start', ts: l.ts }];
  const assumed =
    opts.assumedMsPlayed && l.platform in opts.assumedMsPlayed ? opts.assumedMsPlayed[l.platform] : DEFAULT_ASSUMED[l.platform];
  const ms = l.ms_played ?? assumed ?? undefined;
  if (ms === undefined) return events;
  events.push({
    event_id: await importEventId(userId, l, 'end'),
    ...base,
    type: isSkip(l) ? 'skip' : 'play_end',
    ts: l.ts + ms,
    ms_played: ms,
  });
  return events;
}
