import { describe, expect, it } from 'vitest';
import { detectFormat, type Format, readExport } from '../../../worker/imports/detect.ts';
import { csvRecords, textChunks } from '../../../worker/imports/text.ts';
import type { Chunk, Listen, ReadItem, RecordError } from '../../../worker/imports/types.ts';
import { APPLE_CSV, LASTFM_CSV_CLASSIC, LASTFM_CSV_HEADED, LASTFM_JSON, SPOTIFY, YOUTUBE } from './exports.ts';

async function read(format: Format, chunks: Chunk[], file = 'export.file') {
  const items: ReadItem[] = [];
  for await (const item of readExport(format, chunks, { file })) items.push(item);
  const listens: Listen[] = [];
  const errors: RecordError[] = [];
  const skipped: { index: number; reason: string }[] = [];
  for (const it of items) {
    if (it.kind === 'listen') listens.push(it.listen);
    else if (it.kind === 'error') errors.push(it.error);
    else skipped.push({ index: it.index, reason: it.reason });
  }
  return { items, listens, errors, skipped };
}

const bytes = (s: string) => new TextEncoder().encode(s);

/** Splits at every byte offset into two chunks, and into 7-byte chunks (mid-character for UTF-8). */
function splits(text: string): Chunk[][] {
  const b = bytes(text);
  const out: Chunk[][] = [];
  for (let i = 0; i <= b.length; i++) out.push([b.subarray(0, i), b.subarray(i)]);
  const small: Chunk[] = [];
  for (let i = 0; i < b.length; i += 7) small.push(b.subarray(i, i + 7));
  out.push(small);
  return out;
}

describe('Spotify extended streaming history', () => {
  it('Should read listens with the start time, the track id and the playback fields', async () => {
    const r = await read('spotify', [SPOTIFY], 'Streaming_History_Audio_2024.json');
    expect(r.listens).toHaveLength(3);
    expect(r.listens[0]).toEqual({
      platform: 'spotify',
      file: 'Streaming_History_Audio_2024.json',
      index: 0,
      ts: Date.parse('2024-03-01T10:03:30Z') - 210_000,
      ms_played: 210_000,
      track_name: 'Here Comes the Sun - Remastered 2009',
      artist_name: 'The Beatles',
      album_name: 'Abbey Road',
      platform_track_id: '0000000000000000000001',
      skipped: false,
      reason_start: 'trackdone',
      reason_end: 'trackdone',
      shuffle: false,
    });
    expect(r.listens[1]).toMatchObject({ index: 1, track_name: '夜に駆ける', reason_end: 'fwdbtn', shuffle: true });
    expect(r.listens[1]!.skipped).toBeUndefined();
  });

  it('Should skip podcast records with a counted reason rather than an error', async () => {
    const r = await read('spotify', [SPOTIFY]);
    expect(r.skipped).toEqual([{ index: 2, reason: 'podcast' }]);
  });

  it('Should name the file, record index and field of each bad record and read the rest', async () => {
    const r = await read('spotify', [SPOTIFY], 'endsong_0.json');
    expect(r.errors).toEqual([
      expect.objectContaining({ file: 'endsong_0.json', index: 3, field: 'ts', code: 'invalid' }),
      expect.objectContaining({ file: 'endsong_0.json', index: 5, field: 'ms_played', code: 'out_of_range' }),
      expect.objectContaining({ file: 'endsong_0.json', index: 6, field: '(record)', code: 'not_object' }),
    ]);
    expect(r.listens.map((l) => l.index)).toEqual([0, 1, 4]);
  });

  it('Should read the older StreamingHistory format', async () => {
    const r = await read('spotify', [
      JSON.stringify([{ endTime: '2021-05-01 12:00', artistName: 'Sade', trackName: 'Smooth Operator', msPlayed: 60000 }]),
    ]);
    expect(r.listens).toEqual([
      expect.objectContaining({
        ts: Date.UTC(2021, 4, 1, 12) - 60000,
        ms_played: 60000,
        artist_name: 'Sade',
        track_name: 'Smooth Operator',
      }),
    ]);
  });

  it('Should report truncated JSON once and keep the records read before it', async () => {
    const r = await read('spotify', [SPOTIFY.slice(0, SPOTIFY.indexOf('"ts":"2024-03-01T11:00:00Z"'))], 'cut.json');
    expect(r.listens).toHaveLength(2);
    expect(r.errors).toEqual([expect.objectContaining({ file: 'cut.json', index: 2, field: '(json)', code: 'invalid_json' })]);
  });

  it('Should read a large history as it streams, one chunk at a time', async () => {
    const n = 20_000;
    async function* chunks() {
      yield '[';
      for (let i = 0; i < n; i++) {
        const rec = {
          ts: new Date(Date.UTC(2023, 0, 1) + i * 240_000).toISOString(),
          ms_played: 200_000,
          master_metadata_track_name: `Song ${i % 50}`,
          master_metadata_album_artist_name: 'Band',
        };
        yield `${i ? ',' : ''}${JSON.stringify(rec)}`;
      }
      yield ']';
    }
    let listens = 0;
    let firstSeenBeforeEnd = false;
    let produced = 0;
    const source = (async function* () {
      for await (const c of chunks()) {
        produced++;
        yield c;
      }
    })();
    for await (const it of readExport('spotify', source)) {
      if (it.kind === 'listen') {
        if (listens === 0) firstSeenBeforeEnd = produced < n;
        listens++;
      }
    }
    expect(listens).toBe(n);
    expect(firstSeenBeforeEnd).toBe(true);
  });
});

