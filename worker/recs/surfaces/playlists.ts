/**
 * Generated playlists as surfaces of the one recommender: each composes `recommend()` with its own
 * taste, filters and slot shares, and computes only (no I/O), so a request or a job can call it.
 *
 * - Daily Mix 1…k: one per taste cluster (taste-clusters.ts), half the listener's own favourites of
 *   that cluster, half new tracks close to it; no track in two mixes.
 * - Discover Weekly: 30 tracks the listener has no event of (in the year read), one per artist where the
 *   catalogue allows.
 * - Release Radar: releases of the last 14 days, artists the listener plays first, then new music
 *   close to their taste (tracks without plays are scored through content.onnx like any other).
 * - Radio: a station from a track or an artist, the session continuation of up next.
 */

import { RADIO_TRACKS } from '../../schemas/playlists.ts';
import { DEFAULT_OPTIONS } from '../../schemas/recommendations.ts';
import type { Catalogue } from '../catalogue.ts';
import { listenerTaste, type Recommendation, type RecommendInput, type RecommendOptions, recommend } from '../recommend.ts';
import type { PhaseTimer } from '../timing.ts';
import { tasteClusters } from './taste-clusters.ts';

export const DAILY_MIX_TRACKS = 30;
export const DISCOVER_WEEKLY_TRACKS = 30;
export const RELEASE_RADAR_TRACKS = 30;
export const RELEASE_RADAR_DAYS = 14;
/** A Daily Mix's strongest tracks that pull their neighbours up (the heart of its cluster). */
const CLUSTER_PULLS = 5;
/** Release Radar: new music from artists the listener plays comes first, this many SD up. */
const KNOWN_ARTIST_LIFT = 3;

export type PlaylistSurface = 'daily_mix' | 'discover_weekly' | 'release_radar' | 'radio';

export interface GeneratedPlaylist {
  /** `daily-mix-1` … `daily-mix-6`, `discover-weekly`, `release-radar`, `radio`. */
  kind: string;
  surface: PlaylistSurface;
  title: string;
  description: string;
  /** Cover colour, `#rrggbb`. */
  colour: string;
  rec: Recommendation;
}

const COVER_COLOURS = ['#e13300', '#1e3264', '#8d67ab', '#148a08', '#dc148c', '#006450'] as const;
const DISCOVER_COLOUR = '#477d95';
const RADAR_COLOUR = '#ba5d07';
const RADIO_COLOUR = '#503750';

const base = (): RecommendOptions => ({ ...DEFAULT_OPTIONS, exclude: [], excludeArtists: [], seedArtists: [], seedGenres: [] });

const titleCase = (s: string) => s.replace(/(^|[\s-])(\p{L})/gu, (_, sep: string, ch: string) => sep + ch.toUpperCase());

/** "A, B, C and more" (or fewer names when the mix has fewer artists). */
function artistLine(cat: Catalogue, artists: readonly number[]): string {
  const names = artists.slice(0, 3).map((a) => cat.artistNames[a] ?? 'unknown artist');
  if (names.length === 0) return '';
  return artists.length > 3 ? `${names.join(', ')} and more` : names.join(', ');
}

/**
 * The listener's Daily Mixes, strongest cluster first (none without history). A mix is titled by its
 * cluster's genre when that genre holds at least half of it and no earlier mix has the title.
 */
export async function dailyMixes(input: RecommendInput, timer: PhaseTimer): Promise<GeneratedPlaylist[]> {
  const { model, catalogue: cat, now } = input;
  const { items } = listenerTaste(model, cat, input.events, now, DEFAULT_OPTIONS.recentHours);
  const { clusters } = tasteClusters(model, cat, items);
  const mixes: GeneratedPlaylist[] = [];
  const used = new Set<string>();
  for (const [n, cluster] of clusters.entries()) {
    const within = new Set(cluster.tracks.map((i) => cat.ids[i] as string));
    // The listener's tracks of the other mixes stay there: each mix is one side of their taste.
    const others = clusters.flatMap((c) => (c === cluster ? [] : c.tracks.map((i) => cat.ids[i] as string)));
    const rec = await recommend(
      input,
      {
        ...base(),
        limit: DAILY_MIX_TRACKS,
        tasteWithin: within,
        familiar: 0.5,
        exclude: [...used, ...others],
        pullToward: cluster.tracks.slice(0, CLUSTER_PULLS).map((i, k) => ({ trackId: cat.ids[i] as string, weight: 0.8 ** k })),
        maxPerArtist: 5,
        diversity: 0.2,
        exploration: 0.05,
        recentHours: 24,
        sessionSteers: false,
      },
      timer,
    );
    if (rec.coldStart !== 'none' || rec.items.length === 0) continue;
    for (const it of rec.items) used.add(it.trackId);
    const genre = cluster.genre >= 0 && cluster.genreShare >= 0.5 ? cat.genres[cluster.genre] : undefined;
    const genreTitle = genre ? `${titleCase(genre)} Mix` : null;
    const kind = `daily-mix-${mixes.length + 1}`;
    mixes.push({
      kind,
      surface: 'daily_mix',
      title: genreTitle && !mixes.some((m) => m.title === genreTitle) ? genreTitle : `Daily Mix ${mixes.length + 1}`,
      description: artistLine(cat, cluster.artists),
      colour: COVER_COLOURS[n % COVER_COLOURS.length] as string,
      rec,
    });
  }
  return mixes;
}

