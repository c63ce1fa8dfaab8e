/**
 * Splits one listening-history export into smaller files of the same format, each under a byte limit,
 * so `POST /v1/users/:id/imports` (one file of at most 1 MB a request) can take a history of any size.
 * Streams: only the piece being filled and one record are held in memory. Pure (no I/O).
 *
 * - JSON formats (Spotify, YouTube Music, Last.fm JSON): each piece is a JSON array of records, in order.
 *   Last.fm JSON pages (`{ track: [...] }`, `{ recenttracks: { track: [...] } }`) are flattened to their
 *   tracks, which the reader numbers the same way.
 * - CSV formats (Last.fm CSV, Apple Music Play Activity): each piece is the header row followed by data
 *   rows (re-encoded with `,`, cells quoted when needed). A header-less Last.fm CSV stays header-less.
 *
 * Every piece says which record of the original file each of its records is, so the route's answers
 * (record index within the piece) can be mapped back to the file. Records that cannot be sent (broken
 * JSON, a malformed CSV row, a single record over the limit) come out as record errors, at their
 * original index, exactly as the route would have named them.
 *
 * @example
 * for await (const item of splitExport('spotify', createReadStream(path), { file: 'Streaming_History_Audio_2021.json' })) {
 *   if (item.kind === 'piece') await post(item.piece.body);
 * }
 */

import type { ChunkSource, Format, RecordError } from '../../worker/imports/index.ts';
import { jsonElements } from '../../worker/imports/json.ts';
import { lastfmRecordsOf, readLastfmCsv } from '../../worker/imports/lastfm.ts';
import { type CsvRecord, csvRecords, textChunks } from '../../worker/imports/text.ts';

/** The route's body limit (worker/schemas/event.ts MAX_BODY_BYTES, 1 MiB) less a margin. */
export const DEFAULT_PIECE_BYTES = 1_000_000;

export interface Piece {
  /** 0-based number of the piece within its file. */
  seq: number;
  /** The piece as a file of the export's format. */
  body: string;
  /** UTF-8 length of `body`. */
  bytes: number;
  /** The original record index of each record in the piece (the route's `index` is a position here). */
  origin: number[];
  /** For CSV: the 1-based line of the original file where each record starts. */
  lines?: number[];
}

export type SplitItem = { kind: 'piece'; piece: Piece } | { kind: 'error'; error: RecordError };

export interface SplitOptions {
  /** Named in record errors. */
  file?: string;
  /** Upper bound of a piece's UTF-8 size (default DEFAULT_PIECE_BYTES). */
  maxBytes?: number;
}

const encoder = new TextEncoder();
const utf8Length = (s: string) => encoder.encode(s).length;

/**
 * An error the route (or a reader) gave for a record of a piece, in the original file's numbering:
 * index, CSV line and the "record N" of the message.
 */
export function toOriginal(e: RecordError, piece: Piece, file?: string): RecordError {
  const index = piece.origin[e.index] ?? e.index;
  const out: RecordError = { ...e, index, message: e.message.replace(`record ${e.index} `, `record ${index} `) };
  if (file !== undefined) out.file = file;
  const line = piece.lines?.[e.index];
  if (line !== undefined) out.line = line;
  else delete out.line;
  return out;
}

export function isCsvFormat(format: Format): boolean {
  return format === 'lastfm_csv' || format === 'apple_music';
}

export function splitExport(format: Format, source: ChunkSource, opts: SplitOptions = {}): AsyncGenerator<SplitItem> {
  return isCsvFormat(format) ? splitCsv(format, source, opts) : splitJson(format, source, opts);
}

function tooLarge(index: number, bytes: number, limit: number, file?: string, line?: number): SplitItem {
  const error: RecordError = {
    index,
    field: '(record)',
    code: 'out_of_range',
    message: `record ${index} is ${bytes} bytes, more than a whole request may carry (${limit}); it was not sent`,
  };
  if (file !== undefined) error.file = file;
  if (line !== undefined) error.line = line;
  return { kind: 'error', error };
}

