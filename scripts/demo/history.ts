/**
 * Months of listening for one generated listener: sessions at the hours their rhythm favours, in
 * their own time zone, doing something (commuting, working out…); tracks drawn from their favourites
 * or discovered in the genres they like; each play judged by the behaviour model.
 */
import type { EventInput } from '../../worker/schemas/event.ts';
import { type Activity, fitScore, momentFit, playOutcome, type TrackTraits } from './behaviour.ts';
import type { Catalogue } from './catalogue.ts';
import { GENRES } from './genres.ts';
import { activityAt, type Listener, zoneOffsetMinutes } from './listeners.ts';
import { hashSeed, Rng, sampleCumulative } from './rng.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** The POST /v1/events shape, with ts in epoch ms. */
export type DemoEvent = EventInput;

export interface HistoryOptions {
  seed: string;
  start: number;
  end: number;
  eventsPerUser: number;
}

const DISCOVERY_SOURCES = ['editorial', 'radio', 'search', 'user_playlist', 'artist_page'] as const;
const DISCOVERY_WEIGHTS = [0.3, 0.25, 0.17, 0.18, 0.1];
/** Average events per session (about 7 plays of 2 events and a few saves), to hit eventsPerUser. */
const EVENTS_PER_SESSION = 14;
/**
 * Share of sessions that start from a home list Backbeat served: the listener plays down the list,
 * each play carrying its rec_id and position, so reach, impressions and conversion have history.
 */
const SERVED_SHARE = 0.3;
const SERVED_LIST_SIZE = 10;

/** A list served in the history, in the POST /v1/admin/served-lists shape (served_at in epoch ms). */
export interface DemoServedList {
  rec_id: string;
  user_id: string;
  surface: 'home';
  served_at: number;
  items: { track_id: string }[];
}

/** Each genre's typical sound, to steer what listeners put on for an activity. */
const GENRE_TRAITS: TrackTraits[] = GENRES.map((g) => ({
  durationMs: g.durationS * 1000,
  genre: g.name,
  energy: g.energy,
  tempo: g.tempo,
  danceability: g.danceability,
  valence: g.valence,
  acousticness: g.acousticness,
  instrumentalness: g.instrumentalness,
  speechiness: g.speechiness,
}));

/**
 * All events of one listener between `start` and `end`, in time order except for later unsaves.
 *
 * @example listenerHistory(catalogue, listener('demo', 7), { seed: 'demo', start, end, eventsPerUser: 100 })
 */
export function listenerHistory(cat: Catalogue, l: Listener, o: HistoryOptions): DemoEvent[] {
  return listenerActivity(cat, l, o).events;
}

/**
 * One listener's events and the home lists they were served, which the algorithmic plays came from.
 *
 * @example const { events, lists } = listenerActivity(catalogue, listener('demo', 7), options);
 */
