/**
 * Numbers as people read them: compact counts, percentages with a space before the sign, signed
 * period-over-period changes. Missing values render as an en dash, never as 0 or NaN.
 */

const DASH = '–';

const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });

/**
 * A count in compact form with a lower-case thousands suffix.
 * @example formatCount(1234) // '1.2k'; formatCount(950) // '950'; formatCount(2_500_000) // '2.5M'
 */
export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return DASH;
  if (Math.abs(n) < 1000) return whole.format(n);
  return compact.format(n).replace('K', 'k');
}

/**
 * A ratio (0..1) as a percentage; one decimal below 10 % where whole numbers would hide the change.
 * @example formatPercent(0.3412) // '34 %'; formatPercent(0.034) // '3.4 %'
 */
export function formatPercent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return DASH;
  const pct = ratio * 100;
  const digits = pct !== 0 && Math.abs(pct) < 10 ? 1 : 0;
  return `${pct.toFixed(digits).replace(/\.0$/, '')} %`;
}

/**
 * A rate per 1 000 streams with at most one decimal.
 * @example formatPerMille(12.345) // '12.3'
 */
export function formatPerMille(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return value.toFixed(1).replace(/\.0$/, '');
}

export type ChangeDirection = 'up' | 'down' | 'flat' | 'new' | 'none';

export interface Change {
  text: string;
  direction: ChangeDirection;
  /** Accessible wording, e.g. 'up 12 % on the previous period'. */
  label: string;
}

/**
 * The relative change from the previous period to this one.
 * @example periodChange(112, 100) // { text: '+12 %', direction: 'up', … }
 */
export function periodChange(current: number | null | undefined, previous: number | null | undefined): Change {
  if (current === null || current === undefined || previous === null || previous === undefined) {
    return { text: DASH, direction: 'none', label: 'no previous period to compare' };
  }
  if (previous === 0) {
    return current === 0
      ? { text: '0 %', direction: 'flat', label: 'unchanged on the previous period' }
      : { text: 'new', direction: 'new', label: 'none in the previous period' };
  }
  const rel = (current - previous) / Math.abs(previous);
  const rounded = Math.round(rel * 100);
  if (rounded === 0) return { text: '0 %', direction: 'flat', label: 'unchanged on the previous period' };
  const text = `${rounded > 0 ? '+' : '−'}${Math.abs(rounded)} %`;
  return {
    text,
    direction: rounded > 0 ? 'up' : 'down',
    label: `${rounded > 0 ? 'up' : 'down'} ${Math.abs(rounded)} % on the previous period`,
  };
}

/**
 * A change in percentage points between two ratios (for rates, where a relative change misleads).
 * @example pointChange(0.36, 0.34) // { text: '+2 pt', direction: 'up', … }
 */
export function pointChange(current: number | null | undefined, previous: number | null | undefined): Change {
  if (current === null || current === undefined || previous === null || previous === undefined) {
    return { text: DASH, direction: 'none', label: 'no previous period to compare' };
  }
  const pts = Math.round((current - previous) * 1000) / 10;
  if (pts === 0) return { text: '0 pt', direction: 'flat', label: 'unchanged on the previous period' };
  const abs = Math.abs(pts)
    .toFixed(Math.abs(pts) < 10 ? 1 : 0)
    .replace(/\.0$/, '');
  return {
    text: `${pts > 0 ? '+' : '−'}${abs} pt`,
    direction: pts > 0 ? 'up' : 'down',
    label: `${pts > 0 ? 'up' : 'down'} ${abs} percentage points on the previous period`,
  };
}

/**
 * A day (YYYY-MM-DD) as a short label.
 * @example formatDay('2026-11-03') // 'Nov 3'; formatDay('2026-11-03', true) // 'Nov 3, 2026'
 */
export function formatDay(day: string, withYear = false): string {
  const d = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return day;
  return d.toLocaleDateString('en', { month: 'short', day: 'numeric', ...(withYear ? { year: 'numeric' } : {}), timeZone: 'UTC' });
}

/**
 * Milliseconds as minutes and seconds.
 * @example formatDuration(200_000) // '3:20'
 */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return DASH;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * How fresh a response is (its `as_of`), in UTC: the time alone when that is today (UTC), the day
 * and minute otherwise. Unreadable input renders as an en dash.
 * @example formatAsOf('2026-11-24T14:32:05.000Z', Date.parse('2026-11-24T15:00:00Z')) // 'as of 14:32:05 UTC'
 * @example formatAsOf('2026-11-24T14:32:05.000Z', Date.parse('2026-11-25T09:00:00Z')) // 'as of 24 Nov 14:32 UTC'
 */
export function formatAsOf(iso: string, now: number = Date.now()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return `as of ${DASH}`;
  const time = `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
  const today = new Date(now);
  const sameDay =
    d.getUTCFullYear() === today.getUTCFullYear() && d.getUTCMonth() === today.getUTCMonth() && d.getUTCDate() === today.getUTCDate();
  if (sameDay) return `as of ${time}:${pad2(d.getUTCSeconds())} UTC`;
  return `as of ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${time} UTC`;
}

/**
 * The full instant of an `as_of` and what it means, for a tooltip.
 * @example asOfTitle('2026-11-24T14:32:05.000Z') // '24 Nov 2026, 14:32:05 UTC. Every event received before this time is counted.'
 */
export function asOfTitle(iso: string): string {
  const d = new Date(iso);
  const when = Number.isNaN(d.getTime())
    ? iso
    : `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} UTC`;
  return `${when}. Every event received before this time is counted.`;
}

/**
 * The least fresh of several `as_of` values (a view is only as fresh as its oldest answer);
 * missing and unreadable ones are ignored.
 * @example oldestAsOf(['2026-11-24T14:32:05Z', undefined, '2026-11-24T14:31:59Z']) // '2026-11-24T14:31:59Z'
 */
export function oldestAsOf(values: readonly (string | null | undefined)[]): string | undefined {
  let oldest: { iso: string; t: number } | undefined;
  for (const iso of values) {
    if (!iso) continue;
    const t = Date.parse(iso);
    if (Number.isNaN(t)) continue;
    if (!oldest || t < oldest.t) oldest = { iso, t };
  }
  return oldest?.iso;
}

/** A mean or a difference with 3 decimals below 1, else 2; '–' for none. @example formatDecimal(0.1234) // '0.123' */
export function formatDecimal(v: number | null | undefined): string {
  return v === null || v === undefined ? '–' : v.toFixed(Math.abs(v) < 1 ? 3 : 2);
}
