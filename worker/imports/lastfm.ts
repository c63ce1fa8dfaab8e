/**
 * Last.fm scrobble exports. Last.fm itself offers no download; listeners use exporters, whose
 * shapes these readers accept:
 *
 * CSV (`readLastfmCsv`; separator `,` `;` or tab, guessed from the first line):
 * - with a header row naming at least an artist, a track and a time column, in any order and case:
 *   artist: `artist` | `artist_name` | `artist name`; track: `track` | `track_name` | `track name` |
 *   `title` | `name` | `song`; album (optional): `album` | `album_name` | `album name`; time: `uts`
 *   (epoch seconds, preferred when present) else `utc_time` | `date` | `timestamp` | `time` |
 *   `date_time` | `played_at`; optional `track_mbid` | `mbid`. This covers lastfm.ghan.nl and the
 *   current benjaminbenben lastfm-to-csv (`uts,utc_time,artist,artist_mbid,album,album_mbid,track,track_mbid`).
 * - without a header: the classic lastfm-to-csv `artist,album,track,date` with dates like
 *   `31 Jan 2021 13:45` (UTC).
 * Times: epoch seconds or ms, ISO 8601 (UTC when no offset), or `DD Mon YYYY[,] HH:MM` (UTC).
 *
 * JSON (`readLastfmJson`): a top-level array of
 * - API pages as saved by exporters (`[{ "track": [ … ], "@attr": … }, …]`),
 * - API track objects (`{ artist: { "#text" }, name, album: { "#text" }, date: { uts }, mbid }`),
 * - or flat objects (`{ artist, album, track | name | title, uts | date | timestamp }`);
 * or a single API response `{ "recenttracks": { "track": [ … ] } }`. A track marked
 * `@attr.nowplaying` has no date and is skipped as `now_playing`.
 *
 * The scrobble time is when the track started. Last.fm records no ms_played.
 */
import { jsonElements } from './json.ts';
import { isObject, optionalText, RecordCheck } from './record.ts';
import { csvRecords, textChunks } from './text.ts';
import type { ChunkSource, Listen, ReadItem, ReadOptions } from './types.ts';

const COLUMNS = {
  artist: ['artist', 'artist_name', 'artist name'],
  track: ['track', 'track_name', 'track name', 'title', 'name', 'song'],
  album: ['album', 'album_name', 'album name'],
  uts: ['uts'],
  time: ['utc_time', 'date', 'timestamp', 'time', 'date_time', 'played_at'],
  mbid: ['track_mbid', 'mbid'],
} as const;
type Column = keyof typeof COLUMNS;

export async function* readLastfmCsv(source: ChunkSource, opts: ReadOptions = {}): AsyncGenerator<ReadItem> {
  let cols: Partial<Record<Column, { index: number; name: string }>> | undefined;
  let index = 0;
  for await (const rec of csvRecords(textChunks(source))) {
    if (cols === undefined) {
      const names = rec.cells.map((c) => c.trim().toLowerCase());
      const found: Partial<Record<Column, { index: number; name: string }>> = {};
      for (const [col, aliases] of Object.entries(COLUMNS) as [Column, readonly string[]][]) {
        const i = names.findIndex((n) => aliases.includes(n));
        if (i !== -1) found[col] = { index: i, name: rec.cells[i]!.trim() };
      }
      if (found.artist && found.track && (found.uts || found.time)) {
        cols = found;
        continue;
      }
      // No header: artist, album, track, date.
      cols = {
        artist: { index: 0, name: 'artist' },
        album: { index: 1, name: 'album' },
        track: { index: 2, name: 'track' },
        time: { index: 3, name: 'date' },
      };
    }
    const c = new RecordCheck(index, opts.file, rec.line);
    const i = index++;
    if (rec.malformed) {
      c.fail('(record)', 'malformed_row', rec.malformed);
      yield { kind: 'error', error: c.error! };
      continue;
    }
    const cell = (col: Column) => {
      const k = cols![col];
      return k === undefined ? undefined : rec.cells[k.index];
    };
    const timeCol = cols.uts && cell('uts')?.trim() ? cols.uts : cols.time!;
    const ts = c.time(timeCol.name, rec.cells[timeCol.index]);
    const artist = c.text(cols.artist!.name, cell('artist'));
    const track = c.text(cols.track!.name, cell('track'));
    if (c.error || ts === undefined || artist === undefined || track === undefined) {
      yield { kind: 'error', error: c.error! };
      continue;
    }
    const listen: Listen = { platform: 'lastfm', index: i, ts, track_name: track, artist_name: artist };
    if (opts.file !== undefined) listen.file = opts.file;
    const album = optionalText(cell('album'));
    if (album) listen.album_name = album;
    const mbid = optionalText(cell('mbid'));
    if (mbid) listen.platform_track_id = mbid;
    yield { kind: 'listen', listen };
  }
}

export async function* readLastfmJson(source: ChunkSource, opts: ReadOptions = {}): AsyncGenerator<ReadItem> {
  let index = 0;
  for await (const item of jsonElements(textChunks(source), opts.file)) {
    if ('error' in item) {
      yield { kind: 'error', error: { ...item.error, index } };
      continue;
    }
    for (const t of lastfmRecordsOf(item.key, item.value)) yield lastfmTrack(t, index++, opts.file);
  }
}

/**
 * The scrobbles one top-level element of a Last.fm JSON export holds: a page's `recenttracks.track`,
 * a bare `track` array, or the element itself in a plain array; none for another property of a
 * top-level object (e.g. "@attr"). The reader and the CLI's splitter both read exports this way.
 */
export function lastfmRecordsOf(key: string | number, v: unknown): unknown[] {
  if (key === 'recenttracks' && isObject(v)) return Array.isArray(v.track) ? v.track : [];
  if (isObject(v) && Array.isArray(v.track)) return v.track;
  if (isObject(v) && isObject(v.recenttracks) && Array.isArray(v.recenttracks.track)) return v.recenttracks.track;
  return typeof key === 'string' ? [] : [v];
}

function label(v: unknown): unknown {
  if (isObject(v)) return v['#text'] ?? v.name;
  return v;
}

export function lastfmTrack(r: unknown, index: number, file?: string): ReadItem {
  const c = new RecordCheck(index, file);
  if (!isObject(r)) {
    c.fail('(record)', 'not_object', `record ${index} is not an object`);
    return { kind: 'error', error: c.error! };
  }
  const attr = r['@attr'];
  if (isObject(attr) && (attr.nowplaying === 'true' || attr.nowplaying === true)) return { kind: 'skipped', index, reason: 'now_playing' };
  const timeField = ['date', 'uts', 'timestamp', 'utc_time', 'time'].find((k) => r[k] !== undefined && r[k] !== null) ?? 'date';
  let when = r[timeField];
  if (isObject(when)) when = when.uts ?? when['#text'];
  const ts = c.time(timeField, when);
  const artist = c.text('artist', label(r.artist));
  const trackField = ['track', 'name', 'title'].find((k) => r[k] !== undefined) ?? 'track';
  const track = c.text(trackField, label(r[trackField]));
  if (c.error || ts === undefined || artist === undefined || track === undefined) return { kind: 'error', error: c.error! };
  const listen: Listen = { platform: 'lastfm', index, ts, track_name: track, artist_name: artist };
  if (file !== undefined) listen.file = file;
  const album = optionalText(label(r.album));
  if (album) listen.album_name = album;
  const mbid = optionalText(r.mbid) ?? optionalText(r.track_mbid);
  if (mbid) listen.platform_track_id = mbid;
  return { kind: 'listen', listen };
}
