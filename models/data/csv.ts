/**
 * Line-by-line CSV reading with positions, so every bad value is reported as FILE:LINE:COLUMN.
 * Supports RFC 4180 quoting within one line (ids with commas); multi-line fields are not needed by
 * any input of the trainer and are rejected.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

export class InputError extends Error {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  constructor(file: string, line: number, column: number, message: string) {
    super(`${file}:${line}:${column}: ${message}`);
    this.name = 'InputError';
    this.file = file;
    this.line = line;
    this.column = column;
  }
}

export interface CsvCell {
  value: string;
  /** 1-based column (character position) where the cell starts. */
  column: number;
}

/** Splits one CSV line into cells with their start columns; `sep` is ',' or '\t'. */
export function splitCsvLine(line: string, file: string, lineNo: number, sep = ','): CsvCell[] {
  const cells: CsvCell[] = [];
  let i = 0;
  for (;;) {
    const start = i;
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= line.length) throw new InputError(file, lineNo, start + 1, 'unterminated quoted field');
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += line[i++];
      }
      if (i < line.length && line[i] !== sep) throw new InputError(file, lineNo, i + 1, `expected "${sep}" after quoted field`);
      cells.push({ value, column: start + 1 });
    } else {
      const end = line.indexOf(sep, i);
      const stop = end === -1 ? line.length : end;
      cells.push({ value: line.slice(i, stop), column: start + 1 });
      i = stop;
    }
    if (i >= line.length) return cells;
    i++; // separator
  }
}

export interface CsvRow {
  line: number;
  cells: CsvCell[];
  /** the line as read (BOM dropped) */
  text: string;
}

/**
 * Streams the non-blank lines of a delimited file split into cells (a leading BOM dropped). A
 * missing file and a file with no line at all are InputErrors.
 *
 * @example
 * for await (const { line, cells } of csvLines('items.csv')) { ... }
 */
export async function* csvLines(file: string, sep = ',', encoding: BufferEncoding = 'utf8'): AsyncGenerator<CsvRow> {
  const rl = createInterface({ input: createReadStream(file, { encoding }), crlfDelay: Number.POSITIVE_INFINITY });
  let lineNo = 0;
  let empty = true;
  try {
    for await (const raw of rl) {
      lineNo++;
      const line = lineNo === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      if (line.trim() === '') continue;
      empty = false;
      yield { line: lineNo, cells: splitCsvLine(line, file, lineNo, sep), text: line };
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new InputError(file, 0, 0, 'file not found');
    throw e;
  } finally {
    rl.close();
  }
  if (empty) throw new InputError(file, 1, 1, 'file is empty: expected a header line');
}

/**
 * Streams the data rows of a delimited file after checking its header holds `required` columns.
 * Yields rows with cells re-ordered as `columns` (required then optional; absent optional -> undefined).
 *
 * @example
 * for await (const { line, cells } of readCsv('plays.csv', ['user_id', 'item_id', 'weight'], ['timestamp'])) { ... }
 */
export async function* readCsv(
  file: string,
  required: readonly string[],
  optional: readonly string[] = [],
  sep = ',',
  encoding: BufferEncoding = 'utf8',
): AsyncGenerator<{ line: number; cells: (CsvCell | undefined)[] }> {
  let index: number[] | null = null;
  let width = 0;
  for await (const { line, cells, text } of csvLines(file, sep, encoding)) {
    if (index === null) {
      const names = cells.map((c) => c.value.trim().toLowerCase());
      for (const r of required) {
        if (!names.includes(r)) throw new InputError(file, line, 1, `header must name column "${r}" (got ${names.join(',')})`);
      }
      index = [...required, ...optional].map((name) => names.indexOf(name));
      width = cells.length;
      continue;
    }
    if (cells.length !== width) {
      const col = cells.length > width ? cells[width]!.column : text.length + 1;
      throw new InputError(file, line, col, `expected ${width} columns, got ${cells.length}`);
    }
    yield { line, cells: index.map((i) => (i === -1 ? undefined : cells[i])) };
  }
}

/** Parses a finite number or throws at the cell's position. */
export function parseNumberCell(cell: CsvCell, file: string, line: number, what: string): number {
  const v = cell.value.trim();
  const n = v === '' ? Number.NaN : Number(v);
  if (!Number.isFinite(n)) throw new InputError(file, line, cell.column, `${what} must be a number, got "${cell.value}"`);
  return n;
}
