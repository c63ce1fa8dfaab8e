/**
 * The user's taste at request time: recent events weighted by type and recency as the manifest
 * says (eventWeights, halfLifeDays) with the trainer's own functions, the current listening
 * session on top (contract/session-weights.ts: the last plays weigh most, so the next list follows
 * what is playing now), plus what must not be recommended: recent plays, skips, unsaves and
 * `not_interested`, and the artists the listener said no to. Read on every request, so a save, a
 * skip or a "not interested" changes the very next list.
 */
import type { EventWeights } from '../../contract/events.ts';
import { decay, eventWeight, SKIP_BEFORE_MS } from '../../contract/events.ts';
import { SESSION_GAP_MS, sessionOf, sessionWeightsOf } from '../../contract/session-weights.ts';
import type { HistoryEvent } from '../db/recs.ts';

/** A skip before this many ms is a rejection (the 30-second rule). */
const SKIP_REJECT_MS = SKIP_BEFORE_MS;
/** Skips within this window push their neighbours down (see `skips`). */
const SKIP_WINDOW_MS = 7 * 86_400_000;
/** Half-life of a skip's push on its neighbours: a skip a minute ago counts fully, one a day ago half. */
const SKIP_HALF_LIFE_MS = 86_400_000;
const MAX_SKIPS = 10;
/** Tracks of the current session that pull their neighbours up, and the pull's decay per play back. */
const MAX_SESSION = 5;
const SESSION_DECAY = 0.8;

export interface Taste {
  /** Decayed engagement strength per track id (> 0 only), the session's extra weight included. */
  strength: Map<string, number>;
  /** Tracks played, started or skipped within the recent window. */
  recent: Set<string>;
  /** Tracks skipped before 30 s (and not saved since), unsaved, or marked not_interested. */
  rejected: Set<string>;
  /** Tracks whose artist the listener marked not_interested_artist (not saved since). */
  rejectedArtistsOf: Set<string>;
  /** Recent skips under 30 s, newest first, with their weight (1 now, ½ a day ago): their neighbours drop. */
  skips: Array<{ trackId: string; weight: number }>;
  /**
   * The current session's tracks (contract/session-weights.ts: plays less than 30 min apart, skips
   * left out), newest first, weighted SESSION_DECAY^position, doubled when saved or added to a
   * playlist in the session (at most 1): their neighbours rise.
   */
  session: Array<{ trackId: string; weight: number }>;
  events: number;
}

/**
 * Folds a newest-first list of events into a Taste.
 *
 * @example tasteOf(events, Date.now(), { weights: manifest.eventWeights, halfLifeDays: 30, recentHours: 168, durationOf })
 */
export function tasteOf(
  events: readonly HistoryEvent[],
  now: number,
  opts: { weights: EventWeights; halfLifeDays: number; recentHours: number; durationOf: (trackId: string) => number | undefined },
): Taste {
  const strength = new Map<string, number>();
  const recent = new Set<string>();
  const rejected = new Set<string>();
  const rejectedArtistsOf = new Set<string>();
  const skips: Taste['skips'] = [];
  const savedLater = new Set<string>();
  const recentSince = now - opts.recentHours * 3_600_000;
  // Newest first: a save seen before (i.e. after in time) a skip or a "not interested" forgives it.
  for (const e of events) {
    if (e.ts >= recentSince && (e.type === 'play_start' || e.type === 'play_end' || e.type === 'skip')) recent.add(e.trackId);
    if (e.type === 'save' || e.type === 'playlist_add') savedLater.add(e.trackId);
    const forgiven = savedLater.has(e.trackId);
    if ((e.type === 'unsave' || e.type === 'not_interested') && !forgiven) rejected.add(e.trackId);
    if (e.type === 'not_interested_artist' && !forgiven) rejectedArtistsOf.add(e.trackId);
    if (e.type === 'skip' && (e.msPlayed ?? 0) < SKIP_REJECT_MS && !forgiven) {
      rejected.add(e.trackId);
      if (now - e.ts <= SKIP_WINDOW_MS && skips.length < MAX_SKIPS) {
        skips.push({ trackId: e.trackId, weight: 0.5 ** (Math.max(0, now - e.ts) / SKIP_HALF_LIFE_MS) });
      }
    }
    // The trainer's own weighting (contract/events.ts), so serving sees what training saw.
    const w = eventWeight({ type: e.type, ts: e.ts, msPlayed: e.msPlayed, durationMs: opts.durationOf(e.trackId) ?? null }, opts.weights);
    if (w !== 0) strength.set(e.trackId, (strength.get(e.trackId) ?? 0) + w * decay(e.ts, now, opts.halfLifeDays));
  }
  const played = sessionOf(events, now);
  for (const [id, extra] of sessionWeightsOf(played)) strength.set(id, (strength.get(id) ?? 0) + extra);
  for (const [id, w] of strength) if (w <= 0 || rejected.has(id)) strength.delete(id);
  const kept = new Set(
    events.filter((e) => e.ts >= now - SESSION_GAP_MS && (e.type === 'save' || e.type === 'playlist_add')).map((e) => e.trackId),
  );
  const session = [...new Set(played)]
    .filter((id) => !rejected.has(id))
    .slice(0, MAX_SESSION)
    .map((trackId) => ({ trackId, weight: Math.min(1, SESSION_DECAY ** played.indexOf(trackId) * (kept.has(trackId) ? 2 : 1)) }));
  return { strength, recent, rejected, rejectedArtistsOf, skips, session, events: events.length };
}
