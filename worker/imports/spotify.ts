/**
 * Spotify's extended streaming history (`Streaming_History_Audio_*.json`, formerly `endsong_*.json`):
 * a JSON array of objects with `ts` (ISO, UTC, when the stream STOPPED), `ms_played`,
 * `master_metadata_track_name`, `master_metadata_album_artist_name`, `master_metadata_album_album_name`,
 * `spotify_track_uri`, `reason_start`, `reason_end`, `shuffle`, `skipped`, `platform`, … Podcast
 * episodes and audiobooks have null track fields and are skipped as `podcast`.
 *
 * Also read: the older account-data `StreamingHistory*.json` (`endTime` "YYYY-MM-DD HH:MM" UTC,
 * `artistName`, `trackName`, `msPlayed`).
 *
 * A listen's `ts` is the start: `ts − ms_played`.
 */
import { jsonElements } from './json.ts';
import { isObject, optionalBool, optionalText, RecordCheck } from './record.ts';
import { textChunks } from './text.ts';
import type { ChunkSource, Listen, ReadItem, ReadOptions } from './types.ts';

export async function* readSpotify(source: ChunkSource, opts: ReadOptions = {}): AsyncGenerator<ReadItem> {
  for await (const item of jsonElements(textChunks(source), opts.file)) {
    if ('error' in item) {
      yield { kind: 'error', error: item.error };
      continue;
    }
    yield spotifyRecord(item.value, item.index, opts.file);
  }
}

/** One element of the array to a listen, a counted skip, or an error. */
export function spotifyRecord(r: unknown, index: number, file?: string): ReadItem {
  const c = new RecordCheck(index, file);
  if (!isObject(r)) {
    c.fail('(record)', 'not_object', `record ${index} is not an object`);
    return { kind: 'error', error: c.error! };
  }
  if ('endTime' in r && !('ts' in r)) return legacyRecord(r, c);
  const trackName = r.master_metadata_track_name;
  if (trackName === null || trackName === undefined || trackName === '') {
    const podcast = optionalText(r.episode_name) ?? optionalText(r.spotify_episode_uri) ?? optionalText(r.audiobook_title);
    return { kind: 'skipped', index, reason: podcast ? 'podcast' : 'no_track' };
  }
  const end = c.time('ts', r.ts);
  const ms = c.millis('ms_played', r.ms_played);
  const track = c.text('master_metadata_track_name', trackName);
  const artist = c.text('master_metadata_album_artist_name', r.master_metadata_album_artist_name);
  if (c.error || end === undefined || ms === undefined || track === undefined || artist === undefined)
    return { kind: 'error', error: c.error! };
  const listen: Listen = { platform: 'spotify', index, ts: end - ms, ms_played: ms, track_name: track, artist_name: artist };
  if (file !== undefined) listen.file = file;
  const album = optionalText(r.master_metadata_album_album_name);
  if (album) listen.album_name = album;
  const uri = optionalText(r.spotify_track_uri);
  if (uri) listen.platform_track_id = uri.replace(/^spotify:track:/, '');
  const skipped = optionalBool(r.skipped);
  if (skipped !== undefined) listen.skipped = skipped;
  const rs = optionalText(r.reason_start);
  if (rs) listen.reason_start = rs;
  const re = optionalText(r.reason_end);
  if (re) listen.reason_end = re;
  const shuffle = optionalBool(r.shuffle);
  if (shuffle !== undefined) listen.shuffle = shuffle;
  return { kind: 'listen', listen };
}

function legacyRecord(r: Record<string, unknown>, c: RecordCheck): ReadItem {
  const end = c.time('endTime', r.endTime);
  const ms = c.millis('msPlayed', r.msPlayed);
  const track = c.text('trackName', r.trackName);
  const artist = c.text('artistName', r.artistName);
  if (c.error || end === undefined || ms === undefined || track === undefined || artist === undefined)
    return { kind: 'error', error: c.error! };
  const listen: Listen = { platform: 'spotify', index: c.index, ts: end - ms, ms_played: ms, track_name: track, artist_name: artist };
  if (c.file !== undefined) listen.file = c.file;
  return { kind: 'listen', listen };
}
