/**
 * The generated catalogue: artists with a genre and a popularity (a Zipf-like long tail), tracks whose
 * audio features scatter around their genre's profile and their artist's own sound, release dates over
 * the years before the history, a share released during it, and a share of new releases nobody has
 * played yet.
 */
import type { TrackInput } from '../../worker/schemas/track.ts';
import type { TrackTraits } from './behaviour.ts';
import { GENRES } from './genres.ts';
import { artistName, trackTitle } from './names.ts';
import { clamp, hashSeed, Rng } from './rng.ts';

const DAY = 86_400_000;

/** The PUT /v1/tracks input shape, with every field (and every audio feature) filled in. */
export type CatalogueTrack = Required<Omit<TrackInput, 'audio_features'>> & {
  audio_features: Required<NonNullable<TrackInput['audio_features']>>;
};

export interface DemoArtist {
  id: string;
  name: string;
  genre: number;
  popularity: number;
}

export interface Catalogue {
  artists: DemoArtist[];
  tracks: CatalogueTrack[];
  traits: TrackTraits[];
  genreOf: Uint8Array;
  releaseTs: Float64Array;
  /** New releases that the history never plays (cold-start material). */
  unplayed: Uint8Array;
  /** Per genre: track indices and their cumulative popularity, for fast weighted draws. */
  byGenre: { tracks: Int32Array; cumulative: Float64Array }[];
}

export interface CatalogueOptions {
  seed: string;
  artists: number;
  tracksPerArtist: number;
  /** Epoch ms of the history's first and last day. */
  start: number;
  end: number;
  /** Share of tracks released in the last two weeks and never played in the history. */
  newReleaseShare: number;
}

const unit = (x: number) => Math.round(clamp(x, 0, 1) * 1000) / 1000;

export function generateCatalogue(o: CatalogueOptions): Catalogue {
  const rng = new Rng(hashSeed(o.seed, 'catalogue'));
  const shares = GENRES.map((g) => g.share);
  const artists: DemoArtist[] = [];
  // Names are unique in a world: a name drawn again gets the next free numeral (no extra draw, so the
  // rest of the world stays as the seed made it).
  const taken = new Map<string, number>();
  for (let i = 0; i < o.artists; i++) {
    let name = artistName(rng, i);
    for (let n = taken.get(name) ?? 0; taken.has(name); n++) name = `${name.replace(/ #\d+$/, '')} #${n + 2}`;
    taken.set(name, 0);
    artists.push({ id: `a-${i}`, name, genre: rng.weighted(shares), popularity: 1 / (i + 4) ** 0.95 });
  }
  const n = o.artists * o.tracksPerArtist;
  const tracks: CatalogueTrack[] = new Array(n);
  const traits: TrackTraits[] = new Array(n);
  const genreOf = new Uint8Array(n);
  const releaseTs = new Float64Array(n);
  const unplayed = new Uint8Array(n);
  const weight = new Float64Array(n);
  for (let a = 0; a < o.artists; a++) {
    const artist = artists[a]!;
    const g = GENRES[artist.genre]!;
    // The artist's own sound: a fixed offset from the genre profile shared by all their tracks.
    const off = { energy: rng.normal(0, 0.07), acoustic: rng.normal(0, 0.07), valence: rng.normal(0, 0.08), tempo: rng.normal(0, 7) };
    const careerStart = o.start - rng.range(200, 3000) * DAY;
    for (let k = 0; k < o.tracksPerArtist; k++) {
      const i = a * o.tracksPerArtist + k;
      const ballad = ['pop', 'rock', 'r&b', 'country', 'soul', 'indie'].includes(g.name) && rng.chance(0.15);
      const energy = unit(g.energy + off.energy + rng.normal(0, 0.08) - (ballad ? 0.35 : 0));
      const acousticness = unit(g.acousticness + off.acoustic + rng.normal(0, 0.08) + (ballad ? 0.35 : 0));
      const valence = unit(g.valence + off.valence + rng.normal(0, 0.1) - (ballad ? 0.15 : 0));
      const tempo = Math.round(clamp((g.tempo + off.tempo + rng.normal(0, 8)) * (ballad ? 0.72 : 1), 50, 210) * 10) / 10;
      const danceability = unit(g.danceability + rng.normal(0, 0.08) - (ballad ? 0.2 : 0));
      const instrumentalness = unit(g.instrumentalness + rng.normal(0, 0.08));
      const speechiness = unit(g.speechiness + rng.normal(0, 0.03));
      const durationMs = Math.round(clamp(g.durationS * Math.exp(rng.normal(0, 0.18)), 60, 1200) * 1000);
      const roll = rng.next();
      let released: number;
      if (roll < o.newReleaseShare) {
        released = o.end - rng.range(0, 14) * DAY;
        unplayed[i] = 1;
      } else if (roll < o.newReleaseShare + 0.06) {
        released = rng.range(o.start, o.end - 14 * DAY);
      } else {
        released = rng.range(careerStart, o.start);
      }
      releaseTs[i] = released;
      genreOf[i] = artist.genre;
      weight[i] = unplayed[i] ? 0 : artist.popularity / (k + 1) ** 0.7;
      const tags = [g.tags[rng.int(g.tags.length)]!, g.tags[rng.int(g.tags.length)]!];
      if (ballad) tags.push('ballad');
      tracks[i] = {
        id: `t-${i}`,
        title: trackTitle(rng),
        artist: { id: artist.id, name: artist.name },
        duration_ms: durationMs,
        release_date: new Date(released).toISOString().slice(0, 10),
        genre: g.name,
        tags: [...new Set(tags)],
        audio_features: {
          tempo,
          key: rng.int(12),
          mode: rng.chance(0.35 + 0.4 * valence) ? 1 : 0,
          energy,
          danceability,
          valence,
          acousticness,
          instrumentalness,
          speechiness,
          liveness: unit(0.05 + 0.5 * rng.next() ** 3),
          loudness: Math.round(clamp(g.loudness + rng.normal(0, 2) - (ballad ? 3 : 0), -60, 0) * 10) / 10,
        },
      };
      traits[i] = { durationMs, genre: g.name, energy, tempo, danceability, valence, acousticness, instrumentalness, speechiness };
    }
  }
  const byGenre = genreIndex(genreOf, weight);
  return { artists, tracks, traits, genreOf, releaseTs, unplayed, byGenre };
}

