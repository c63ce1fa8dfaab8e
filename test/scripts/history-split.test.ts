/**
 * The history splitter (scripts/imports/split.ts): every piece is a valid file of its format under
 * the limit, and reading the pieces gives exactly what reading the whole file gives, in order, with
 * record indices (and CSV lines) mapped back to the original file.
 */
import { describe, expect, it } from 'vitest';
import { csvRow, type Piece, splitExport, toOriginal } from '../../scripts/imports/split.ts';
import { type Format, type ReadItem, readExport } from '../../worker/imports/index.ts';
import { APPLE_CSV, LASTFM_CSV_CLASSIC, LASTFM_CSV_HEADED, LASTFM_JSON, SPOTIFY, YOUTUBE } from './imports/exports.ts';

const encoder = new TextEncoder();

/** The text in small byte chunks, so records, quotes and multi-byte characters straddle chunk edges. */
function* bytes(text: string, size = 61): Generator<Uint8Array> {
  const all = encoder.encode(text);
  for (let i = 0; i < all.length; i += size) yield all.subarray(i, i + size);
}

async function readAll(format: Format, text: string): Promise<ReadItem[]> {
  const out: ReadItem[] = [];
  for await (const item of readExport(format, [text], { file: 'f' })) out.push(item);
  return out;
}

async function split(format: Format, text: string, maxBytes: number) {
  const pieces: Piece[] = [];
  const errors: ReadItem[] = [];
  for await (const item of splitExport(format, bytes(text), { file: 'f', maxBytes })) {
    if (item.kind === 'piece') pieces.push(item.piece);
    else errors.push({ kind: 'error', error: item.error });
  }
  return { pieces, errors };
}

/** What reading the pieces gives, renumbered to the original file. */
async function readPieces(format: Format, pieces: Piece[]): Promise<ReadItem[]> {
  const out: ReadItem[] = [];
  for (const p of pieces) {
    for (const item of await readAll(format, p.body)) {
      if (item.kind === 'listen') out.push({ kind: 'listen', listen: { ...item.listen, index: p.origin[item.listen.index] as number } });
      else if (item.kind === 'skipped') out.push({ ...item, index: p.origin[item.index] as number });
      else out.push({ kind: 'error', error: toOriginal(item.error, p) });
    }
  }
  return out;
}

const indexOf = (i: ReadItem) => (i.kind === 'listen' ? i.listen.index : i.kind === 'error' ? i.error.index : i.index);

async function expectSameAsWhole(format: Format, text: string, maxBytes: number) {
  const whole = await readAll(format, text);
  const { pieces, errors } = await split(format, text, maxBytes);
  expect(pieces.length).toBeGreaterThan(3);
  for (const p of pieces) {
    expect(p.bytes).toBe(encoder.encode(p.body).length);
    expect(p.bytes).toBeLessThanOrEqual(maxBytes);
  }
  const fromPieces = [...errors, ...(await readPieces(format, pieces))].sort((a, b) => indexOf(a) - indexOf(b));
  expect(fromPieces).toEqual(whole);
  // Pieces follow each other: the records of piece n+1 come after those of piece n.
  const order = pieces.flatMap((p) => p.origin);
  expect(order).toEqual([...order].sort((a, b) => a - b));
  return { pieces, whole };
}

function repeatJson(fixture: string, copies: number, big: unknown): string {
  const records = JSON.parse(fixture) as unknown[];
  const all: unknown[] = [];
  for (let c = 0; c < copies; c++) {
    all.push(...records);
    if (c === Math.floor(copies / 2)) all.push(big);
  }
  return JSON.stringify(all, null, 2);
}

function repeatCsv(fixture: string, copies: number, big: string, header: boolean): string {
  const [first, ...rest] = fixture.split(/\r\n|\n/);
  const body = header ? rest : [first as string, ...rest];
  const lines: string[] = header ? [first as string] : [];
  for (let c = 0; c < copies; c++) {
    lines.push(...body);
    if (c === Math.floor(copies / 2)) lines.push(big);
  }
  return `${lines.join('\r\n')}\r\n`;
}

const longText = (n: number) => 'Très long titre — ♫ '.repeat(Math.ceil(n / 20)).slice(0, n);

