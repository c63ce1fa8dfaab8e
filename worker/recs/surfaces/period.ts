/**
 * The periods generated playlists live for, in the listener's own time zone: a Daily Mix and a
 * Release Radar for the local day, a Discover Weekly for the ISO week (a new one every Monday at
 * local midnight). The period's key names the stored list, so it is computed once per period.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
const UTC = 'UTC';

function dateFormatter(timeZone: string | null): Intl.DateTimeFormat {
  const zone = timeZone ?? UTC;
  let f = formatters.get(zone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
    } catch {
      // An unknown zone from a client: UTC, as the listening clock does (worker/analytics/clock.ts).
      f = dateFormatter(null);
    }
    formatters.set(zone, f);
  }
  return f;
}

/** The local calendar date of `ms` in `timeZone` (UTC when null or unknown). */
function localDate(ms: number, timeZone: string | null): { year: number; month: number; day: number } {
  const parts = dateFormatter(timeZone).formatToParts(ms);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { year: get('year'), month: get('month'), day: get('day') };
}

/**
 * The local day, `YYYY-MM-DD`.
 *
 * @example dayKey(Date.UTC(2026, 11, 6, 23, 30), 'Europe/Berlin') // '2026-12-07'
 */
export function dayKey(ms: number, timeZone: string | null): string {
  const { year, month, day } = localDate(ms, timeZone);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * The ISO 8601 week of the local date, `YYYY-Www`: weeks start on Monday and week 1 holds the
 * year's first Thursday, so 2026-12-31 (a Thursday) is 2026-W53 and 2027-01-04 is 2027-W01.
 *
 * @example weekKey(Date.UTC(2026, 11, 6, 23, 30), 'Europe/Berlin') // '2026-W50' (already Monday there)
 */
export function weekKey(ms: number, timeZone: string | null): string {
  const { year, month, day } = localDate(ms, timeZone);
  const date = new Date(Date.UTC(year, month - 1, day));
  const weekday = (date.getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  // The Thursday of this week decides the ISO year.
  date.setUTCDate(date.getUTCDate() - weekday + 3);
  const isoYear = date.getUTCFullYear();
  const firstThursday = new Date(Date.UTC(isoYear, 0, 4));
  firstThursday.setUTCDate(firstThursday.getUTCDate() - ((firstThursday.getUTCDay() + 6) % 7) + 3);
  const week = 1 + Math.round((date.getTime() - firstThursday.getTime()) / (7 * 86_400_000));
  return `${isoYear}-W${String(week).padStart(2, '0')}`;
}
