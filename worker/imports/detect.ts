/** Guesses an export's format from its first bytes and its file name. Pure. */
import { readAppleMusic } from './apple.ts';
import { readLastfmCsv, readLastfmJson } from './lastfm.ts';
import { readSpotify } from './spotify.ts';
import type { ChunkSource, Platform, ReadItem, ReadOptions, SkipReason } from './types.ts';
import { readYouTubeMusic } from './youtube.ts';

export const FORMATS = ['spotify', 'youtube_music', 'lastfm_csv', 'lastfm_json', 'apple_music'] as const;
export type Format = (typeof FORMATS)[number];

export const FORMAT_PLATFORM: Record<Format, Platform> = {
  spotify: 'spotify',
  youtube_music: 'youtube_music',
  lastfm_csv: 'lastfm',
  lastfm_json: 'lastfm',
  apple_music: 'apple_music',
};

/**
 * The format of an export, from its first bytes (a few KB is plenty) and, as a tie-breaker, its
 * file name; null when neither tells.
 *
 * @example
 * detectFormat('[{"ts":"2021-…","master_metadata_track_name":…', 'Streaming_History_Audio_2021.json') // 'spotify'
 */
export function detectFormat(firstBytes: string | Uint8Array, fileName = ''): Format | null {
  const head = (typeof firstBytes === 'string' ? firstBytes : new TextDecoder().decode(firstBytes)).replace(/^\uFEFF/, '').trimStart();
  const name = fileName.toLowerCase();
  if (head.startsWith('[') || head.startsWith('{')) {
    if (/"(master_metadata_track_name|spotify_track_uri|ms_played|msPlayed)"/.test(head)) return 'spotify';
    if (/"titleUrl"|"header"\s*:\s*"YouTube/.test(head)) return 'youtube_music';
    if (/"recenttracks"|"#text"|"uts"|"scrobble/i.test(head)) return 'lastfm_json';
    if (/streaming_?history|endsong/.test(name)) return 'spotify';
    if (/watch-history/.test(name)) return 'youtube_music';
    if (/last\.?fm|scrobble/.test(name)) return 'lastfm_json';
    if (/"artist"/.test(head) && /"(track|name|title)"/.test(head)) return 'lastfm_json';
    return null;
  }
  const firstLine = (head.split(/\r?\n|\r/, 1)[0] ?? '').toLowerCase();
  if (/event start timestamp|play duration milliseconds|song name|end reason type/.test(firstLine)) return 'apple_music';
  if (/play activity/.test(name)) return 'apple_music';
  if (/\buts\b|utc_time/.test(firstLine) || (/\bartist\b/.test(firstLine) && /\b(track|title|name)\b/.test(firstLine))) return 'lastfm_csv';
  if (/last\.?fm|scrobble/.test(name) && /\.(csv|tsv|txt)$/.test(name)) return 'lastfm_csv';
  return null;
}

/** The reader of a format. */
export function readExport(format: Format, source: ChunkSource, opts: ReadOptions = {}): AsyncGenerator<ReadItem> {
  switch (format) {
    case 'spotify':
      return readSpotify(source, opts);
    case 'youtube_music':
      return readYouTubeMusic(source, opts);
    case 'lastfm_csv':
      return readLastfmCsv(source, opts);
    case 'lastfm_json':
      return readLastfmJson(source, opts);
    case 'apple_music':
      return readAppleMusic(source, opts);
  }
}

export interface ReadTally {
  listens: number;
  errors: number;
  skipped: Partial<Record<SkipReason, number>>;
}

/** Counts what a reader yielded, for progress lines and the import report. */
export function tally(t: ReadTally, item: ReadItem): ReadTally {
  if (item.kind === 'listen') t.listens++;
  else if (item.kind === 'error') t.errors++;
  else t.skipped[item.reason] = (t.skipped[item.reason] ?? 0) + 1;
  return t;
}

export function emptyTally(): ReadTally {
  return { listens: 0, errors: 0, skipped: {} };
}