export function listenerActivity(cat: Catalogue, l: Listener, o: HistoryOptions): { events: DemoEvent[]; lists: DemoServedList[] } {
  const rng = new Rng(hashSeed(o.seed, 'history', l.index));
  const idBase = `e-${hashSeed(o.seed).toString(36)}-${l.index}-`;
  const days = Math.max(1, Math.round((o.end - o.start) / DAY));
  const sessions: { ts: number; activity: Activity }[] = [];
  const count = rng.poisson((o.eventsPerUser * l.activity) / EVENTS_PER_SESSION);
  for (let s = 0; s < count; s++) {
    const day = o.start + rng.int(days) * DAY;
    const hour = rng.weighted(l.hours);
    const localMs = day + hour * HOUR + rng.int(60) * 60_000;
    const ts = localMs - zoneOffsetMinutes(l.timezone, localMs) * 60_000;
    if (ts < o.start || ts > o.end - HOUR) continue;
    sessions.push({ ts, activity: activityAt(rng, l, hour, new Date(localMs).getUTCDay()) });
  }
  sessions.sort((a, b) => a.ts - b.ts);

  const events: DemoEvent[] = [];
  const lists: DemoServedList[] = [];
  const library: number[] = [];
  const inLibrary = new Set<number>();
  const saved = new Set<number>();
  let seq = 0;
  const emit = (e: Omit<DemoEvent, 'event_id' | 'user_id'>) => {
    events.push({ event_id: idBase + seq++, user_id: l.id, ...e });
  };
  // Genres the catalogue has no tracks in (an imported catalogue) are never asked for.
  const affinity2 = l.genreAffinity.map((a, gi) => (cat.byGenre[gi]!.tracks.length > 0 ? a * a : 0));

  /** Up to `n` distinct tracks released by `ts`, drawn as discoveries are (mostly the session's genre). */
  const discoveries = (sessionGenre: number, ts: number, n: number): number[] => {
    const picked: number[] = [];
    for (let attempt = 0; attempt < n * 3 && picked.length < n; attempt++) {
      const pool = cat.byGenre[rng.chance(0.7) ? sessionGenre : rng.weighted(affinity2)]!;
      if (pool.tracks.length === 0) continue;
      const candidate = pool.tracks[sampleCumulative(pool.cumulative, rng.next())]!;
      if (cat.releaseTs[candidate]! <= ts && !picked.includes(candidate)) picked.push(candidate);
    }
    return picked;
  };

  for (const [index, session] of sessions.entries()) {
    const genreWeights = affinity2.map((a, gi) => a * (0.3 + momentFit(session.activity, GENRE_TRAITS[gi]!)));
    const sessionGenre = rng.weighted(genreWeights);
    const plays = 1 + Math.floor(-Math.log(1 - rng.next()) * 6);
    let served: DemoServedList | null = null;
    let servedTracks: number[] = [];
    if (rng.chance(SERVED_SHARE)) {
      servedTracks = discoveries(sessionGenre, session.ts, SERVED_LIST_SIZE);
      if (servedTracks.length > 0) {
        served = {
          rec_id: `r-${hashSeed(o.seed).toString(36)}-${l.index}-${index}`,
          user_id: l.id,
          surface: 'home',
          served_at: session.ts - 2000,
          items: servedTracks.map((i) => ({ track_id: cat.tracks[i]!.id })),
        };
        lists.push(served);
      }
    }
    let t = session.ts;
    for (let p = 0; p < plays && t < o.end; p++) {
      if (served && p >= servedTracks.length) break;
      const familiar = !served && library.length >= 8 && rng.chance(0.4);
      let track = -1;
      let source: NonNullable<DemoEvent['context']>['source'];
      if (served) {
        // Down the served list, in its order.
        track = servedTracks[p]!;
        source = 'algorithmic';
      } else if (familiar) {
        track = library[rng.int(library.length)]!;
        source = rng.chance(0.7) ? 'library' : 'user_playlist';
      } else {
        const gi = rng.chance(0.7) ? sessionGenre : rng.weighted(affinity2);
        const pool = cat.byGenre[gi]!;
        if (pool.tracks.length === 0) continue;
        for (let attempt = 0; attempt < 3 && track < 0; attempt++) {
          const candidate = pool.tracks[sampleCumulative(pool.cumulative, rng.next())]!;
          if (cat.releaseTs[candidate]! <= t) track = candidate;
        }
        if (track < 0) continue;
        source = DISCOVERY_SOURCES[rng.weighted(DISCOVERY_WEIGHTS)]!;
      }
      const traits = cat.traits[track]!;
      const trackId = cat.tracks[track]!.id;
      const outcome = playOutcome(rng, fitScore(l, traits, session.activity, familiar), traits.durationMs, l);
      const context = served
        ? { source, surface: 'home', rec_id: served.rec_id, position: p, device: l.device }
        : { source, device: l.device };
      emit({ track_id: trackId, type: 'play_start', ts: t, context });
      t += outcome.msPlayed;
      emit({ track_id: trackId, type: outcome.kind === 'skip' ? 'skip' : 'play_end', ts: t, ms_played: outcome.msPlayed, context });
      if (outcome.save && !saved.has(track)) {
        saved.add(track);
        emit({ track_id: trackId, type: 'save', ts: t + 1000, context });
        // Some saves are regretted later.
        const unsaveAt = t + rng.range(1, 40) * DAY;
        if (rng.chance(0.07) && unsaveAt < o.end)
          emit({ track_id: trackId, type: 'unsave', ts: Math.round(unsaveAt), context: { source: 'library' } });
      }
      if (outcome.playlistAdd) {
        emit({ track_id: trackId, type: 'playlist_add', ts: t + 1500, context: { ...context, playlist_id: `pl-${l.id}-${rng.int(3)}` } });
      }
      if (outcome.share) emit({ track_id: trackId, type: 'share', ts: t + 2000, context });
      if (!inLibrary.has(track) && (outcome.save || outcome.playlistAdd || (outcome.kind === 'complete' && rng.chance(0.35)))) {
        inLibrary.add(track);
        library.push(track);
      }
      t += 500 + rng.int(2500);
    }
  }
  return { events, lists };
}