describe('YouTube Music in Google Takeout', () => {
  it('Should read YouTube Music entries only, with the artist from the Topic channel and the video id', async () => {
    const r = await read('youtube_music', [YOUTUBE], 'watch-history.json');
    expect(r.listens).toEqual([
      {
        platform: 'youtube_music',
        file: 'watch-history.json',
        index: 0,
        ts: Date.parse('2024-02-10T08:00:00.123Z'),
        track_name: 'Blinding Lights',
        artist_name: 'The Weeknd',
        platform_track_id: 'AAAAAAAAAA1',
      },
      expect.objectContaining({
        index: 5,
        track_name: 'Ace Of Spades',
        artist_name: 'Motörhead',
        platform_track_id: 'EEEEEEEEEE5',
        ts: Date.UTC(2024, 1, 10, 7, 12),
      }),
    ]);
    expect(r.skipped).toEqual([
      { index: 1, reason: 'not_youtube_music' },
      { index: 2, reason: 'removed' },
      { index: 3, reason: 'ad' },
    ]);
  });

  it('Should name the file, index and field of an entry without an artist', async () => {
    const r = await read('youtube_music', [YOUTUBE], 'watch-history.json');
    expect(r.errors).toEqual([expect.objectContaining({ file: 'watch-history.json', index: 4, field: 'subtitles', code: 'missing' })]);
  });
});

