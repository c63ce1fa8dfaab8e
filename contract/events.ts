/**
 * Listening events, once, for the Worker and the trainer: the event types, the product's stream /
 * completion / skip rules (shared/spec/product.md), and how events become one engagement strength
 * per (user, track): each event's weight from the bundle's `eventWeights`, decayed by age with
 * `halfLifeDays`, summed. Analytics, catalogue popularity, segments, campaigns, placements and the
 * trainer all count through these rules (worker/db/event-rules.ts states them in SQL). Pure.
 */

/**
 * What a listener did to a track. `not_interested` hides the track from their recommendations and
 * `not_interested_artist` every track of its artist (send the track on screen), until they save or
 * add the track to a playlist again; neither counts in any analytics metric.
 */
export const EVENT_TYPES = [
  'play_start',
  'play_end',
  'skip',
  'save',
  'unsave',
  'playlist_add',
  'playlist_remove',
  'share',
  'not_interested',
  'not_interested_artist',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** The events that close a listen and carry `ms_played`: one of them is one *play*. */
export const PLAY_TYPES = ['play_end', 'skip'] as const;

/** The industry's 30-second rule: a play counts as a stream from this many ms played, however it ended. */
export const STREAM_MIN_MS = 30_000;
/** A play completes when it reaches this share of the track's duration. */
export const COMPLETION_SHARE = 0.9;
/** A skip counts toward the skip rate (and rejects the track for recommendations) before this many ms. */
export const SKIP_BEFORE_MS = 30_000;
export const DAY_MS = 86_400_000;

/** @example isStream(31_000) // true */
export function isStream(msPlayed: number): boolean {
  return msPlayed >= STREAM_MIN_MS;
}

/** @example isCompletion(180_000, 200_000) // true (90 %) */
export function isCompletion(msPlayed: number, durationMs: number): boolean {
  return durationMs > 0 && msPlayed >= COMPLETION_SHARE * durationMs;
}

/** @example isCountedSkip(12_000) // true */
export function isCountedSkip(msPlayed: number): boolean {
  return msPlayed < SKIP_BEFORE_MS;
}

/** Engagement strength of one event of each type, before recency decay. */
export interface EventWeights {
  play: number;
  complete: number;
  save: number;
  playlist_add: number;
  skip: number;
  [type: string]: number;
}

export const DEFAULT_EVENT_WEIGHTS: Readonly<EventWeights> = Object.freeze({ play: 1, complete: 2, save: 4, playlist_add: 4, skip: 0 });
export const DEFAULT_HALF_LIFE_DAYS = 30;

export interface ListeningEvent {
  type: string;
  ts: number;
  msPlayed: number | null;
  durationMs: number | null;
}

/**
 * Undecayed weight of one event: a completed play counts as `complete`, a stream (a `play_end` or a
 * `skip` from 30 s) as `play`, a `play_end` under 30 s as nothing, a skip under 30 s its (often 0 or
 * negative) `skip` weight; removals undo their additions.
 *
 * @example
 * eventWeight({ type: 'play_end', ts, msPlayed: 200_000, durationMs: 210_000 }, DEFAULT_EVENT_WEIGHTS); // 2
 */
export function eventWeight(e: ListeningEvent, w: EventWeights): number {
  switch (e.type) {
    case 'play_end': {
      const ms = e.msPlayed;
      if (ms !== null && e.durationMs && isCompletion(ms, e.durationMs)) return w.complete;
      return ms === null || isStream(ms) ? w.play : 0;
    }
    case 'skip':
      // A skip after 30 s is still a stream (the same rule as analytics); an early one is a rejection.
      return e.msPlayed !== null && isStream(e.msPlayed) ? w.play : w.skip;
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
