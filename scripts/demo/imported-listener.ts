/**
 * The demo's imported listener: `u-imported` brings a synthetic Spotify extended streaming history
 * (the `Streaming_History_Audio_*.json` shape) and is imported through `POST /v1/users/:id/imports`
 * with the CLI's own code (scripts/imports/history-import.ts), so the first recommendations are
 * personal at once instead of the popular chart.
 *
 * The history is deterministic from the world's seed and end: a favourite genre, about forty favourite
 * tracks taken from the catalogue by title and artist name (so they match), a few tracks the catalogue
 * lacks (the unmatched report shows them), some skips and a couple of podcast episodes (skipped by the
 * reader), over the world's last 60 days.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeHistoryImport, type ImportTotals, importHistory } from '../imports/history-import.ts';
import { GENRES } from './genres.ts';
import { hashSeed, Rng } from './rng.ts';
import type { World } from './world.ts';

export const IMPORTED_LISTENER = 'u-imported';
export const IMPORTED_FILE = 'Streaming_History_Audio_2025_demo.json';

/** Artists and titles the generated catalogue never has (its names come from scripts/demo/names.ts). */
export const UNKNOWN_TRACKS: readonly { artist: string; title: string; album: string }[] = [
  { artist: 'Ondine Varga', title: 'Letters to Szeged', album: 'Danube Hours' },
  { artist: 'Los Tiburones del Sur', title: 'Cumbia del Faro', album: 'Mar Adentro' },
  { artist: 'Hollis and the Quiet Year', title: 'Seven Lanterns Down', album: 'Small Weather' },
  { artist: 'Mbali Khumalo', title: 'Ilanga Lami', album: 'Ilanga' },
];

/** One record of Spotify's extended streaming history (the fields the export has). */
export interface SpotifyHistoryRecord {
  ts: string;
  platform: string;
  ms_played: number;
  conn_country: string;
  master_metadata_track_name: string | null;
  master_metadata_album_artist_name: string | null;
  master_metadata_album_album_name: string | null;
  spotify_track_uri: string | null;
  episode_name: string | null;
  episode_show_name: string | null;
  spotify_episode_uri: string | null;
  reason_start: string;
  reason_end: string;
  shuffle: boolean;
  skipped: boolean;
  offline: boolean;
  incognito_mode: boolean;
}

export interface SyntheticHistory {
  records: SpotifyHistoryRecord[];
  /** The favourite genre the listener was drawn around. */
  genre: string;
  /** Catalogue track id of each catalogue-drawn record, by record index (null: unknown track or podcast). */
  trackIds: (string | null)[];
}

const DAY = 86_400_000;
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function spotifyId(rng: Rng): string {
  let s = '';
  for (let i = 0; i < 22; i++) s += BASE62[rng.int(62)];
  return s;
}

/**
 * @example
 * const h = syntheticSpotifyHistory(generateWorld({ seed: 'demo', end }), { records: 300 });
 * writeFileSync('Streaming_History_Audio_demo.json', JSON.stringify(h.records));
 */
