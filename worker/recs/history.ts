/**
 * The user's taste at request time: recent events weighted by type and recency as the manifest
 * says (eventWeights, halfLifeDays) with the trainer's own functions, plus what must not be recommended (recent plays, skips,
 * unsaves). Read on every request, so a save or a skip changes the very next list.
 */
import type { EventWeights } from '../../models/bundle/manifest.ts';
import { decay, eventWeight, STREAM_MS } from '../../models/data/event-weights.ts';
import type { HistoryEvent } from '../db/recs.ts';

/** A skip before this many ms is a rejection (the 30-second rule). */
const SKIP_REJECT_MS = STREAM_MS;

export interface Taste {
  /** Decayed engagement strength per track id (> 0 only). */
  strength: Map<string, number>;
  /** Tracks played, started or skipped within the recent window. */
  recent: Set<string>;
  /** Tracks skipped before 30 s (and not saved since) or unsaved. */
  rejected: Set<string>;
  events: number;
}

/**
 * Folds a newest-first list of events into a Taste.
 *
 * @example tasteOf(events, Date.now(), { weights: manifest.eventWeights, halfLifeDays: 30, recentHours: 24, durationOf })
 */
export function tasteOf(
  events: readonly HistoryEvent[],
  now: number,
  opts: { weights: EventWeights; halfLifeDays: number; recentHours: number; durationOf: (trackId: string) => number | undefined },
): Taste {
  const strength = new Map<string, number>();
  const recent = new Set<string>();
  const rejected = new Set<string>();
  const savedLater = new Set<string>();
  const recentSince = now - opts.recentHours * 3_600_000;
  // Newest first: a save seen before (i.e. after in time) a skip forgives the skip.
  for (const e of events) {
    if (e.ts >= recentSince && (e.type === 'play_start' || e.type === 'play_end' || e.type === 'skip')) recent.add(e.trackId);
    if (e.type === 'save' || e.type === 'playlist_add') savedLater.add(e.trackId);
    if (e.type === 'unsave' && !savedLater.has(e.trackId)) rejected.add(e.trackId);
    if (e.type === 'skip' && (e.msPlayed ?? 0) < SKIP_REJECT_MS && !savedLater.has(e.trackId)) rejected.add(e.trackId);
    // The trainer's own weighting (models/data/event-weights.ts), so serving sees what training saw.
    const w = eventWeight({ type: e.type, ts: e.ts, msPlayed: e.msPlayed, durationMs: opts.durationOf(e.trackId) ?? null }, opts.weights);
    if (w !== 0) strength.set(e.trackId, (strength.get(e.trackId) ?? 0) + w * decay(e.ts, now, opts.halfLifeDays));
  }
  for (const [id, w] of strength) if (w <= 0 || rejected.has(id)) strength.delete(id);
  return { strength, recent, rejected, events: events.length };
}
