import type { Context } from 'hono';

/** True when the client asked for CSV (`?format=csv` or `Accept: text/csv`). */
export function wantsCsv(c: Context): boolean {
  if (c.req.query('format') === 'csv') return true;
  return (c.req.header('accept') ?? '').includes('text/csv');
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  // RFC 4180 quoting, plus a leading quote for formula characters so spreadsheets never execute a cell.
  const safe = /^[=+\-@]/.test(s) && typeof v === 'string' ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/**
 * RFC 4180 CSV with a header row, in the given column order.
 *
 * @example toCsv([{ a: 1, b: 'x,y' }], ['a', 'b']) // 'a,b\r\n1,"x,y"\r\n'
 */
export function toCsv<T extends Record<string, unknown>>(rows: readonly T[], columns: readonly (keyof T & string)[]): string {
  const lines = [columns.join(',')];
  for (const r of rows) lines.push(columns.map((k) => cell(r[k])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** A CSV download response. */
export function csvResponse(body: string, filename: string): Response {
  return new Response(body, {
    status: 200,
    headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${filename}"` },
  });
}