describe('splitting a history export into pieces the import route takes', () => {
  it('Should split a Spotify history into JSON arrays under the limit that read exactly as the whole file, a 3 KB record included', async () => {
    const big = {
      ts: '2024-03-02T10:00:00Z',
      ms_played: 200_000,
      master_metadata_track_name: longText(3000),
      master_metadata_album_artist_name: 'Big Record',
      spotify_track_uri: 'spotify:track:0000000000000000000009',
    };
    const { whole } = await expectSameAsWhole('spotify', repeatJson(SPOTIFY, 60, big), 8192);
    expect(whole.filter((i) => i.kind === 'listen').length).toBeGreaterThan(100);
    expect(whole.some((i) => i.kind === 'listen' && i.listen.track_name.length > 2900)).toBe(true);
  });

  it('Should split a YouTube Music Takeout file the same way', async () => {
    const big = {
      header: 'YouTube Music',
      title: `Watched ${longText(3000)}`,
      titleUrl: 'https://music.youtube.com/watch?v=ZZZZZZZZZZ9',
      subtitles: [{ name: 'Big - Topic' }],
      time: '2024-02-11T08:00:00Z',
    };
    await expectSameAsWhole('youtube_music', repeatJson(YOUTUBE, 60, big), 8192);
  });

  it('Should flatten Last.fm JSON pages into tracks numbered as the reader numbers them', async () => {
    const big = { artist: 'Big', track: longText(3000), date: '2024-01-02T10:00:00Z' };
    await expectSameAsWhole('lastfm_json', repeatJson(LASTFM_JSON, 60, big), 8192);
  });

  it('Should repeat the Last.fm CSV header in every piece, quoted cells with separators and line breaks kept', async () => {
    const big = csvRow(['1706790000', '', 'Big, "Quoted"', '', longText(3000), '', 'Big\ntrack', '']);
    const { pieces } = await expectSameAsWhole('lastfm_csv', repeatCsv(LASTFM_CSV_HEADED, 80, big, true), 8192);
    for (const p of pieces) expect(p.body.startsWith('uts,utc_time,artist,')).toBe(true);
  });

  it('Should leave a header-less Last.fm CSV without a header in every piece', async () => {
    const big = csvRow(['Björk', longText(3000), 'Joga', '03 Jan 2023 21:25']);
    const { pieces } = await expectSameAsWhole('lastfm_csv', repeatCsv(LASTFM_CSV_CLASSIC, 80, big, false), 4096);
    // No piece's first row is taken for a header: each reads as many records as it carries.
    for (const p of pieces) expect((await readAll('lastfm_csv', p.body)).length).toBe(p.origin.length);
  });

  it('Should repeat the Apple Music Play Activity header in every piece', async () => {
    const big = csvRow([
      '0',
      longText(3000),
      'Album',
      'Artist',
      '2024-01-05T10:00:00.000Z',
      '',
      'PLAY_END',
      '1000',
      '2000',
      'NATURAL_END_OF_TRACK',
      'AUDIO',
      '',
      '',
    ]);
    const { pieces } = await expectSameAsWhole('apple_music', repeatCsv(APPLE_CSV, 60, big, true), 8192);
    for (const p of pieces) expect(p.body.startsWith('Apple Id Number,Song Name,')).toBe(true);
  });

  it('Should report a record larger than a whole piece at its index and send every other record', async () => {
    const records = Array.from({ length: 30 }, (_, i) => ({
      ts: `2024-03-01T10:${String(i).padStart(2, '0')}:00Z`,
      ms_played: 100_000,
      master_metadata_track_name: i === 7 ? longText(10_000) : `Song ${i}`,
      master_metadata_album_artist_name: 'Artist',
    }));
    const { pieces, errors } = await split('spotify', JSON.stringify(records), 4096);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ kind: 'error', error: { index: 7, file: 'f', code: 'out_of_range', field: '(record)' } });
    const sent = pieces.flatMap((p) => p.origin);
    expect(sent).toEqual([...Array(30).keys()].filter((i) => i !== 7));
  });

  it('Should name a malformed CSV row at its original index and line instead of sending it repaired', async () => {
    const rows = ['uts,artist,track'];
    for (let i = 0; i < 50; i++) rows.push(i === 20 ? '1706790000,"Artist"x,Song' : `${1706790000 + i},Artist ${i},Song ${i}`);
    const text = rows.join('\n');
    const whole = await readAll('lastfm_csv', text);
    const { pieces, errors } = await split('lastfm_csv', text, 1024);
    expect(pieces.length).toBeGreaterThan(1);
    expect(errors).toEqual([whole[20]]);
    expect(errors[0]).toMatchObject({ error: { index: 20, line: 22, code: 'malformed_row' } });
  });
});
