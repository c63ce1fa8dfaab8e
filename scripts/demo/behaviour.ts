/**
 * The listener behaviour model shared by the generated history and the closed-loop simulator: how
 * well a track fits a listener and the moment, and what the listener then does with it. One model for
 * both keeps served lists and history comparable: a recommender that learns the history's tastes earns
 * fewer skips in the loop.
 */
import { GENRE_INDEX, GENRES } from './genres.ts';
import { clamp, type Rng } from './rng.ts';

export const ACTIVITIES = ['none', 'commute', 'focus', 'workout', 'party', 'relax', 'sleep'] as const;
export type Activity = (typeof ACTIVITIES)[number];

/** What the model needs to know about a track (a subset of the catalogue row). */
export interface TrackTraits {
  durationMs: number;
  /** Genre name as in the catalogue; unknown genres fall back to audio features alone. */
  genre: string | null;
  energy: number;
  tempo: number;
  danceability: number;
  valence: number;
  acousticness: number;
  instrumentalness: number;
  speechiness: number;
}

/** A listener's tastes and habits. */
export interface Taste {
  /** Affinity 0..1 per entry of GENRES. */
  genreAffinity: readonly number[];
  energyPref: number;
  acousticPref: number;
  valencePref: number;
  /** Multiplies the skip probability (some people skip more). */
  skipTendency: number;
  /** Multiplies the save / playlist-add probability. */
  saveTendency: number;
}

/** Other names the imported catalogues use for our genres. */
const GENRE_ALIASES: Record<string, string> = { edm: 'dance', rap: 'hip hop', 'hip-hop': 'hip hop', rnb: 'r&b', classic: 'classical' };

function genreIndexOf(genre: string | null): number | undefined {
  if (!genre) return undefined;
  const name = genre.toLowerCase();
  return GENRE_INDEX.get(name) ?? GENRE_INDEX.get(GENRE_ALIASES[name] ?? '');
}

/** How much the track suits the listener's taste, 0..1 (genre affinity and sound preferences). */
export function tasteFit(taste: Taste, t: TrackTraits): number {
  const sound =
    1 -
    (Math.abs(t.energy - taste.energyPref) + Math.abs(t.acousticness - taste.acousticPref) + Math.abs(t.valence - taste.valencePref)) / 1.5;
  const gi = genreIndexOf(t.genre);
  if (gi === undefined) return clamp(sound, 0, 1);
  return clamp(0.65 * (taste.genreAffinity[gi] ?? 0) + 0.35 * sound, 0, 1);
}

/** How much the track suits what the listener is doing, 0..1: a ballad scores low for a workout. */
export function momentFit(activity: Activity, t: TrackTraits): number {
  switch (activity) {
    case 'workout':
      return clamp(1 - 2.2 * Math.max(0, 0.75 - t.energy) - Math.max(0, 118 - t.tempo) / 50, 0, 1);
    case 'party':
      return clamp(1 - 1.8 * Math.max(0, 0.7 - t.danceability) - 1.5 * Math.max(0, 0.65 - t.energy), 0, 1);
    case 'focus':
      return clamp(0.45 + 0.55 * t.instrumentalness - 2 * Math.max(0, t.speechiness - 0.1) - Math.max(0, t.energy - 0.7), 0, 1);
    case 'sleep':
      return clamp(1 - 1.6 * Math.max(0, t.energy - 0.3) - 0.5 * (1 - t.acousticness), 0, 1);
    case 'relax':
      return clamp(1 - 1.2 * Math.max(0, t.energy - 0.6), 0, 1);
    case 'commute':
      return clamp(1 - 0.8 * Math.max(0, 0.4 - t.energy), 0, 1);
    default:
      return 1;
  }
}

/** How strongly the moment weighs against taste when the listener judges a track. */
const MOMENT_WEIGHT: Record<Activity, number> = { none: 0, commute: 0.2, relax: 0.3, focus: 0.4, party: 0.45, workout: 0.5, sleep: 0.5 };

/** Overall fit 0..1: taste, the moment, and a bonus when the track is already a favourite. */
export function fitScore(taste: Taste, t: TrackTraits, activity: Activity, familiar = false): number {
  const w = MOMENT_WEIGHT[activity];
  return clamp((1 - w) * tasteFit(taste, t) + w * momentFit(activity, t) + (familiar ? 0.12 : 0), 0, 1);
}

/** Probability that a play ends in a skip, falling steeply with fit. */
export function skipProbability(fitValue: number, skipTendency = 1): number {
  return clamp((0.03 + 0.8 / (1 + Math.exp(9 * (fitValue - 0.45)))) * skipTendency, 0.01, 0.95);
}

/** Probability that a play that was not skipped runs to the end. */
export function completionProbability(fitValue: number): number {
  return clamp(0.5 + 0.45 * fitValue, 0, 0.97);
}

export interface PlayOutcome {
  kind: 'skip' | 'complete' | 'partial';
  msPlayed: number;
  save: boolean;
  playlistAdd: boolean;
  share: boolean;
}

/**
 * What a listener does with one track: skip (mostly within 30 s), play it through, or stop part-way;
 * and whether they save it, add it to a playlist or share it.
 *
 * @example playOutcome(rng, fitScore(taste, track, 'workout'), track.durationMs, taste).kind // 'skip'
 */
export function playOutcome(
  rng: Rng,
  fitValue: number,
  durationMs: number,
  taste: Pick<Taste, 'skipTendency' | 'saveTendency'>,
): PlayOutcome {
  const none = { save: false, playlistAdd: false, share: false };
  if (rng.chance(skipProbability(fitValue, taste.skipTendency))) {
    const early = rng.chance(0.82);
    const ms = early ? 1500 + 28_000 * rng.next() ** 1.6 : 30_000 + rng.next() * Math.max(0, 0.85 * durationMs - 30_000);
    return { kind: 'skip', msPlayed: Math.round(Math.min(ms, durationMs)), ...none };
  }
  const complete = rng.chance(completionProbability(fitValue));
  const msPlayed = complete
    ? Math.round(durationMs - rng.next() * 0.05 * durationMs)
    : Math.round(Math.min(durationMs * 0.88, 30_000 + rng.next() * Math.max(0, 0.88 * durationMs - 30_000)));
  const love = fitValue ** 3 * taste.saveTendency * (complete ? 1 : 0.3);
  return {
    kind: complete ? 'complete' : 'partial',
    msPlayed,
    save: rng.chance(0.07 * love),
    playlistAdd: rng.chance(0.035 * love),
    share: rng.chance(0.004 * love),
  };
}

/** The genre profile of a known genre, for callers that need its typical sound. */
export function genreProfile(genre: string | null) {
  const gi = genreIndexOf(genre);
  return gi === undefined ? undefined : GENRES[gi];
}
