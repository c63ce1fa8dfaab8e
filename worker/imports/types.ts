/**
 * The shapes shared by the listening-history readers, the event mapping and the matcher. Pure: no
 * I/O, runs in the Worker and in Node.
 */

export const PLATFORMS = ['spotify', 'youtube_music', 'lastfm', 'apple_music'] as const;
export type Platform = (typeof PLATFORMS)[number];

/**
 * One listen read from a service's export, normalised. `ts` is when the listen STARTED (epoch ms):
 * Spotify's `ts` is when the stream stopped, so its reader subtracts `ms_played`.
 */
export interface Listen {
  platform: Platform;
  /** The file name given to the reader, if any. */
  file?: string;
  /** 0-based index of the record in its file (array element, or data row of a CSV). */
  index: number;
  ts: number;
  /** Unknown for YouTube Music and Last.fm (neither export records it). */
  ms_played?: number;
  /** The track's length, when the export says (Apple Music's `Media Duration In Milliseconds`). */
  duration_ms?: number;
  track_name: string;
  artist_name: string;
  album_name?: string;
  /** Upper case, no hyphens. */
  isrc?: string;
  /** Spotify track id (the base-62 part of the URI), YouTube video id, Apple track id, Last.fm track MBID. */
  platform_track_id?: string;
  skipped?: boolean;
  reason_start?: string;
  reason_end?: string;
  shuffle?: boolean;
}

/** A record that could not be read. The rest of the file is still read. */
export interface RecordError {
  file?: string;
  /** 0-based record index (array element or CSV data row); for a CSV also the 1-based `line`. */
  index: number;
  line?: number;
  /** The source's own field name (`ms_played`, `Event Start Timestamp`…), or `(record)` / `(json)`. */
  field: string;
  code: 'missing' | 'invalid' | 'out_of_range' | 'not_object' | 'malformed_row' | 'invalid_json';
  message: string;
}

/** Records that are not listens of a track, counted rather than reported as errors. */
export type SkipReason =
  | 'podcast' // Spotify episode / audiobook records (null track fields)
  | 'no_track' // Spotify record with neither a track nor an episode (e.g. an ad or an unavailable item)
  | 'not_youtube_music' // Takeout entry from YouTube rather than YouTube Music
  | 'removed' // Takeout entry for a video that has been removed (no title url)
  | 'ad' // Takeout entry "From Google Ads"
  | 'now_playing' // Last.fm track being played when exported (no date yet)
  | 'not_play_end' // Apple row of another event type (PLAY_START, LYRIC_DISPLAY…)
  | 'not_audio'; // Apple row with a Media Type other than AUDIO (music videos)

export type ReadItem =
  | { kind: 'listen'; listen: Listen }
  | { kind: 'error'; error: RecordError }
  | { kind: 'skipped'; index: number; reason: SkipReason };

export type Chunk = string | Uint8Array;

/** What the readers take: any iterable of chunks, or a web ReadableStream (a request body). */
export type ChunkSource =
  | Iterable<Chunk>
  | AsyncIterable<Chunk>
  | { getReader(): { read(): Promise<{ done: boolean; value?: Chunk | undefined }>; releaseLock(): void } };

export interface ReadOptions {
  /** Named in every error and listen. */
  file?: string;
}
