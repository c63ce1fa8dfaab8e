/**
 * The generated demo world, deterministic by seed: a catalogue, listeners and their months of
 * history. Events are produced listener by listener, so a world of millions of events streams through
 * in constant memory.
 *
 * @example
 * const world = generateWorld({ seed: 'demo', users: 2000 });
 * for (const batch of world.eventBatches(500)) await post(batch);
 */
import type { UserInput } from '../../worker/schemas/user.ts';
import { type Catalogue, type CatalogueTrack, type DemoArtist, generateCatalogue } from './catalogue.ts';
import { type DemoEvent, type DemoServedList, listenerActivity, listenerHistory } from './history.ts';
import { type Listener, listener } from './listeners.ts';
import { chunks } from './send-batches.ts';

const DAY = 86_400_000;

export interface WorldConfig {
  seed: string;
  artists: number;
  tracksPerArtist: number;
  users: number;
  /** Length of the history, ending at `end`. */
  days: number;
  /** Average events per listener over the whole history (heavy and light listeners vary around it). */
  eventsPerUser: number;
  /** Share of tracks that are new releases with no plays. */
  newReleaseShare: number;
  /** Epoch ms where the history ends; fix it for a reproducible world. */
  end: number;
}

/** `npm start`'s world: a few minutes to generate and load on a 2-core machine. */
export const DEFAULT_WORLD: Omit<WorldConfig, 'end'> = {
  seed: 'backbeat-demo',
  artists: 3000,
  tracksPerArtist: 10,
  users: 20_000,
  days: 120,
  eventsPerUser: 40,
  newReleaseShare: 0.03,
};

/** The serving benchmark's world: ≥ 50 000 tracks, ≥ 20 000 users, ≥ 2 000 000 events. */
export const BENCH_WORLD: Omit<WorldConfig, 'end'> = {
  seed: 'backbeat-bench',
  artists: 5000,
  tracksPerArtist: 10,
  users: 20_000,
  days: 180,
  eventsPerUser: 115,
  newReleaseShare: 0.03,
};

/**
 * The serving benchmark at twice the catalogue (`npm run bench:recs -- --tracks 100000`): 100 000
 * tracks, with listeners as long-lived as BENCH_WORLD's (same events per listener, so the history
 * read and the fold-in cost the same) but half as many, which halves the load through the API.
 */
export const BENCH_WORLD_100K: Omit<WorldConfig, 'end'> = {
  seed: 'backbeat-bench-100k',
  artists: 10_000,
  tracksPerArtist: 10,
  users: 10_000,
  days: 180,
  eventsPerUser: 115,
  newReleaseShare: 0.03,
};

/** A world small enough for tests: seconds to load. */
export const TINY_WORLD: Omit<WorldConfig, 'end'> = {
  seed: 'tiny',
  artists: 30,
  tracksPerArtist: 5,
  users: 60,
  days: 30,
  eventsPerUser: 40,
  newReleaseShare: 0.05,
};

/** A PUT /v1/users profile; generated listeners always have a zone and a country. */
export type UserRow = Required<UserInput>;

export interface World {
  config: WorldConfig;
  /** Epoch ms of the first day of history (UTC midnight). */
  start: number;
  artists: DemoArtist[];
  /** Catalogue rows in the PUT /v1/tracks shape. */
  tracks: CatalogueTrack[];
  catalogue: Catalogue;
  listener(index: number): Listener;
  /** Profiles in the PUT /v1/users shape. */
  users(): Generator<UserRow>;
  /** All events, listener by listener. */
  events(): Generator<DemoEvent>;
  /** The home lists the history's algorithmic plays came from, listener by listener. */
  servedLists(): Generator<DemoServedList>;
  /** Events grouped into batches of at most `size` (the ingest API takes 500). */
  eventBatches(size: number): Generator<DemoEvent[]>;
  /** The `n` most popular artists, most popular first. */
  biggestArtists(n: number): DemoArtist[];
}

/** Fills unspecified sizes from DEFAULT_WORLD; `end` defaults to the current hour. */
export function worldConfig(partial: Partial<WorldConfig> = {}): WorldConfig {
  const hour = 3_600_000;
  return { ...DEFAULT_WORLD, end: Math.floor(Date.now() / hour) * hour, ...partial };
}

export function generateWorld(partial: Partial<WorldConfig> = {}): World {
  const config = worldConfig(partial);
  const start = Math.floor((config.end - config.days * DAY) / DAY) * DAY;
  const catalogue = generateCatalogue({ ...config, start });
  const history = { seed: config.seed, start, end: config.end, eventsPerUser: config.eventsPerUser };
  const world: World = {
    config,
    start,
    artists: catalogue.artists,
    tracks: catalogue.tracks,
    catalogue,
    listener: (i) => listener(config.seed, i),
    *users() {
      for (let i = 0; i < config.users; i++) {
        const l = listener(config.seed, i);
        yield { id: l.id, timezone: l.timezone, country: l.country };
      }
    },
    *events() {
      for (let i = 0; i < config.users; i++) yield* listenerHistory(catalogue, listener(config.seed, i), history);
    },
    *servedLists() {
      for (let i = 0; i < config.users; i++) yield* listenerActivity(catalogue, listener(config.seed, i), history).lists;
    },
    eventBatches: (size) => chunks(world.events(), size),
    // Artists are generated in popularity order.
    biggestArtists: (n) => catalogue.artists.slice(0, n),
  };
  return world;
}

export type { CatalogueTrack, DemoArtist, DemoEvent, Listener };