/** Collects records into pieces under the limit; `wrap` is the bytes every piece adds around them. */
class PieceBuilder {
  private parts: string[] = [];
  private origin: number[] = [];
  private lines: number[] = [];
  private size = 0;
  private seq = 0;
  private readonly limit: number;
  private readonly open: string;
  private readonly close: string;
  private readonly joiner: string;
  constructor(limit: number, open: string, close: string, joiner: string) {
    this.limit = limit;
    this.open = open;
    this.close = close;
    this.joiner = joiner;
  }
  /** Bytes a piece holding only this record would take. */
  alone(recordBytes: number): number {
    return utf8Length(this.open) + recordBytes + utf8Length(this.close);
  }
  /** Adds a record; returns the piece it completed first, if the record did not fit in the current one. */
  add(text: string, bytes: number, index: number, line?: number): Piece | null {
    let done: Piece | null = null;
    const extra = (this.parts.length > 0 ? utf8Length(this.joiner) : 0) + bytes;
    if (this.parts.length > 0 && this.alone(0) + this.size + extra > this.limit) done = this.flush();
    this.size += (this.parts.length > 0 ? utf8Length(this.joiner) : 0) + bytes;
    this.parts.push(text);
    this.origin.push(index);
    if (line !== undefined) this.lines.push(line);
    return done;
  }
  flush(): Piece | null {
    if (this.parts.length === 0) return null;
    const body = this.open + this.parts.join(this.joiner) + this.close;
    const piece: Piece = { seq: this.seq++, body, bytes: utf8Length(body), origin: this.origin };
    if (this.lines.length > 0) piece.lines = this.lines;
    this.parts = [];
    this.origin = [];
    this.lines = [];
    this.size = 0;
    return piece;
  }
}

async function* splitJson(format: Format, source: ChunkSource, opts: SplitOptions): AsyncGenerator<SplitItem> {
  const limit = opts.maxBytes ?? DEFAULT_PIECE_BYTES;
  const b = new PieceBuilder(limit, '[\n', '\n]\n', ',\n');
  let index = 0; // records as the reader numbers them (Last.fm: tracks across pages)
  const emit = function* (value: unknown): Generator<SplitItem> {
    const i = index++;
    const text = JSON.stringify(value) ?? 'null';
    const bytes = utf8Length(text);
    if (b.alone(bytes) > limit) {
      yield tooLarge(i, bytes, limit, opts.file);
      return;
    }
    const done = b.add(text, bytes, i);
    if (done) yield { kind: 'piece', piece: done };
  };
  for await (const item of jsonElements(textChunks(source), opts.file)) {
    if ('error' in item) {
      yield { kind: 'error', error: format === 'lastfm_json' ? { ...item.error, index } : item.error };
      continue;
    }
    if (format !== 'lastfm_json') {
      yield* emit(item.value);
      continue;
    }
    // Last.fm JSON: the reader's own rules for what holds scrobbles.
    for (const t of lastfmRecordsOf(item.key, item.value)) yield* emit(t);
  }
  const last = b.flush();
  if (last) yield { kind: 'piece', piece: last };
}

/** One CSV cell, quoted when it holds a quote, a separator the reader might guess, a line break or edge spaces. */
export function csvCell(s: string): string {
  return /[",;\t\r\n]|^\s|\s$/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function csvRow(cells: readonly string[]): string {
  return cells.map(csvCell).join(',');
}

/** Whether the Last.fm reader takes this first row for a header (it then yields nothing for it). */
async function lastfmHeader(cells: string[]): Promise<boolean> {
  for await (const _ of readLastfmCsv([`${csvRow(cells)}\n`])) return false;
  return true;
}

async function* splitCsv(format: Format, source: ChunkSource, opts: SplitOptions): AsyncGenerator<SplitItem> {
  const limit = opts.maxBytes ?? DEFAULT_PIECE_BYTES;
  let b: PieceBuilder | undefined;
  let index = 0;
  const malformed = (rec: CsvRecord, i: number): SplitItem => {
    const error: RecordError = { index: i, line: rec.line, field: '(record)', code: 'malformed_row', message: rec.malformed as string };
    if (opts.file !== undefined) error.file = opts.file;
    return { kind: 'error', error };
  };
  for await (const rec of csvRecords(textChunks(source))) {
    if (b === undefined) {
      // Apple Music always has a header; Last.fm may not (then the first row is data, as the reader reads it).
      const header = format === 'apple_music' || (!rec.malformed && (await lastfmHeader(rec.cells)));
      b = new PieceBuilder(limit, header ? `${csvRow(rec.cells)}\n` : '', '\n', '\n');
      if (header) continue;
    }
    const i = index++;
    if (rec.malformed) {
      yield malformed(rec, i);
      continue;
    }
    const text = csvRow(rec.cells);
    const bytes = utf8Length(text);
    if (b.alone(bytes) > limit) {
      yield tooLarge(i, bytes, limit, opts.file, rec.line);
      continue;
    }
    const done = b.add(text, bytes, i, rec.line);
    if (done) yield { kind: 'piece', piece: done };
  }
  const last = b?.flush();
  if (last) yield { kind: 'piece', piece: last };
}
