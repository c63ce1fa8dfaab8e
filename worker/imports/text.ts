/**
 * Text plumbing for the readers: chunk sources to decoded text, an RFC 4180 record splitter that
 * streams (quoted fields may hold separators, quotes and line breaks, and chunks may split anything),
 * and the timestamp parsers. Pure.
 */
import type { Chunk, ChunkSource } from './types.ts';

/** Yields the source's chunks as text (UTF-8, split code points joined, a leading BOM dropped). */
export async function* textChunks(source: ChunkSource): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  let first = true;
  const decode = (c: Chunk, last = false): string => {
    let s = typeof c === 'string' ? c : decoder.decode(c, { stream: !last });
    if (first && s.length > 0) {
      if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
      first = false;
    }
    return s;
  };
  if ('getReader' in source) {
    const reader = source.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (value !== undefined) {
          const s = decode(value);
          if (s) yield s;
        }
      }
    } finally {
      reader.releaseLock();
    }
  } else {
    for await (const c of source as AsyncIterable<Chunk>) {
      const s = decode(c);
      if (s) yield s;
    }
  }
  const tail = decoder.decode();
  if (tail) yield decode(tail, true);
}

export interface CsvRecord {
  /** 1-based line where the record starts. */
  line: number;
  cells: string[];
  /** Set when the record broke the quoting rules (text after a closing quote, or an unterminated quote at the end). */
  malformed?: string;
}

/**
 * Splits streamed CSV text into records (RFC 4180: `""` escapes a quote inside a quoted field; CRLF,
 * LF or CR end a record outside quotes). Blank lines are dropped. The separator is given, or guessed
 * from the first line among `,` `;` and tab.
 *
 * @example
 * for await (const r of csvRecords(textChunks(['a,b\n1,"x', ',y"\n']))) r.cells; // ['a','b'], ['1','x,y']
 */
export async function* csvRecords(text: AsyncIterable<string>, sep?: string): AsyncGenerator<CsvRecord> {
  let separator = sep;
  let pending = ''; // text held back until the separator is known
  let cells: string[] = [];
  let cell = '';
  let inQuotes = false;
  let afterQuote = false; // just closed a quoted field
  let quotedCell = false;
  let malformed: string | undefined;
  let line = 1;
  let recordLine = 1;
  let lastWasCR = false;
  const out: CsvRecord[] = [];

  const endCell = () => {
    cells.push(cell);
    cell = '';
    afterQuote = false;
    quotedCell = false;
  };
  const endRecord = () => {
    endCell();
    if (!(cells.length === 1 && cells[0] === '' && malformed === undefined)) {
      const r: CsvRecord = { line: recordLine, cells };
      if (malformed !== undefined) r.malformed = malformed;
      out.push(r);
    }
    cells = [];
    malformed = undefined;
  };
  const feed = (s: string) => {
    const sepChar = separator!;
    for (let i = 0; i < s.length; i++) {
      const ch = s[i]!;
      if (lastWasCR) {
        lastWasCR = false;
        if (ch === '\n') {
          // CRLF: the CR already ended the record, or was counted as a line inside quotes
          if (inQuotes) cell += ch;
          continue;
        }
      }
      if (inQuotes) {
        if (ch === '"') {
          inQuotes = false;
          afterQuote = true;
        } else {
          if (ch === '\n' || ch === '\r') {
            line++;
            if (ch === '\r') lastWasCR = true;
          }
          cell += ch;
        }
        continue;
      }
      if (ch === '"') {
        if (afterQuote) {
          // an escaped quote: "" inside a quoted field
          cell += '"';
          inQuotes = true;
          afterQuote = false;
        } else if (cell === '' && !quotedCell) {
          inQuotes = true;
          quotedCell = true;
        } else {
          cell += ch; // a stray quote inside an unquoted field: kept as text
        }
        continue;
      }
      if (ch === sepChar) {
        endCell();
        continue;
      }
      if (ch === '\n' || ch === '\r') {
        endRecord();
        line++;
        recordLine = line;
        if (ch === '\r') lastWasCR = true;
        continue;
      }
      if (afterQuote) malformed ??= `text after the closing quote of column ${cells.length + 1}`;
      cell += ch;
    }
  };

  for await (const s of text) {
    if (separator === undefined) {
      pending += s;
      const nl = pending.search(/[\r\n]/);
      if (nl === -1) continue;
      separator = guessSeparator(pending.slice(0, nl));
      feed(pending);
      pending = '';
    } else {
      feed(s);
    }
    yield* out;
    out.length = 0;
  }
  if (separator === undefined) {
    separator = guessSeparator(pending);
    feed(pending);
  }
  if (inQuotes) malformed ??= 'unterminated quoted field at the end of the file';
  if (cell !== '' || cells.length > 0 || malformed !== undefined || quotedCell) endRecord();
  yield* out;
}