/** Thirty tracks the listener has never played (in the year of history read), one per artist. */
export async function discoverWeekly(input: RecommendInput, timer: PhaseTimer): Promise<GeneratedPlaylist> {
  const rec = await recommend(
    input,
    {
      ...base(),
      limit: DISCOVER_WEEKLY_TRACKS,
      // Never played means no event at all in the year read: a saved or skipped track is known too.
      exclude: [...new Set(input.events.map((e) => e.trackId))],
      familiar: 0,
      maxPerArtist: 1,
      exploration: 0.2,
      diversity: 0.3,
      sessionSteers: false,
    },
    timer,
  );
  return {
    kind: 'discover-weekly',
    surface: 'discover_weekly',
    title: 'Discover Weekly',
    description: 'Thirty tracks new to you, picked from what you play. A new list every Monday.',
    colour: DISCOVER_COLOUR,
    rec,
  };
}

/** Releases of the last RELEASE_RADAR_DAYS days: the artists the listener plays first, then music close to them. */
export async function releaseRadar(input: RecommendInput, timer: PhaseTimer): Promise<GeneratedPlaylist> {
  const rec = await recommend(
    input,
    {
      ...base(),
      limit: RELEASE_RADAR_TRACKS,
      releasedSince: input.now - RELEASE_RADAR_DAYS * 86_400_000,
      knownArtistLift: KNOWN_ARTIST_LIFT,
      recentHours: 0,
      familiar: 0,
      exploration: 0,
      diversity: 0.1,
      sessionSteers: false,
    },
    timer,
  );
  return {
    kind: 'release-radar',
    surface: 'release_radar',
    title: 'Release Radar',
    description: `New music of the last ${RELEASE_RADAR_DAYS} days from artists you play, and new tracks close to them.`,
    colour: RADAR_COLOUR,
    rec,
  };
}

/** What a station starts from: a track, or an artist (whose most streamed track leads). */
export type RadioSeed = { track: string } | { artist: string };

/**
 * The track a station starts from, or null when the seed is not in the catalogue (or the artist has
 * no listed track).
 */
export function radioSeedTrack(cat: Catalogue, seed: RadioSeed): number | null {
  if ('track' in seed) {
    const i = cat.indexOf.get(seed.track);
    return i !== undefined && cat.listed[i] === 1 ? i : null;
  }
  const a = cat.artistIndex.get(seed.artist);
  if (a === undefined) return null;
  const tracks = (cat.tracksOfArtist[a] ?? []).filter((i) => cat.listed[i] === 1);
  tracks.sort((x, y) => (cat.popularity[y] as number) - (cat.popularity[x] as number) || x - y);
  return tracks[0] ?? null;
}

/**
 * A station from `seed`: up next's continuation (the seed track leads the session, the bundle's
 * transitions blend in) with a share of the listener's favourites that fit it.
 */
export async function radio(
  input: RecommendInput,
  seed: RadioSeed,
  seedTrack: number,
  opts: Partial<Pick<RecommendOptions, 'limit' | 'familiar' | 'exclude' | 'excludeArtists'>>,
  timer: PhaseTimer,
): Promise<GeneratedPlaylist> {
  const cat = input.catalogue;
  const rec = await recommend(
    input,
    {
      ...base(),
      limit: RADIO_TRACKS,
      familiar: 0.2,
      maxPerArtist: 'artist' in seed ? 5 : 3,
      recentHours: 2,
      ...opts,
      nowPlaying: cat.ids[seedTrack] as string,
      nowPlayingPhrase: 'radio',
    },
    timer,
  );
  const artist = cat.artistNames[cat.artistOf[seedTrack] as number] ?? 'this artist';
  return {
    kind: 'radio',
    surface: 'radio',
    title: 'artist' in seed ? `${artist} Radio` : `${cat.titles[seedTrack]} Radio`,
    description:
      'artist' in seed ? `Music like ${artist}'s, and more of it.` : `Music that follows "${cat.titles[seedTrack]}" by ${artist}.`,
    colour: RADIO_COLOUR,
    rec,
  };
}
