/**
 * TidyTuesday "Spotify Songs" (2020): a catalogue with audio features and six playlist genres, one row
 * per track-in-playlist. Rows of the same track merge (their sub-genres become tags). The file has no
 * listening, so with `listeners > 0` generated listeners (the demo world's behaviour model) listen to
 * this real catalogue, weighted by Spotify popularity.
 */
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { parse } from 'csv-parse';
import type { TrackTraits } from '../behaviour.ts';
import type { CatalogueTrack } from '../catalogue.ts';
import { catalogueOf, nearestGenre } from '../catalogue.ts';
import { GENRE_INDEX } from '../genres.ts';
import { listenerHistory } from '../history.ts';
import { listener } from '../listeners.ts';
import type { Dataset, ImportTrack } from './dataset.ts';
import { IssueLog, textId } from './issues.ts';

const FEATURES = ['danceability', 'energy', 'speechiness', 'acousticness', 'instrumentalness', 'liveness', 'valence'] as const;
const GENRE_NAMES: Record<string, string> = { edm: 'dance', rap: 'hip hop' };
const DAY = 86_400_000;

export interface SpotifyOptions {
  /** Generated listeners to play the catalogue; 0 imports the catalogue alone. */
  listeners?: number;
  eventsPerUser?: number;
  days?: number;
  seed?: string;
  now?: number;
}

function releaseDate(raw: string): string | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(raw)) return raw;
  if (/^\d{4}-\d{2}$/.test(raw)) return `${raw}-01`;
  if (/^\d{4}$/.test(raw)) return `${raw}-01-01`;
  return undefined;
}

interface Parsed {
  tracks: CatalogueTrack[];
  popularity: number[];
}

async function readSongs(file: string, issues: IssueLog): Promise<Parsed> {
  const name = basename(file);
  const byId = new Map<string, { track: CatalogueTrack; popularity: number }>();
  const parser = createReadStream(file).pipe(
    // relax_quotes: a stray quote inside a field is read as text instead of swallowing the lines after it.
    parse({ columns: true, skip_records_with_error: true, relax_quotes: true, relax_column_count: false, bom: true, info: true }),
  );
  parser.on('skip', (err: { lines?: number; message: string }) =>
    issues.add(name, err.lines ?? 0, `unreadable CSV row (${err.message.split(':')[0]})`),
  );
  for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
    const line = info.lines;
    // R wrote missing values as NA.
    const text = (v: string | undefined) => (v === undefined || v.trim() === 'NA' ? '' : v.trim());
    const id = text(record.track_id);
    const title = text(record.track_name);
    const artist = text(record.track_artist);
    if (!id || !title || !artist) {
      issues.add(name, line, 'missing track id, name or artist');
      continue;
    }
    const duration = Number(record.duration_ms);
    if (!Number.isInteger(duration) || duration < 1000) {
      issues.add(name, line, 'duration_ms missing or under 1 s');
      continue;
    }
    const f: Record<string, number> = {};
    let bad = false;
    for (const k of FEATURES) {
      const v = Number(record[k]);
      if (record[k] === '' || !(v >= 0 && v <= 1)) bad = true;
      else f[k] = v;
    }
    const tempo = Number(record.tempo);
    const loudness = Number(record.loudness);
    const key = Number(record.key);
    const mode = Number(record.mode);
    if (
      bad ||
      !(tempo >= 0 && tempo <= 300) ||
      !(loudness >= -70 && loudness <= 10) ||
      !Number.isInteger(key) ||
      (mode !== 0 && mode !== 1)
    ) {
      issues.add(name, line, 'audio feature missing or out of range');
      continue;
    }
    const subgenre = record.playlist_subgenre?.trim().toLowerCase();
    const existing = byId.get(id);
    if (existing) {
      // The same track collected from another playlist: one catalogue row, sub-genres merged.
      if (subgenre && !existing.track.tags.includes(subgenre) && existing.track.tags.length < 50) existing.track.tags.push(subgenre);
      continue;
    }
    const genre = record.playlist_genre?.trim().toLowerCase() || undefined;
    const date = releaseDate(record.track_album_release_date?.trim() ?? '');
    byId.set(id, {
      popularity: Number(record.track_popularity) || 0,
      track: {
        id: `sp-t-${id}`,
        title: title.slice(0, 300),
        artist: { id: `sp-a-${textId(artist.toLowerCase())}`, name: artist.slice(0, 300) },
        duration_ms: duration,
        // Dates the schema cannot hold are dropped, not the track.
        release_date: date as string,
        genre: genre as string,
        tags: subgenre ? [subgenre] : [],
        audio_features: { ...(f as CatalogueTrack['audio_features']), tempo, loudness, key, mode: mode as 0 | 1 },
      },
    });
  }
  const rows = [...byId.values()];
  return { tracks: rows.map((r) => r.track), popularity: rows.map((r) => r.popularity) };
}

export function spotifySongsDataset(file: string, opts: SpotifyOptions = {}): Dataset {
  const issues = new IssueLog();
  let parsed: Promise<Parsed> | null = null;
  const songs = () => {
    parsed ??= readSongs(file, issues);
    return parsed;
  };
  const listeners = opts.listeners ?? 0;
  const seed = opts.seed ?? 'spotify-songs';
  const prefix = `sp-${seed === 'spotify-songs' ? '' : `${seed}-`}`;
  return {
    name: 'Spotify songs (TidyTuesday 2020)',
    issues,
    notes: [
      'rows of the same track in several playlists merge into one catalogue row (sub-genres become tags)',
      listeners > 0
        ? `${listeners} generated listeners play the real catalogue (behaviour model of the demo world, weighted by Spotify popularity)`
        : 'catalogue only: the file has no listening (add --listeners N for generated listening)',
    ],
    async tracks() {
      const { tracks } = await songs();
      return tracks.map(
        ({ release_date, genre, ...t }): ImportTrack => ({
          ...t,
          ...(release_date ? { release_date } : {}),
          ...(genre ? { genre } : {}),
        }),
      );
    },
    async users() {
      return Array.from({ length: listeners }, (_, i) => {
        const l = listener(seed, i);
        return { id: `${prefix}u-${i}`, timezone: l.timezone, country: l.country };
      });
    },
    async *events() {
      if (listeners === 0) return;
      const { tracks, popularity } = await songs();
      const traits: TrackTraits[] = tracks.map((t) => ({
        durationMs: t.duration_ms,
        genre: t.genre ?? null,
        energy: t.audio_features.energy,
        tempo: t.audio_features.tempo,
        danceability: t.audio_features.danceability,
        valence: t.audio_features.valence,
        acousticness: t.audio_features.acousticness,
        instrumentalness: t.audio_features.instrumentalness,
        speechiness: t.audio_features.speechiness,
      }));
      const cat = catalogueOf(
        tracks,
        traits,
        popularity.map((p) => 1 + p),
        (i) => {
          const g = tracks[i]!.genre;
          return GENRE_INDEX.get(GENRE_NAMES[g ?? ''] ?? g ?? '') ?? nearestGenre(traits[i]!);
        },
      );
      const end = Math.floor((opts.now ?? Date.now()) / 3_600_000) * 3_600_000;
      const days = opts.days ?? 90;
      const history = { seed, start: Math.floor((end - days * DAY) / DAY) * DAY, end, eventsPerUser: opts.eventsPerUser ?? 60 };
      for (let i = 0; i < listeners; i++) {
        const l = { ...listener(seed, i), id: `${prefix}u-${i}` };
        for (const e of listenerHistory(cat, l, history)) yield { ...e, event_id: `${prefix}${e.event_id}` };
      }
    },
  };
}