/** Per genre, the playable tracks (weight > 0) and their cumulative weights. */
export function genreIndex(genreOf: Uint8Array, weight: Float64Array): Catalogue['byGenre'] {
  return GENRES.map((_, gi) => {
    const members: number[] = [];
    for (let i = 0; i < genreOf.length; i++) if (genreOf[i] === gi && weight[i]! > 0) members.push(i);
    const cumulative = new Float64Array(members.length);
    let total = 0;
    members.forEach((t, j) => {
      total += weight[t]!;
      cumulative[j] = total;
    });
    return { tracks: Int32Array.from(members), cumulative };
  });
}

/** The genre profile nearest to a track's sound, for tracks whose genre is not one of ours. */
export function nearestGenre(t: TrackTraits): number {
  let best = 0;
  let bestD = Number.POSITIVE_INFINITY;
  GENRES.forEach((g, gi) => {
    const d =
      (g.energy - t.energy) ** 2 +
      (g.acousticness - t.acousticness) ** 2 +
      (g.danceability - t.danceability) ** 2 +
      (g.valence - t.valence) ** 2 +
      (g.speechiness - t.speechiness) ** 2 +
      ((g.tempo - t.tempo) / 60) ** 2;
    if (d < bestD) {
      bestD = d;
      best = gi;
    }
  });
  return best;
}

/**
 * A playable catalogue over someone else's tracks (an imported dataset), so generated listeners can
 * listen to a real catalogue: tracks join their genre's pool (or the nearest by sound), weighted by
 * `popularity`, released before the history.
 */
export function catalogueOf(
  tracks: CatalogueTrack[],
  traits: TrackTraits[],
  popularity: readonly number[],
  genreOfTrack: (i: number) => number,
): Catalogue {
  const n = tracks.length;
  const genreOf = new Uint8Array(n);
  const weight = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    genreOf[i] = genreOfTrack(i);
    weight[i] = Math.max(1e-3, popularity[i] ?? 1);
  }
  const artists = new Map<string, DemoArtist>();
  tracks.forEach((t, i) => {
    const a = artists.get(t.artist.id) ?? { id: t.artist.id, name: t.artist.name, genre: genreOf[i]!, popularity: 0 };
    a.popularity += weight[i]!;
    artists.set(t.artist.id, a);
  });
  return {
    artists: [...artists.values()].sort((a, b) => b.popularity - a.popularity),
    tracks,
    traits,
    genreOf,
    releaseTs: new Float64Array(n),
    unplayed: new Uint8Array(n),
    byGenre: genreIndex(genreOf, weight),
  };
}
