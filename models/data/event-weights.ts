/**
 * How listening events become one engagement strength per (user, track): each event's weight from
 * the bundle's `eventWeights`, decayed by age with `halfLifeDays`, summed. Pure (no Node imports) so
 * the Worker can compute a request-time history exactly as the trainer did.
 */
import type { EventWeights } from '../bundle/manifest.ts';

/** The product's 30-second rule: a play shorter than this is not a stream. */
export const STREAM_MS = 30_000;
/** A play reaching this share of the track's duration is a completion. */
export const COMPLETE_SHARE = 0.9;
const DAY_MS = 86_400_000;

export interface ListeningEvent {
  type: string;
  ts: number;
  msPlayed: number | null;
  durationMs: number | null;
}

/**
 * Undecayed weight of one event: a completed play counts as `complete`, a stream as `play`, a play
 * under 30 s as nothing; `skip` uses its (often 0 or negative) weight; removals undo their additions.
 *
 * @example
 * eventWeight({ type: 'play_end', ts, msPlayed: 200_000, durationMs: 210_000 }, DEFAULT_EVENT_WEIGHTS); // 2
 */
export function eventWeight(e: ListeningEvent, w: EventWeights): number {
  switch (e.type) {
    case 'play_end': {
      const ms = e.msPlayed;
      if (ms !== null && e.durationMs && ms >= COMPLETE_SHARE * e.durationMs) return w.complete;
      return ms === null || ms >= STREAM_MS ? w.play : 0;
    }
    case 'skip':
      return w.skip;
    case 'save':
      return w.save;
    case 'unsave':
      return -w.save;
    case 'playlist_add':
      return w.playlist_add;
    case 'playlist_remove':
      return -w.playlist_add;
    default:
      return w[e.type] ?? 0;
  }
}

/** Recency decay: 1 at `now`, ½ one half-life earlier. */
export const decay = (ts: number, now: number, halfLifeDays: number): number => 0.5 ** (Math.max(0, now - ts) / (halfLifeDays * DAY_MS));
