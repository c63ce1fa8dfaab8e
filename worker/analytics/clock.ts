/**
 * Local weekday and hour of an instant in an IANA time zone. Formatters are cached per zone because
 * building an Intl.DateTimeFormat costs far more than using one.
 */
const formatters = new Map<string, Intl.DateTimeFormat | null>();
const WEEKDAYS: Record<string, number> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };

function formatterFor(timeZone: string): Intl.DateTimeFormat | null {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: 'numeric', hourCycle: 'h23' });
    } catch {
      // An unknown zone string from a client: fall back to UTC rather than fail the rollup.
      f = null;
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * Weekday (0 = Monday … 6 = Sunday) and hour (0…23) of `ms` in `timeZone` (UTC when null or unknown).
 *
 * @example localClock(Date.UTC(2026, 10, 23, 22, 30), 'Europe/Berlin') // { weekday: 0, hour: 23 }
 */
export function localClock(ms: number, timeZone: string | null): { weekday: number; hour: number } {
  const f = timeZone ? formatterFor(timeZone) : null;
  if (!f) {
    const d = new Date(ms);
    return { weekday: (d.getUTCDay() + 6) % 7, hour: d.getUTCHours() };
  }
  let weekday = 0;
  let hour = 0;
  for (const part of f.formatToParts(ms)) {
    if (part.type === 'weekday') weekday = WEEKDAYS[part.value] ?? 0;
    else if (part.type === 'hour') hour = Number(part.value) % 24;
  }
  return { weekday, hour };
}