describe('Last.fm scrobbles', () => {
  it('Should read a CSV with a header (uts preferred, quoted cells with commas, quotes and line breaks)', async () => {
    const r = await read('lastfm_csv', [LASTFM_CSV_HEADED], 'scrobbles.csv');
    expect(r.listens).toEqual([
      {
        platform: 'lastfm',
        file: 'scrobbles.csv',
        index: 0,
        ts: 1706781600_000,
        track_name: 'The Sound of Silence',
        artist_name: 'Simon & Garfunkel',
        album_name: 'Sounds of Silence',
        platform_track_id: '11111111-1111-1111-1111-111111111111',
      },
      expect.objectContaining({ index: 1, artist_name: 'Earth, Wind & Fire', track_name: 'September' }),
      expect.objectContaining({
        index: 4,
        artist_name: 'Quoted "Artist"',
        album_name: 'Album, with comma',
        track_name: 'Line one\r\nline two',
      }),
    ]);
    expect(r.errors).toEqual([
      expect.objectContaining({ file: 'scrobbles.csv', index: 2, line: 4, field: 'uts', code: 'invalid' }),
      expect.objectContaining({ file: 'scrobbles.csv', index: 3, line: 5, field: 'artist', code: 'missing' }),
    ]);
  });

  it('Should read the headerless artist,album,track,date CSV', async () => {
    const r = await read('lastfm_csv', [LASTFM_CSV_CLASSIC], 'lastfm.csv');
    expect(r.listens.map((l) => [l.artist_name, l.album_name, l.track_name, l.ts])).toEqual([
      ['Björk', 'Debut', 'Human Behaviour', Date.UTC(2023, 0, 3, 21, 15)],
      ['Сплин', 'Гранатовый альбом', 'Выхода нет', Date.UTC(2023, 0, 3, 21, 20)],
    ]);
    expect(r.errors).toEqual([expect.objectContaining({ file: 'lastfm.csv', index: 2, line: 3, field: 'date', code: 'invalid' })]);
  });

  it('Should read JSON pages, API track objects and flat objects, skipping now-playing tracks', async () => {
    const r = await read('lastfm_json', [LASTFM_JSON], 'lastfm.json');
    expect(r.listens.map((l) => [l.index, l.artist_name, l.track_name, l.ts, l.album_name])).toEqual([
      [1, 'Adele', 'Hello', 1704103200_000, '25'],
      [3, 'Stromae', 'Alors on danse', 1704103500_000, undefined],
      [4, 'Sigur Rós', 'Hoppípolla', Date.UTC(2024, 0, 1, 10, 10), 'Takk...'],
    ]);
    expect(r.skipped).toEqual([{ index: 0, reason: 'now_playing' }]);
    expect(r.errors).toEqual([expect.objectContaining({ file: 'lastfm.json', index: 2, field: 'date', code: 'invalid' })]);
  });

  it('Should read a single API response object', async () => {
    const body = JSON.stringify({
      recenttracks: { track: [{ artist: { '#text': 'Adele' }, name: 'Hello', date: { uts: '1704103200' } }], '@attr': { page: '1' } },
    });
    const r = await read('lastfm_json', [body]);
    expect(r.listens).toEqual([expect.objectContaining({ index: 0, artist_name: 'Adele', track_name: 'Hello', ts: 1704103200_000 })]);
  });
});

describe('Apple Music Play Activity', () => {
  it('Should read PLAY_END rows with duration, end reason, shuffle and ISRC', async () => {
    const r = await read('apple_music', [APPLE_CSV], 'Apple Music Play Activity.csv');
    expect(r.listens[0]).toEqual({
      platform: 'apple_music',
      file: 'Apple Music Play Activity.csv',
      index: 0,
      ts: Date.UTC(2024, 0, 5, 9),
      ms_played: 255000,
      duration_ms: 255500,
      track_name: 'Lemon',
      artist_name: '米津玄師',
      album_name: 'STRAY SHEEP',
      reason_end: 'NATURAL_END_OF_TRACK',
      shuffle: false,
      isrc: 'QZDDD1800001',
    });
    expect(r.listens.map((l) => [l.index, l.track_name, l.reason_end])).toEqual([
      [0, 'Lemon', 'NATURAL_END_OF_TRACK'],
      [1, 'Creep', 'TRACK_SKIPPED_FORWARDS'],
      [5, 'Layla "Unplugged"', 'SCRUBBED_TO_END'],
    ]);
    expect(r.skipped).toEqual([
      { index: 2, reason: 'not_play_end' },
      { index: 4, reason: 'not_audio' },
    ]);
  });

  it('Should name the file, row index, line and column of each bad row', async () => {
    const r = await read('apple_music', [APPLE_CSV], 'Apple Music Play Activity.csv');
    expect(r.errors).toEqual([
      expect.objectContaining({
        file: 'Apple Music Play Activity.csv',
        index: 3,
        line: 5,
        field: 'Play Duration Milliseconds',
        code: 'invalid',
      }),
      expect.objectContaining({
        file: 'Apple Music Play Activity.csv',
        index: 6,
        line: 8,
        field: 'Event Start Timestamp',
        code: 'missing',
      }),
    ]);
  });

  it('Should report a row with text after a closing quote as malformed and read the next row', async () => {
    const csv =
      'Song Name,Artist Name,Event Start Timestamp,Play Duration Milliseconds\n"A"x,B,2024-01-01T00:00:00Z,1000\nC,D,2024-01-01T00:00:00Z,1000\n';
    const r = await read('apple_music', [csv], 'a.csv');
    expect(r.errors).toEqual([expect.objectContaining({ file: 'a.csv', index: 0, line: 2, field: '(record)', code: 'malformed_row' })]);
    expect(r.listens).toEqual([expect.objectContaining({ index: 1, track_name: 'C', artist_name: 'D' })]);
  });
});

