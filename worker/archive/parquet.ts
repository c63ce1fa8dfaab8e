/**
 * The archive's Parquet encoding of `events` rows, shared by the Worker (events-archive.ts) and Node
 * (tests, benchmarks). Pure: no Worker or Node imports. Columns map by SQLite affinity: INTEGER →
 * INT64, TEXT → UTF-8 string, REAL → DOUBLE, every column optional (nullable).
 */
import { parquetReadObjects } from 'hyparquet';
import { type ColumnSource, parquetWriteBuffer } from 'hyparquet-writer';
import { DomainError } from '../../contract/domain-error.ts';

/** A failure of the archive job; `code` is machine-readable, and a client that asked for the run sees 500 with it. */
export class ArchiveError extends DomainError {
  constructor(code: string, message: string) {
    super(code, 500, message);
    this.name = 'ArchiveError';
  }
}

/** A value of one cell as D1 returns it. */
export type Cell = string | number | null;
export type EventRow = Record<string, Cell>;

export type ColumnKind = 'INT64' | 'STRING' | 'DOUBLE';
export interface Column {
  name: string;
  kind: ColumnKind;
}

/**
 * The Parquet type of a column from its declared SQLite type, by SQLite's affinity rules
 * (https://sqlite.org/datatype3.html#determination_of_column_affinity).
 *
 * @example kindOf('ts', 'integer') // 'INT64'
 */
export function kindOf(column: string, declared: string): ColumnKind {
  const t = declared.toUpperCase();
  if (t.includes('INT')) return 'INT64';
  if (t.includes('CHAR') || t.includes('CLOB') || t.includes('TEXT')) return 'STRING';
  if (t.includes('REAL') || t.includes('FLOA') || t.includes('DOUB')) return 'DOUBLE';
  throw new ArchiveError('unsupported_column_type', `events.${column} has type '${declared}', which the archive cannot map to Parquet`);
}

/**
 * One Parquet file (snappy, hyparquet-writer's defaults) with `columns` in order. A cell whose value
 * does not fit its column's type throws `unexpected_value` rather than being coerced.
 *
 * @example encodeEventsParquet([{ name: 'event_id', kind: 'STRING' }], [{ event_id: 'e1' }], '2026-10-01')
 */
export function encodeEventsParquet(columns: readonly Column[], rows: readonly EventRow[], day: string): Uint8Array {
  const columnData: ColumnSource[] = columns.map(({ name, kind }) => {
    const data = rows.map((r) => {
      const v = r[name] ?? null;
      if (v === null) return null;
      if (kind === 'INT64' && typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
      if (kind === 'STRING' && typeof v === 'string') return v;
      if (kind === 'DOUBLE' && typeof v === 'number') return v;
      throw new ArchiveError(
        'unexpected_value',
        `events.${name} of event ${String(r.event_id)} holds ${typeof v} ${JSON.stringify(v)}, not ${kind}`,
      );
    });
    return { name, data, type: kind, nullable: true };
  });
  const buffer = parquetWriteBuffer({
    columnData,
    kvMetadata: [{ key: 'backbeat.day', value: day }],
    createdBy: 'backbeat events-archive',
  });
  return new Uint8Array(buffer);
}

/** Parquet INT64 cells come back as bigint; the archive only ever stores safe integers. */
function fromParquet(row: Record<string, unknown>): EventRow {
  const out: EventRow = {};
  for (const [k, v] of Object.entries(row)) {
    if (typeof v === 'bigint') out[k] = Number(v);
    else if (v === undefined || v === null) out[k] = null;
    else if (typeof v === 'string' || typeof v === 'number') out[k] = v;
    else throw new ArchiveError('unexpected_value', `Parquet column ${k} holds ${typeof v}`);
  }
  return out;
}

/**
 * Every row of one archive file, cells as D1 would return them. Throws `archive_corrupt` on bytes
 * that are not Parquet.
 */
export async function parseEventsParquet(bytes: ArrayBuffer): Promise<EventRow[]> {
  let rows: Record<string, unknown>[];
  try {
    rows = (await parquetReadObjects({ file: bytes })) as Record<string, unknown>[];
  } catch (err) {
    throw new ArchiveError('archive_corrupt', `not a readable Parquet file: ${(err as Error).message}`);
  }
  return rows.map(fromParquet);
}

/** Compares `actual` to `expected` cell by cell, row by row; returns the first difference or null. */
export function firstDifference(columns: readonly Column[], expected: readonly EventRow[], actual: readonly EventRow[]): string | null {
  if (expected.length !== actual.length) return `${actual.length} rows read back, ${expected.length} written`;
  for (let i = 0; i < expected.length; i++) {
    for (const { name } of columns) {
      const e = expected[i]![name] ?? null;
      const a = actual[i]![name] ?? null;
      if (e !== a)
        return `row ${i} (${String(expected[i]!.event_id)}) column ${name}: ${JSON.stringify(a)} read back, ${JSON.stringify(e)} written`;
    }
  }
  return null;
}
