import { DAY_MS } from '../../contract/events.ts';

/** Epoch day (UTC) of a timestamp in ms. */
export function epochDay(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

/** `YYYY-MM-DD` of an epoch day. */
export function dayToIso(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Epoch day of a `YYYY-MM-DD` date (UTC). */
export function isoToDay(iso: string): number {
  return epochDay(Date.parse(`${iso}T00:00:00Z`));
}

/** An inclusive range of epoch days. */
export interface DayRange {
  from: number;
  to: number;
}

/** Days in an inclusive range. */
export function rangeLength(r: DayRange): number {
  return r.to - r.from + 1;
}

/** The period of equal length just before `r`, for period-over-period change. */
export function previousRange(r: DayRange): DayRange {
  const len = rangeLength(r);
  return { from: r.from - len, to: r.from - 1 };
}

/** First day (Monday) of the ISO week containing `day`; 1970-01-01 was a Thursday. */
export function weekStart(day: number): number {
  return day - ((day + 3) % 7);
}

/** Bucket start for a granularity. */
export function bucketOf(day: number, granularity: 'day' | 'week'): number {
  return granularity === 'week' ? weekStart(day) : day;
}

/** Every bucket start from `r.from` to `r.to`, so series have no gaps. */
export function bucketsOf(r: DayRange, granularity: 'day' | 'week'): number[] {
  const out: number[] = [];
  const step = granularity === 'week' ? 7 : 1;
  for (let b = bucketOf(r.from, granularity); b <= r.to; b += step) out.push(b);
  return out;
}
