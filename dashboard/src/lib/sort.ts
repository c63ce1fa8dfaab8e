/** Sorting for tables: numbers and strings, missing values always last whatever the direction. */

export type SortDirection = 'asc' | 'desc';

/**
 * A sorted copy of `rows` by `key`.
 * @example sortRows([{ n: 2 }, { n: null }, { n: 5 }], 'n', 'desc') // [{ n: 5 }, { n: 2 }, { n: null }]
 */
export function sortRows<T>(rows: readonly T[], key: keyof T, direction: SortDirection): T[] {
  const sign = direction === 'asc' ? 1 : -1;
  return rows
    .map((row, index) => ({ row, index }))
    .sort((a, b) => {
      const x = a.row[key] as unknown;
      const y = b.row[key] as unknown;
      const xMissing = x === null || x === undefined || (typeof x === 'number' && Number.isNaN(x));
      const yMissing = y === null || y === undefined || (typeof y === 'number' && Number.isNaN(y));
      if (xMissing || yMissing) return xMissing === yMissing ? a.index - b.index : xMissing ? 1 : -1;
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return c === 0 ? a.index - b.index : sign * c;
    })
    .map((e) => e.row);
}

/** Clicking the sorted column flips it; a new column starts descending for numbers (biggest first). */
export function nextSort(
  current: { key: string; direction: SortDirection },
  clicked: string,
  numeric: boolean,
): { key: string; direction: SortDirection } {
  if (current.key === clicked) return { key: clicked, direction: current.direction === 'asc' ? 'desc' : 'asc' };
  return { key: clicked, direction: numeric ? 'desc' : 'asc' };
}

/** A table column: how to label, format and sort it. */
export interface Column<R> {
  key: keyof R & string;
  label: string;
  numeric?: boolean;
  format?: (value: R[keyof R], row: R) => string;
  hint?: string;
  /** false for action columns (buttons) that make no sense to sort. */
  sortable?: boolean;
}

/** A cell as people read it: the column's formatter, else the raw value, '–' when there is none. */
export function cellText<R>(row: R, col: Column<R>): string {
  return col.format ? col.format(row[col.key], row) : String(row[col.key] ?? '–');
}
