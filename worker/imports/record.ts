/** Helpers the readers share to check one record's fields and report what is wrong. Pure. */
import { MAX_TS, MIN_TS, parseTimestamp } from './text.ts';
import type { RecordError } from './types.ts';

/** The event API's ceiling for ms_played. */
export const MAX_MS_PLAYED = 24 * 3600 * 1000;

/** Collects the first error of a record; `ok` is false once one is set. */
export class RecordCheck {
  error: RecordError | undefined;
  readonly index: number;
  readonly file: string | undefined;
  readonly line: number | undefined;
  constructor(index: number, file?: string, line?: number) {
    this.index = index;
    this.file = file;
    this.line = line;
  }
  fail(field: string, code: RecordError['code'], message: string): undefined {
    if (this.error) return undefined;
    const e: RecordError = { index: this.index, field, code, message };
    if (this.file !== undefined) e.file = this.file;
    if (this.line !== undefined) e.line = this.line;
    this.error = e;
    return undefined;
  }
  /** A non-empty string (trimmed), or an error. */
  text(field: string, v: unknown): string | undefined {
    if (v === undefined || v === null || (typeof v === 'string' && v.trim() === ''))
      return this.fail(field, 'missing', `${field} is missing`);
    if (typeof v !== 'string') return this.fail(field, 'invalid', `${field} must be a string, got ${typeof v}`);
    return v.trim();
  }
  /** A timestamp between 2000 and 2100, or an error. */
  time(field: string, v: unknown): number | undefined {
    if (v === undefined || v === null || v === '') return this.fail(field, 'missing', `${field} is missing`);
    const ms = parseTimestamp(v);
    if (Number.isNaN(ms)) return this.fail(field, 'invalid', `${field} is not a timestamp: ${JSON.stringify(v).slice(0, 60)}`);
    if (ms < MIN_TS || ms >= MAX_TS) return this.fail(field, 'out_of_range', `${field} must be between 2000 and 2100`);
    return ms;
  }
  /** Milliseconds played: an integer 0..24 h (a digit string is accepted), or an error. */
  millis(field: string, v: unknown): number | undefined {
    if (v === undefined || v === null || v === '') return this.fail(field, 'missing', `${field} is missing`);
    const n = typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v) ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isFinite(n)) return this.fail(field, 'invalid', `${field} must be a number of milliseconds`);
    if (n < 0 || n > MAX_MS_PLAYED) return this.fail(field, 'out_of_range', `${field} must be between 0 and 24 hours, got ${n}`);
    return Math.round(n);
  }
}

export function optionalText(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

export function optionalBool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (s === 'true' || s === '1' || s === 'yes') return true;
    if (s === 'false' || s === '0' || s === 'no') return false;
  }
  return undefined;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
