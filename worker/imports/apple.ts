/**
 * Apple Music's Play Activity CSV (`Apple Music Play Activity.csv` in the Apple Media Services
 * data download). One row per playback event; columns are matched by name, case-insensitively:
 *
 * | listen field      | column (first present wins)                                                  |
 * | ----------------- | ---------------------------------------------------------------------------- |
 * | track_name        | `Song Name`, `Content Name` (required)                                       |
 * | artist_name       | `Artist Name`, `Container Artist Name` (required)                            |
 * | album_name        | `Album Name`, `Container Album Name`                                         |
 * | ts (start)        | `Event Start Timestamp`; else `Event End Timestamp` − ms_played (required)   |
 * | ms_played         | `Play Duration Milliseconds`; else `End Position In Milliseconds` − `Start Position In Milliseconds` |
 * | duration_ms       | `Media Duration In Milliseconds`                                             |
 * | reason_end        | `End Reason Type` (e.g. NATURAL_END_OF_TRACK, TRACK_SKIPPED_FORWARDS, SCRUBBED_TO_END) |
 * | reason_start      | `Start Reason Type`, `Event Reason Hint Type`                                |
 * | shuffle           | `Shuffle Play`                                                               |
 * | isrc              | `ISRC`                                                                        |
 * | platform_track_id | `Track Identifier`, `Apple Music Track Identifier`, `Song Identifier`        |
 *
 * Rows with an `Event Type` other than PLAY_END (PLAY_START, LYRIC_DISPLAY…) are skipped as
 * `not_play_end`, rows with a `Media Type` other than AUDIO as `not_audio`. A header is required.
 */
import { MAX_MS_PLAYED, optionalBool, optionalText, RecordCheck } from './record.ts';
import { csvRecords, normaliseIsrc, textChunks } from './text.ts';
import type { ChunkSource, Listen, ReadItem, ReadOptions } from './types.ts';

const COLUMNS = {
  track: ['song name', 'content name'],
  artist: ['artist name', 'container artist name'],
  album: ['album name', 'container album name'],
  start: ['event start timestamp'],
  end: ['event end timestamp'],
  played: ['play duration milliseconds'],
  startPos: ['start position in milliseconds'],
  endPos: ['end position in milliseconds'],
  duration: ['media duration in milliseconds'],
  reasonEnd: ['end reason type'],
  reasonStart: ['start reason type', 'event reason hint type'],
  shuffle: ['shuffle play'],
  isrc: ['isrc'],
  id: ['track identifier', 'apple music track identifier', 'song identifier'],
  eventType: ['event type'],
  mediaType: ['media type'],
} as const;
type Column = keyof typeof COLUMNS;

export async function* readAppleMusic(source: ChunkSource, opts: ReadOptions = {}): AsyncGenerator<ReadItem> {
  let cols: Partial<Record<Column, { index: number; name: string }>> | undefined;
  let index = 0;
  for await (const rec of csvRecords(textChunks(source))) {
    if (cols === undefined) {
      const names = rec.cells.map((c) => c.trim().toLowerCase());
      cols = {};
      for (const [col, aliases] of Object.entries(COLUMNS) as [Column, readonly string[]][]) {
        for (const a of aliases) {
          const i = names.indexOf(a);
          if (i !== -1) {
            cols[col] = { index: i, name: rec.cells[i]!.trim() };
            break;
          }
        }
      }
      continue;
    }
    const i = index++;
    const c = new RecordCheck(i, opts.file, rec.line);
    if (rec.malformed) {
      c.fail('(record)', 'malformed_row', rec.malformed);
      yield { kind: 'error', error: c.error! };
      continue;
    }
    const cell = (col: Column): string | undefined => {
      const k = cols![col];
      return k === undefined ? undefined : rec.cells[k.index];
    };
    const name = (col: Column, fallback: string) => cols![col]?.name ?? fallback;
    const eventType = optionalText(cell('eventType'));
    if (eventType && eventType.toUpperCase() !== 'PLAY_END') {
      yield { kind: 'skipped', index: i, reason: 'not_play_end' };
      continue;
    }
    const mediaType = optionalText(cell('mediaType'));
    if (mediaType && mediaType.toUpperCase() !== 'AUDIO') {
      yield { kind: 'skipped', index: i, reason: 'not_audio' };
      continue;
    }
    const track = c.text(name('track', 'Song Name'), cell('track'));
    const artist = c.text(name('artist', 'Artist Name'), cell('artist'));
    let ms: number | undefined;
    if (optionalText(cell('played')) !== undefined || (cols.startPos === undefined && cols.endPos === undefined)) {
      ms = c.millis(name('played', 'Play Duration Milliseconds'), cell('played'));
    } else {
      const a = c.millis(name('startPos', 'Start Position In Milliseconds'), cell('startPos') || '0');
      const b = c.millis(name('endPos', 'End Position In Milliseconds'), cell('endPos'));
      if (a !== undefined && b !== undefined)
        ms =
          b >= a
            ? b - a
            : c.fail(name('endPos', 'End Position In Milliseconds'), 'out_of_range', 'end position is before the start position');
    }
    let ts: number | undefined;
    if (optionalText(cell('start')) !== undefined || optionalText(cell('end')) === undefined)
      ts = c.time(name('start', 'Event Start Timestamp'), cell('start'));
    else {
      const end = c.time(name('end', 'Event End Timestamp'), cell('end'));
      if (end !== undefined && ms !== undefined) ts = end - ms;
    }
    if (c.error || track === undefined || artist === undefined || ms === undefined || ts === undefined) {
      yield { kind: 'error', error: c.error! };
      continue;
    }
    const listen: Listen = { platform: 'apple_music', index: i, ts, ms_played: ms, track_name: track, artist_name: artist };
    if (opts.file !== undefined) listen.file = opts.file;
    const album = optionalText(cell('album'));
    if (album) listen.album_name = album;
    const dur = Number(cell('duration'));
    if (optionalText(cell('duration')) && Number.isFinite(dur) && dur > 0 && dur <= MAX_MS_PLAYED) listen.duration_ms = Math.round(dur);
    const re = optionalText(cell('reasonEnd'));
    if (re) listen.reason_end = re;
    const rs = optionalText(cell('reasonStart'));
    if (rs) listen.reason_start = rs;
    const sh = optionalBool(cell('shuffle'));
    if (sh !== undefined) listen.shuffle = sh;
    const isrc = normaliseIsrc(cell('isrc'));
    if (isrc) listen.isrc = isrc;
    const id = optionalText(cell('id'));
    if (id) listen.platform_track_id = id;
    yield { kind: 'listen', listen };
  }
}
