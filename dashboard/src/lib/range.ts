/**
 * The date range every view follows: a preset (last N days, ending today) or a custom span.
 * Days are UTC calendar days written YYYY-MM-DD; `to` is inclusive.
 */

export const PRESETS = [7, 28, 90, 365] as const;
export type Preset = (typeof PRESETS)[number];
export const MAX_CUSTOM_DAYS = 731;

export interface DateRange {
  from: string;
  to: string;
  /** The preset it came from, or 'custom'. */
  preset: Preset | 'custom';
}

const DAY_MS = 86_400_000;

/** @example toDay(new Date('2026-11-24T19:00:00Z')) // '2026-11-24' */
export function toDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** @example addDays('2026-11-24', -6) // '2026-11-18' */
export function addDays(day: string, n: number): string {
  return toDay(new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS));
}

/** Inclusive length in days. @example spanDays({ from: '2026-11-18', to: '2026-11-24' }) // 7 */
export function spanDays(r: { from: string; to: string }): number {
  return Math.round((Date.parse(`${r.to}T00:00:00Z`) - Date.parse(`${r.from}T00:00:00Z`)) / DAY_MS) + 1;
}

/**
 * The last `days` days ending on `today` (inclusive).
 * @example presetRange(7, new Date('2026-11-24T12:00:00Z')) // { from: '2026-11-18', to: '2026-11-24', preset: 7 }
 */
export function presetRange(days: Preset, today: Date = new Date()): DateRange {
  const to = toDay(today);
  return { from: addDays(to, -(days - 1)), to, preset: days };
}

/**
 * The period of equal length just before `r`, what period-over-period changes compare against.
 * @example previousRange({ from: '2026-11-18', to: '2026-11-24' }) // { from: '2026-11-11', to: '2026-11-17' }
 */
export function previousRange(r: { from: string; to: string }): { from: string; to: string } {
  const n = spanDays(r);
  return { from: addDays(r.from, -n), to: addDays(r.from, -1) };
}

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Checks a custom range typed by a person; returns the range or a message saying what is wrong.
 * @example customRange('2026-11-01', '2026-11-10') // { ok: true, range: { from: '2026-11-01', to: '2026-11-10', preset: 'custom' } }
 */
export function customRange(from: string, to: string): { ok: true; range: DateRange } | { ok: false; message: string } {
  if (!DAY_RE.test(from) || Number.isNaN(Date.parse(from))) return { ok: false, message: 'Pick a start date' };
  if (!DAY_RE.test(to) || Number.isNaN(Date.parse(to))) return { ok: false, message: 'Pick an end date' };
  if (from > to) return { ok: false, message: 'The start date must be on or before the end date' };
  if (spanDays({ from, to }) > MAX_CUSTOM_DAYS) return { ok: false, message: `Pick at most ${MAX_CUSTOM_DAYS} days` };
  return { ok: true, range: { from, to, preset: 'custom' } };
}

/** A label for the range picker and page headings. @example rangeLabel({ preset: 28, … }) // 'Last 28 days' */
export function rangeLabel(r: DateRange): string {
  return r.preset === 'custom' ? `${r.from} – ${r.to}` : `Last ${r.preset} days`;
}

/** Timeseries granularity that keeps a chart readable: days up to a quarter, weeks beyond. */
export function granularityFor(r: { from: string; to: string }): 'day' | 'week' {
  return spanDays(r) > 120 ? 'week' : 'day';
}
