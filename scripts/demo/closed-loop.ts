/**
 * How a simulated listener acts on a served recommendation list: glance at it (or not), play down the
 * list, skip or finish each track by the same behaviour model as the history, save the ones they love.
 * Plays carry the list's rec_id and position with source `algorithmic`, which is what the dashboard's
 * reach, conversion and campaign lift are computed from.
 */
import { type Activity, fitScore, playOutcome, type TrackTraits } from './behaviour.ts';
import type { DemoEvent } from './history.ts';
import type { Listener } from './listeners.ts';
import type { Rng } from './rng.ts';

export interface ServedList {
  rec_id: string;
  /** The surface the list was served on (a generated playlist's); home lists leave it out. */
  surface?: string;
  items: { track_id: string; score?: number; reason?: string; source?: string }[];
}

export interface ListSession {
  events: DemoEvent[];
  plays: number;
  skips: number;
  ignored: boolean;
}

/** Chance the listener does not act on the list at all (impressions without plays). */
const IGNORE_LIST = 0.2;
/** Chance of going on to the next item after each one. */
const KEEP_GOING = 0.8;

/**
 * Events of one listener's session on `list`, ending at `now` (the session is placed in the recent
 * past so no event lies in the future). Tracks whose traits are unknown are passed over.
 *
 * @example actOnList(rng, listener('demo', 3), 'workout', list, (id) => traits.get(id), Date.now(), 'sim-1')
 */
export function actOnList(
  rng: Rng,
  l: Listener,
  activity: Activity,
  list: ServedList,
  traitsOf: (trackId: string) => TrackTraits | undefined,
  now: number,
  idPrefix: string,
): ListSession {
  const session: ListSession = { events: [], plays: 0, skips: 0, ignored: false };
  if (list.items.length === 0 || rng.chance(IGNORE_LIST)) {
    session.ignored = true;
    return session;
  }
  type Step = { trackId: string; position: number; traits: TrackTraits; outcome: ReturnType<typeof playOutcome> };
  const steps: Step[] = [];
  for (let position = 0; position < list.items.length; position++) {
    const item = list.items[position]!;
    const traits = traitsOf(item.track_id);
    if (traits)
      steps.push({
        trackId: item.track_id,
        position,
        traits,
        outcome: playOutcome(rng, fitScore(l, traits, activity), traits.durationMs, l),
      });
    if (!rng.chance(KEEP_GOING)) break;
  }
  const total = steps.reduce((s, st) => s + st.outcome.msPlayed + 1000, 0);
  let t = now - total - 3000;
  let seq = 0;
  const context = (position: number) => ({
    source: 'algorithmic' as const,
    surface: list.surface ?? 'home',
    rec_id: list.rec_id,
    position,
    device: l.device,
  });
  const emit = (e: Omit<DemoEvent, 'event_id' | 'user_id'>) =>
    session.events.push({ event_id: `${idPrefix}-${seq++}`, user_id: l.id, ...e });
  for (const st of steps) {
    const ctx = context(st.position);
    emit({ track_id: st.trackId, type: 'play_start', ts: t, context: ctx });
    t += st.outcome.msPlayed;
    emit({
      track_id: st.trackId,
      type: st.outcome.kind === 'skip' ? 'skip' : 'play_end',
      ts: t,
      ms_played: st.outcome.msPlayed,
      context: ctx,
    });
    if (st.outcome.save) emit({ track_id: st.trackId, type: 'save', ts: t + 500, context: ctx });
    if (st.outcome.playlistAdd)
      emit({ track_id: st.trackId, type: 'playlist_add', ts: t + 700, context: { ...ctx, playlist_id: `pl-${l.id}-0` } });
    session.plays++;
    if (st.outcome.kind === 'skip') session.skips++;
    t += 1000;
  }
  return session;
}

/** Traits from a catalogue row as GET /v1/tracks/:id returns it (missing features get neutral values). */
export function traitsFromTrack(t: {
  duration_ms: number;
  genre: string | null;
  audio_features: Record<string, number | null | undefined>;
}): TrackTraits {
  const f = (name: string, fallback: number) => t.audio_features[name] ?? fallback;
  return {
    durationMs: t.duration_ms,
    genre: t.genre,
    energy: f('energy', 0.5),
    tempo: f('tempo', 115),
    danceability: f('danceability', 0.5),
    valence: f('valence', 0.5),
    acousticness: f('acousticness', 0.3),
    instrumentalness: f('instrumentalness', 0.1),
    speechiness: f('speechiness', 0.06),
  };
}
