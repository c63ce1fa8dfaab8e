import { validationError } from '../errors.ts';
import { type DayRange, epochDay, isoToDay } from './period.ts';

/** Longest period one request may cover: two years and a day keeps 365-day comparisons possible. */
export const MAX_RANGE_DAYS = 731;
export const DEFAULT_RANGE_DAYS = 28;

/**
 * The inclusive day range of `from`/`to` query parameters (defaults: the last 28 days up to today, UTC).
 * Throws the standard 400 with the offending field path.
 *
 * @example resolveRange({ from: '2026-11-01', to: '2026-11-07' }, Date.now()) // 7 days
 */
export function resolveRange(q: { from?: string | undefined; to?: string | undefined }, now: number): DayRange {
  const to = q.to ? isoToDay(q.to) : epochDay(now);
  const from = q.from ? isoToDay(q.from) : to - (DEFAULT_RANGE_DAYS - 1);
  if (from > to) throw validationError([{ path: 'query.from', code: 'invalid_range', message: 'from must not be after to' }]);
  if (to - from + 1 > MAX_RANGE_DAYS) {
    throw validationError([{ path: 'query.from', code: 'too_big', message: `a period covers at most ${MAX_RANGE_DAYS} days` }]);
  }
  return { from, to };
}
