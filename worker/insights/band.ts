/**
 * An artist's own normal: the median ± 3 scaled MADs of the 28 days before a day, and whether that
 * day falls outside it by more than the metric's minimum change. Pure. Definition: INSIGHTS.alert.
 */
import { ALERT_BAND, ALERT_METRICS, type AlertMetric } from '../analytics/definitions.ts';

/** Median of a non-empty list (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Median absolute deviation from the median (unscaled). @example mad([1, 2, 3, 4, 100]) // 1 */
export function mad(values: readonly number[]): number {
  const m = median(values);
  return median(values.map((v) => Math.abs(v - m)));
}

export interface Band {
  median: number;
  mad: number;
  low: number;
  high: number;
}

/** median ± width × 1.4826 × MAD of the baseline (1.4826 makes a MAD comparable to a standard deviation). */
export function bandOf(baseline: readonly number[]): Band {
  const m = median(baseline);
  const d = mad(baseline);
  const half = ALERT_BAND.width * ALERT_BAND.madScale * d;
  return { median: m, mad: d, low: m - half, high: m + half };
}

export interface Outlier extends Band {
  direction: 'up' | 'down';
  value: number;
}

/**
 * The day's value against its baseline (null entries: days where the metric is undefined, such as
 * a skip rate on a day with too few plays). Null when the day is within the band, within the
 * metric's minimum change of the median, undefined itself, or when fewer than `minActiveDays` of the
 * baseline are defined.
 *
 * @example outlierOf('streams', 400, Array(28).fill(100)) // { direction: 'up', median: 100, … }
 */
export function outlierOf(metric: AlertMetric, value: number | null, baseline: readonly (number | null)[]): Outlier | null {
  if (value === null) return null;
  const known = baseline.filter((v): v is number => v !== null);
  if (known.length < ALERT_BAND.minActiveDays) return null;
  const band = bandOf(known);
  const min = ALERT_METRICS[metric].minChange;
  if (value > band.high && value - band.median >= min) return { ...band, direction: 'up', value };
  if (value < band.low && band.median - value >= min) return { ...band, direction: 'down', value };
  return null;
}

/** One artist's day of the metrics alerts watch; null where a metric is undefined that day. */
export type DayValues = Record<AlertMetric, number | null>;

/** Daily counters as the job reads them. */
export interface DayCounters {
  streams: number;
  playsStarted: number;
  skips: number;
  netSaves: number;
  reach: number;
}

/** The watched values of one day; the skip rate only with enough plays started to mean something. */
export function dayValues(c: DayCounters): DayValues {
  return {
    streams: c.streams,
    skip_rate: c.playsStarted >= ALERT_METRICS.skip_rate.minPlaysStarted ? c.skips / c.playsStarted : null,
    saves: c.netSaves,
    algorithmic_reach: c.reach,
  };
}

export const ZERO_DAY: DayCounters = Object.freeze({ streams: 0, playsStarted: 0, skips: 0, netSaves: 0, reach: 0 });

/**
 * Every outlier of `day` for one artist, from its daily counters (missing days are zeros). An artist
 * with fewer than `minActiveDays` days with streams in the baseline gets none: too new to have a normal.
 */
export function detectDay(byDay: ReadonlyMap<number, DayCounters>, day: number): { metric: AlertMetric; outlier: Outlier }[] {
  const baselineDays = Array.from({ length: ALERT_BAND.baselineDays }, (_, i) => day - ALERT_BAND.baselineDays + i);
  const baseline = baselineDays.map((d) => byDay.get(d) ?? ZERO_DAY);
  if (baseline.filter((c) => c.streams > 0).length < ALERT_BAND.minActiveDays) return [];
  const values = baseline.map(dayValues);
  const today = dayValues(byDay.get(day) ?? ZERO_DAY);
  const out: { metric: AlertMetric; outlier: Outlier }[] = [];
  for (const metric of Object.keys(ALERT_METRICS) as AlertMetric[]) {
    const outlier = outlierOf(
      metric,
      today[metric],
      values.map((v) => v[metric]),
    );
    if (outlier) out.push({ metric, outlier });
  }
  return out;
}