describe('Streaming across chunk boundaries', () => {
  const cases: [Format, string][] = [
    ['spotify', SPOTIFY],
    ['youtube_music', YOUTUBE],
    ['lastfm_csv', LASTFM_CSV_HEADED],
    ['lastfm_csv', LASTFM_CSV_CLASSIC],
    ['lastfm_json', LASTFM_JSON],
    ['apple_music', APPLE_CSV],
  ];
  for (const [format, text] of cases) {
    it(`Should read ${format} the same however the bytes are split (${text.length} chars)`, async () => {
      const whole = (await read(format, [text])).items;
      expect(whole.length).toBeGreaterThan(2);
      for (const chunks of splits(text)) expect((await read(format, chunks)).items).toEqual(whole);
    });
  }

  it('Should read a BOM-prefixed CSV with CRLF line ends split between CR and LF', async () => {
    const text = `\uFEFF${APPLE_CSV.replace(/\n/g, '\r\n')}`;
    const whole = await read('apple_music', [APPLE_CSV]);
    for (const chunks of splits(text)) {
      const r = await read('apple_music', chunks);
      expect(r.listens).toEqual(whole.listens);
    }
  });

  it('Should split CSV records per RFC 4180 with the line each starts on', async () => {
    const out = [];
    for await (const r of csvRecords(textChunks(['a;b\n"x;1";"multi', '\nline"\n\n"q""q";z']))) out.push(r);
    expect(out).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['x;1', 'multi\nline'] },
      { line: 5, cells: ['q"q', 'z'] },
    ]);
  });
});

describe('detectFormat', () => {
  it('Should tell each format from its first bytes', () => {
    expect(detectFormat(SPOTIFY.slice(0, 200), 'x.json')).toBe('spotify');
    expect(detectFormat(bytes(YOUTUBE.slice(0, 200)), 'x.json')).toBe('youtube_music');
    expect(detectFormat(LASTFM_JSON.slice(0, 200), 'x.json')).toBe('lastfm_json');
    expect(detectFormat(LASTFM_CSV_HEADED.slice(0, 200), 'x.csv')).toBe('lastfm_csv');
    expect(detectFormat(`\uFEFF${APPLE_CSV.slice(0, 300)}`, 'x.csv')).toBe('apple_music');
  });

  it('Should fall back on the file name, and say null when nothing tells', () => {
    expect(detectFormat(LASTFM_CSV_CLASSIC.slice(0, 100), 'lastfm-scrobbles.csv')).toBe('lastfm_csv');
    expect(detectFormat('[', 'Streaming_History_Audio_2023_4.json')).toBe('spotify');
    expect(detectFormat('[', 'watch-history.json')).toBe('youtube_music');
    expect(detectFormat('a,b,c\n1,2,3', 'data.csv')).toBeNull();
  });
});
