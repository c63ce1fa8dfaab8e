/**
 * Shapes the insights answers (reach drivers, alerts, benchmark, timelines, audience depth) into
 * what charts and lists draw. Pure functions: no chart.js, no DOM, so they are unit-tested in Node.
 */
import { ALERT_METRICS } from '../../../worker/analytics/definitions.ts';
import { formatCount, formatDay, formatPercent } from './format.ts';
import { OKABE_ITO } from './palette.ts';

export interface ContributionParts {
  total: number;
  impressions: number;
  conversion: number;
  unattributed: number;
}

export interface BarDataset {
  label: string;
  data: (number | null)[];
  colour: string;
}

/**
 * Stacked bars of what accounts for each row's change in algorithmic streams: impressions,
 * conversion and (only when some row has any) streams with no impression.
 * @example contributionBars([{ label: 'Home', contribution: { total: 10, impressions: 12, conversion: -2, unattributed: 0 } }])
 *   // { labels: ['Home'], datasets: [{ label: 'Impressions', data: [12] }, { label: 'Conversion', data: [-2] }] }
 */
export function contributionBars(rows: readonly { label: string; contribution: ContributionParts }[]): {
  labels: string[];
  datasets: BarDataset[];
} {
  const round = (v: number) => Math.round(v * 100) / 100;
  const datasets: BarDataset[] = [
    { label: 'From impressions', data: rows.map((r) => round(r.contribution.impressions)), colour: OKABE_ITO.blue },
    { label: 'From conversion', data: rows.map((r) => round(r.contribution.conversion)), colour: OKABE_ITO.orange },
  ];
  if (rows.some((r) => Math.abs(r.contribution.unattributed) >= 0.005)) {
    datasets.push({ label: 'Unattributed', data: rows.map((r) => round(r.contribution.unattributed)), colour: OKABE_ITO.skyBlue });
  }
  return { labels: rows.map((r) => r.label), datasets };
}

/** @example signedCount(12.4) // '+12'; signedCount(-3) // '−3' */
export function signedCount(v: number): string {
  const r = Math.round(v);
  if (r > 0) return `+${formatCount(r)}`;
  if (r < 0) return `−${formatCount(-r)}`;
  return '0';
}

/** @example alertMetricLabel('skip_rate') // 'Skip rate' */
export function alertMetricLabel(metric: string): string {
  return metric in ALERT_METRICS ? ALERT_METRICS[metric as keyof typeof ALERT_METRICS].label : metric;
}

/** An alert's value in its metric's unit. @example formatAlertValue('skip_rate', 0.41) // '41 %' */
export function formatAlertValue(metric: string, v: number): string {
  return metric === 'skip_rate' ? formatPercent(v) : formatCount(Math.round(v * 10) / 10);
}

export interface BenchmarkPoint {
  streams: number | null;
  typical: number | null;
}

/**
 * The benchmark's cumulative curves as chart points: the track against the typical release.
 * @example benchmarkSeries([{ hour: 1, streams: 3, typical: 2 }], (p) => `${p.hour} h`)
 *   // { labels: ['1 h'], track: [3], typical: [2] }
 */
export function benchmarkSeries<P extends BenchmarkPoint>(
  points: readonly P[],
  label: (p: P) => string,
): { labels: string[]; track: (number | null)[]; typical: (number | null)[] } {
  return { labels: points.map(label), track: points.map((p) => p.streams), typical: points.map((p) => p.typical) };
}

/** How a ratio to typical reads. @example versusTypical(1.5) // '1.5× your typical release' */
export function versusTypical(ratio: number | null): string {
  if (ratio === null) return 'no earlier release to compare with yet';
  const r = ratio >= 10 ? Math.round(ratio) : Math.round(ratio * 10) / 10;
  return `${r}× your typical release`;
}

export interface TimelinePoint {
  date: string;
  streams: number;
  skips: number;
  saves: number;
}

/**
 * Two tracks' timelines on one set of days (the union of their dates; a day one track lacks is a gap).
 * @example compareTimelines({ title: 'A', points: [{ date: '2026-11-01', streams: 3, … }] }, { title: 'B', points: [] }, 'streams')
 *   // { labels: ['Nov 1'], series: [{ label: 'A', data: [3] }, { label: 'B', data: [null] }] }
 */
export function compareTimelines(
  a: { title: string; points: readonly TimelinePoint[] },
  b: { title: string; points: readonly TimelinePoint[] },
  metric: 'streams' | 'skips' | 'saves',
): { labels: string[]; series: { label: string; data: (number | null)[] }[] } {
  const days = [...new Set([...a.points, ...b.points].map((p) => p.date))].sort();
  const at = (pts: readonly TimelinePoint[]) => {
    const m = new Map(pts.map((p) => [p.date, p[metric]]));
    return days.map((d) => m.get(d) ?? null);
  };
  const sameTitle = a.title === b.title;
  return {
    labels: days.map((d) => formatDay(d)),
    series: [
      { label: sameTitle ? `${a.title} (1)` : a.title, data: at(a.points) },
      { label: sameTitle ? `${b.title} (2)` : b.title, data: at(b.points) },
    ],
  };
}

/** Human names of audience segments and funnel steps. */
export const SEGMENT_NAMES = {
  super: 'segment_super',
  moderate: 'segment_moderate',
  light: 'segment_light',
  previously_active: 'segment_previously_active',
  programmed: 'segment_programmed',
} as const;

export const FUNNEL_LABELS = { listeners: 'Listeners', savers: 'Saved a song', repeat_listeners: 'Came back on another day' } as const;

const REGIONS = typeof Intl !== 'undefined' && 'DisplayNames' in Intl ? new Intl.DisplayNames(['en'], { type: 'region' }) : null;

/** A country code as its English name. @example countryName('SE') // 'Sweden'; countryName('unknown') // 'Unknown' */
export function countryName(code: string): string {
  if (code === 'unknown') return 'Unknown';
  try {
    return REGIONS?.of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}
