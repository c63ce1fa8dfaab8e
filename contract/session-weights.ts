/**
 * The current listening session as extra history weight, so the fold-in leans towards what the
 * listener is playing right now. Pure (no Node imports): the Worker calls it at request time on the
 * same newest-first events it folds in.
 *
 * A session is the run of events going back from the newest while consecutive events are less than
 * 30 minutes apart (the usual Last.fm sessionisation rule), and only while the newest is less than
 * 30 minutes before `now`: a listener back after a pause starts a new, empty session.
 */

/** Two events this far apart (or the newest this far before `now`) belong to different sessions. */
export const SESSION_GAP_MS = 30 * 60_000;
/** A skip shorter than this says "not this one": the product's 30-second stream rule. */
export const SKIP_MS = 30_000;
/** At most this many plays back are looked at (older ones weigh < decay⁵⁰ anyway). */
export const MAX_SESSION_PLAYS = 50;

export interface SessionEvent {
  trackId: string;
  type: string;
  ts: number;
  msPlayed: number | null;
}

export interface SessionOptions {
  /** extra strength of the newest play, in event-weight units (a complete play counts 2) */
  weight: number;
  /** factor per play back: the play p positions before the newest gets weight · decay^p */
  decay: number;
}

/**
 * Chosen on the validation splits of `npm run eval:session` (models/cli/eval-session.ts; grid
 * weight 2…512 × decay 0.5/0.8, Last.fm 1K excerpt and demo world, next track and next artist).
 * The weight looks huge but the fold-in saturates strengths (BM25, s → K1 + 1 = 101) and takes
 * their log, so this means "the last plays get close to the highest confidence any history item
 * can have", whatever the listener's history: smaller weights (≤ 32) were lost in the long
 * histories of heavy listeners. A slow decay (0.8) beat 0.5 on 3 of the 4 splits.
 */
export const DEFAULT_SESSION_OPTIONS: Readonly<SessionOptions> = Object.freeze({ weight: 512, decay: 0.8 });

/** Removals are not listening; they neither count as a play nor break a play run. */
const NOT_PLAYS = new Set(['unsave', 'playlist_remove']);

/**
 * The session's plays, newest first: consecutive events of one track (play_start, play_end, save…)
 * are one play; a play containing a skip under 30 s is dropped; repeats of a track stay separate
 * entries.
 *
 * @example
 * sessionOf([{ trackId: 'b', type: 'play_end', ts: now - 1e3, msPlayed: 2e5 },
 *            { trackId: 'a', type: 'play_end', ts: now - 3e5, msPlayed: 2e5 }], now); // ['b', 'a']
 */
export function sessionOf(events: readonly SessionEvent[], now: number): string[] {
  const out: string[] = [];
  let last = now;
  let run: string | null = null;
  let skipped = false;
  const close = () => {
    if (run !== null && !skipped) out.push(run);
  };
  for (const e of events) {
    if (last - e.ts >= SESSION_GAP_MS) break;
    last = e.ts;
    if (NOT_PLAYS.has(e.type)) continue;
    if (e.trackId !== run) {
      close();
      if (out.length >= MAX_SESSION_PLAYS) return out;
      run = e.trackId;
      skipped = false;
    }
    if (e.type === 'skip' && (e.msPlayed ?? 0) < SKIP_MS) skipped = true;
  }
  close();
  return out.slice(0, MAX_SESSION_PLAYS);
}

/**
 * Extra history weight per track for the current session:
 *
 *   extra(t) = weight · Σ_{p : session[p] = t} decay^p
 *
 * with `session = sessionOf(events, now)` (p = 0 is the newest play, skipped plays are not in it),
 * to be added to the track's recency-decayed event strength before fold-in. Tracks outside the
 * session get nothing (they are not in the map).
 *
 * @example
 * const extra = sessionWeights(events, Date.now()); // Map { 'b' => 8, 'a' => 4 }
 */
export function sessionWeights(
  events: readonly SessionEvent[],
  now: number,
  opts: SessionOptions = DEFAULT_SESSION_OPTIONS,
): Map<string, number> {
  return sessionWeightsOf(sessionOf(events, now), opts);
}

/**
 * The same extra weights from a session already cut by `sessionOf`, for callers that need the
 * session itself too.
 *
 * @example sessionWeightsOf(['b', 'a'], { weight: 8, decay: 0.5 }) // Map { 'b' => 8, 'a' => 4 }
 */
export function sessionWeightsOf(session: readonly string[], opts: SessionOptions = DEFAULT_SESSION_OPTIONS): Map<string, number> {
  const out = new Map<string, number>();
  let w = opts.weight;
  for (const t of session) {
    out.set(t, (out.get(t) ?? 0) + w);
    w *= opts.decay;
  }
  return out;
}

/**
 * A whole log of one listener (oldest first) cut into its sessions at gaps of 30 minutes or more,
 * each as its listened plays, oldest first, by the rules of `sessionOf`: what the trainer learns
 * transitions from is what the Worker sees as the session.
 *
 * @example
 * logSessions([play('a', 0), play('b', 5), play('c', 60)]); // [['a', 'b'], ['c']] (minutes)
 */
export function logSessions(events: readonly SessionEvent[]): string[][] {
  const out: string[][] = [];
  let start = 0;
  for (let i = 1; i <= events.length; i++) {
    if (i === events.length || (events[i] as SessionEvent).ts - (events[i - 1] as SessionEvent).ts >= SESSION_GAP_MS) {
      const chunk = events.slice(start, i).reverse();
      if (chunk.length > 0) out.push(sessionOf(chunk, (chunk[0] as SessionEvent).ts).reverse());
      start = i;
    }
  }
  return out;
}
