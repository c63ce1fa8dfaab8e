import type { Context } from 'hono';

/** True when the client asked for CSV (`?format=csv` or `Accept: text/csv`). */
export function wantsCsv(c: Context): boolean {
  if (c.req.query('format') === 'csv') return true;
  return (c.req.header('accept') ?? '').includes('text/csv');
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  // OWASP CSV injection: a string cell starting with = + - @ TAB CR or LF gets a leading quote so
  // spreadsheets never execute it; then RFC 4180 quoting (separators `,` `;` quoted too).
  const safe = /^[=+\-@\t\r\n]/.test(s) && typeof v === 'string' ? `'${s}` : s;
  return /[",;\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/**
 * RFC 4180 CSV with a header row, in the given column order.
 *
 * @example toCsv([{ a: 1, b: 'x,y' }], ['a', 'b']) // 'a,b\r\n1,"x,y"\r\n'
 */
/** One CSV record (no line break), quoted and injection-safe as `toCsv`'s; for streamed exports. */
export function csvRecord(values: readonly unknown[]): string {
  return values.map(cell).join(',');
}

export function toCsv<T extends Record<string, unknown>>(rows: readonly T[], columns: readonly (keyof T & string)[]): string {
  const lines = [columns.join(',')];
  for (const r of rows) lines.push(columns.map((k) => cell(r[k])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * A `Content-Disposition: attachment` value per RFC 6266 / RFC 5987: an ASCII fallback `filename`
 * (anything outside `[A-Za-z0-9._-]` becomes `_`) plus `filename*=UTF-8''` with the percent-encoded
 * name. Never throws and never lets the name add parameters or header lines.
 *
 * @example contentDisposition('é.csv') // `attachment; filename="_.csv"; filename*=UTF-8''%C3%A9.csv`
 */
export function contentDisposition(name: string): string {
  const fallback = name.replace(/[^A-Za-z0-9._-]/g, '_');
  // encodeURIComponent leaves !'()* which RFC 5987 attr-char excludes (' delimits the charset).
  const encoded = encodeURIComponent(
    name.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'),
  ).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** A CSV download response. */
/** The response header that carries `as_of` (JSON answers have it in the body too). */
export const AS_OF_HEADER = 'Backbeat-As-Of';

export function csvResponse(body: string, filename: string, asOf?: string): Response {
  return new Response(body, {
    status: 200,
    headers: {
      ...(asOf ? { [AS_OF_HEADER]: asOf } : {}),
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': contentDisposition(filename),
    },
  });
}
