/**
 * YouTube Music in Google Takeout: `YouTube and YouTube Music/history/watch-history.json`, a JSON
 * array of `{ header, title, titleUrl, subtitles: [{ name, url }], time, products, details? }`.
 * Only entries whose `header` is "YouTube Music" are listens; "YouTube" entries are skipped as
 * `not_youtube_music`, removed videos (no `titleUrl`) as `removed`, ads ("From Google Ads") as `ad`.
 *
 * Mapped: `time` → ts (the start of the watch); `title` without its leading "Watched " → track_name;
 * `subtitles[0].name` without a trailing " - Topic" → artist_name; the `v=` parameter of `titleUrl`
 * → platform_track_id. Takeout records no duration, so there is no ms_played.
 */
import { jsonElements } from './json.ts';
import { isObject, RecordCheck } from './record.ts';
import { textChunks } from './text.ts';
import type { ChunkSource, Listen, ReadItem, ReadOptions } from './types.ts';

export async function* readYouTubeMusic(source: ChunkSource, opts: ReadOptions = {}): AsyncGenerator<ReadItem> {
  for await (const item of jsonElements(textChunks(source), opts.file)) {
    if ('error' in item) {
      yield { kind: 'error', error: item.error };
      continue;
    }
    yield youTubeRecord(item.value, item.index, opts.file);
  }
}

export function youTubeRecord(r: unknown, index: number, file?: string): ReadItem {
  const c = new RecordCheck(index, file);
  if (!isObject(r)) {
    c.fail('(record)', 'not_object', `record ${index} is not an object`);
    return { kind: 'error', error: c.error! };
  }
  if (r.header !== 'YouTube Music') {
    if (typeof r.header !== 'string') {
      c.fail('header', r.header === undefined ? 'missing' : 'invalid', 'header must be "YouTube Music" or "YouTube"');
      return { kind: 'error', error: c.error! };
    }
    return { kind: 'skipped', index, reason: 'not_youtube_music' };
  }
  if (Array.isArray(r.details) && r.details.some((d) => isObject(d) && d.name === 'From Google Ads'))
    return { kind: 'skipped', index, reason: 'ad' };
  if (r.titleUrl === undefined) return { kind: 'skipped', index, reason: 'removed' };
  const ts = c.time('time', r.time);
  const url = c.text('titleUrl', r.titleUrl);
  const title = c.text('title', r.title);
  const sub = Array.isArray(r.subtitles) && isObject(r.subtitles[0]) ? r.subtitles[0].name : undefined;
  const channel = c.text('subtitles', sub);
  const videoId = url === undefined ? undefined : /[?&]v=([A-Za-z0-9_-]{6,20})/.exec(url)?.[1];
  if (url !== undefined && videoId === undefined) c.fail('titleUrl', 'invalid', 'titleUrl has no v= video id');
  if (c.error || ts === undefined || title === undefined || channel === undefined || videoId === undefined)
    return { kind: 'error', error: c.error! };
  const track = title.replace(/^Watched\s+/, '').trim();
  const artist = channel.replace(/\s+-\s+Topic$/, '').trim();
  const listen: Listen = { platform: 'youtube_music', index, ts, track_name: track, artist_name: artist, platform_track_id: videoId };
  if (file !== undefined) listen.file = file;
  return { kind: 'listen', listen };
}