export function syntheticSpotifyHistory(world: World, opts: { records?: number } = {}): SyntheticHistory {
  const total = opts.records ?? 360;
  const rng = new Rng(hashSeed(world.config.seed, 'imported-listener'));
  const cat = world.catalogue;
  // Titles can repeat within an artist; such a pair is ambiguous to any matcher, so it is never drawn.
  const seen = new Map<string, number>();
  for (const t of cat.tracks) {
    const k = `${t.artist.name.toLowerCase()}\u0000${t.title.toLowerCase()}`;
    seen.set(k, (seen.get(k) ?? 0) + 1);
  }
  const unique = (i: number) => {
    const t = cat.tracks[i]!;
    return seen.get(`${t.artist.name.toLowerCase()}\u0000${t.title.toLowerCase()}`) === 1;
  };
  // The favourite genre: one the catalogue has enough playable tracks of.
  const genres = cat.byGenre.map((g, i) => ({ i, n: g.tracks.length })).filter((g) => g.n >= 5);
  const genre = (genres.length > 0 ? rng.pick(genres) : { i: 0 }).i;
  const pool = cat.byGenre[genre]!;
  const drawFrom = (g: { tracks: Int32Array; cumulative: Float64Array }) => {
    const x = rng.next() * (g.cumulative[g.cumulative.length - 1] ?? 0);
    let lo = 0;
    let hi = g.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((g.cumulative[mid] as number) < x) lo = mid + 1;
      else hi = mid;
    }
    return g.tracks[lo] as number;
  };
  const favourites: number[] = [];
  const wanted = Math.min(40, pool.tracks.length);
  for (let tries = 0; favourites.length < wanted && tries < wanted * 30; tries++) {
    // Mostly the favourite genre, now and then any genre.
    const g = rng.chance(0.85) ? pool : (cat.byGenre[rng.int(cat.byGenre.length)] ?? pool);
    if (g.tracks.length === 0) continue;
    const i = drawFrom(g);
    if (unique(i) && !favourites.includes(i)) favourites.push(i);
  }
  const ids = new Map<number, string>();
  const uri = (key: number) => {
    let id = ids.get(key);
    if (!id) {
      id = spotifyId(rng);
      ids.set(key, id);
    }
    return `spotify:track:${id}`;
  };

  const end = world.config.end;
  const start = end - 60 * DAY;
  const times = Array.from({ length: total }, () => start + rng.next() * (end - start - DAY)).sort((a, b) => a - b);
  const records: SpotifyHistoryRecord[] = [];
  const trackIds: (string | null)[] = [];
  const base = { platform: 'android', conn_country: 'GB', offline: false, incognito_mode: false };
  for (let r = 0; r < total; r++) {
    const startMs = Math.floor(times[r] as number);
    const podcast = r % 150 === 75;
    if (podcast) {
      const ms = 600_000 + rng.int(1_200_000);
      records.push({
        ...base,
        ts: new Date(startMs + ms).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        ms_played: ms,
        master_metadata_track_name: null,
        master_metadata_album_artist_name: null,
        master_metadata_album_album_name: null,
        spotify_track_uri: null,
        episode_name: `Episode ${r}: Liner Notes`,
        episode_show_name: 'The Backbeat Podcast',
        spotify_episode_uri: `spotify:episode:${spotifyId(rng)}`,
        reason_start: 'clickrow',
        reason_end: 'trackdone',
        shuffle: false,
        skipped: false,
      });
      trackIds.push(null);
      continue;
    }
    const unknown = favourites.length === 0 || rng.chance(0.06);
    let track: string;
    let artist: string;
    let album: string;
    let duration: number;
    let key: number;
    let trackId: string | null = null;
    if (unknown) {
      const u = rng.int(UNKNOWN_TRACKS.length);
      ({ title: track, artist, album } = UNKNOWN_TRACKS[u]!);
      duration = 180_000 + u * 17_000;
      key = -1 - u;
    } else {
      // Zipf-like over the favourites: a few tracks on repeat, a long tail.
      const f = Math.min(favourites.length - 1, Math.floor(favourites.length * rng.next() ** 2));
      key = favourites[f] as number;
      const t = cat.tracks[key]!;
      track = t.title;
      artist = t.artist.name;
      album = `${t.title} (Single)`;
      duration = t.duration_ms;
      trackId = t.id;
    }
    const skipped = rng.chance(0.12);
    const ms = skipped ? 2_000 + rng.int(25_000) : rng.chance(0.9) ? duration : Math.floor(duration * rng.range(0.4, 0.95));
    records.push({
      ...base,
      ts: new Date(startMs + ms).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      ms_played: ms,
      master_metadata_track_name: track,
      master_metadata_album_artist_name: artist,
      master_metadata_album_album_name: album,
      spotify_track_uri: uri(key),
      episode_name: null,
      episode_show_name: null,
      spotify_episode_uri: null,
      reason_start: rng.pick(['clickrow', 'trackdone', 'playbtn', 'fwdbtn']),
      reason_end: skipped ? 'fwdbtn' : ms === duration ? 'trackdone' : 'endplay',
      shuffle: rng.chance(0.4),
      skipped,
    });
    trackIds.push(trackId);
  }
  return { records, genre: GENRES[genre]?.name ?? 'unknown', trackIds };
}

export interface ImportedListener {
  userId: string;
  file: string;
  genre: string;
  listens: number;
  matched: number;
  unmatched: number;
  stored: number;
  /** `cold_start` of the listener's first recommendations ("none" or "seeds": personal; "popular": not). */
  coldStart: string | null;
  seconds: number;
  at: string;
}

/** The one line the start prints. */
export function describeImportedListener(l: ImportedListener): string {
  const personal = l.coldStart !== null && l.coldStart !== 'popular';
  return (
    `• imported listener ${l.userId}: ${l.listens} Spotify listens (${l.genre}), ${l.matched} matched, ${l.unmatched} unmatched, ` +
    `recommendations cold_start "${l.coldStart ?? 'no answer'}" (${personal ? 'personal at once' : 'NOT personal'})`
  );
}

/**
 * Writes the history to `<dataDir>/imported-listener/` (so `npm run import -- --spotify-history` can
 * be tried on it), imports it the CLI's way and asks for the listener's recommendations.
 */
export async function importDemoListener(
  url: string,
  key: string,
  world: World,
  dataDir: string,
  say: (line: string) => void = () => {},
): Promise<ImportedListener & { totals: ImportTotals }> {
  const t0 = performance.now();
  const history = syntheticSpotifyHistory(world);
  const dir = join(dataDir, 'imported-listener');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, IMPORTED_FILE);
  writeFileSync(file, `${JSON.stringify(history.records, null, 1)}\n`);
  const totals = await importHistory({ url, key, userId: IMPORTED_LISTENER, files: [{ path: file, format: 'spotify' }] });
  say(describeHistoryImport(totals, 5).replace(/^/gm, '  '));
  const res = await fetch(`${url}/v1/users/${IMPORTED_LISTENER}/recommendations?limit=10`, { headers: { authorization: `Bearer ${key}` } });
  const body = res.ok ? ((await res.json()) as { cold_start?: string }) : null;
  if (!res.ok) await res.body?.cancel();
  return {
    userId: IMPORTED_LISTENER,
    file,
    genre: history.genre,
    listens: totals.listens,
    matched: totals.matched,
    unmatched: totals.unmatchedListens,
    stored: totals.events.stored,
    coldStart: body?.cold_start ?? null,
    seconds: (performance.now() - t0) / 1000,
    at: new Date().toISOString(),
    totals,
  };
}