function guessSeparator(firstLine: string): string {
  const unquoted = firstLine.replace(/"[^"]*"/g, '');
  let best = ',';
  let bestCount = 0;
  for (const c of [',', ';', '\t']) {
    const n = unquoted.split(c).length - 1;
    if (n > bestCount) {
      best = c;
      bestCount = n;
    }
  }
  return best;
}

/** Accepted range for a listen's timestamp: the event API takes nothing before 2000. */
export const MIN_TS = Date.UTC(2000, 0, 1);
export const MAX_TS = Date.UTC(2100, 0, 1);

const MONTHS: Record<string, number> = { jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11 };

/**
 * Parses a timestamp as the exports write them, to epoch ms, or NaN:
 * - ISO 8601 (`2021-03-04T12:34:56Z`, with an offset, or without one: then UTC);
 * - `YYYY-MM-DD HH:MM[:SS]` (UTC; Spotify's older StreamingHistory `endTime`);
 * - `DD Mon YYYY[,] HH:MM` (UTC; the lastfm-to-csv date column);
 * - a number or digit string: epoch seconds below 1e11, else epoch ms.
 */
export function parseTimestamp(v: unknown): number {
  if (typeof v === 'number') return Number.isFinite(v) ? (Math.abs(v) < 1e11 ? Math.round(v * 1000) : Math.round(v)) : Number.NaN;
  if (typeof v !== 'string') return Number.NaN;
  const s = v.trim();
  if (/^\d{9,13}$/.test(s)) return parseTimestamp(Number(s));
  let m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(s);
  if (m) {
    const [, y, mo, d, h, mi, sec, frac, zone] = m;
    let ms = Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, sec ? +sec : 0, frac ? Math.round(Number(`0${frac}`) * 1000) : 0);
    if (zone && zone.toUpperCase() !== 'Z') {
      const sign = zone[0] === '-' ? -1 : 1;
      const digits = zone.slice(1).replace(':', '');
      ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
    }
    return validDate(ms, +y!, +mo!, +d!);
  }
  m = /^(\d{1,2}) ([A-Za-z]{3})[a-z]* (\d{4}),? (\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(s);
  if (m) {
    const mo = MONTHS[m[2]!.toLowerCase()];
    if (mo === undefined) return Number.NaN;
    return validDate(Date.UTC(+m[3]!, mo, +m[1]!, +m[4]!, +m[5]!, m[6] ? +m[6] : 0), +m[3]!, mo + 1, +m[1]!);
  }
  return Number.NaN;
}

function validDate(ms: number, y: number, mo: number, d: number): number {
  const dt = new Date(ms);
  // Reject 2021-02-31 and friends (Date.UTC rolls them over); the offset can move the day by one.
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || Math.abs(dt.getUTCFullYear() - y) > 1) return Number.NaN;
  const probe = new Date(Date.UTC(y, mo - 1, d));
  if (probe.getUTCDate() !== d) return Number.NaN;
  return ms;
}

/** Upper case without hyphens or spaces, if it has the ISRC shape (CC-XXX-YY-NNNNN), else undefined. */
export function normaliseIsrc(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const s = v.replace(/[-\s]/g, '').toUpperCase();
  return /^[A-Z]{2}[A-Z0-9]{3}\d{7}$/.test(s) ? s : undefined;
}
