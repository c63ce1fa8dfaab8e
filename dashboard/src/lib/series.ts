/**
 * Shapes API answers into what charts and tables draw. Pure functions: no chart.js, no DOM, so
 * they are unit-tested in Node (test/dashboard).
 */
import { formatDay } from './format.ts';
import { seriesColour } from './palette.ts';

export interface LineSeries {
  label: string;
  data: (number | null)[];
  colour: string;
  /** Which y axis: counts on the left, ratios on the right. */
  axis?: 'y' | 'y1';
}

export interface LineChartData {
  labels: string[];
  series: LineSeries[];
}

/**
 * One line per requested field over the buckets of a timeseries; missing values stay null so the
 * chart shows a gap instead of a false zero.
 * @example lineChart([{ period: '2026-11-01', streams: 3 }], 'period', [{ key: 'streams', label: 'Streams' }])
 *   // { labels: ['Nov 1'], series: [{ label: 'Streams', data: [3], colour: '#0072B2' }] }
 */
export function lineChart<T extends Record<string, unknown>>(
  points: readonly T[],
  xKey: keyof T,
  fields: readonly { key: keyof T; label: string; axis?: 'y' | 'y1' }[],
): LineChartData {
  return {
    labels: points.map((p) => formatDay(String(p[xKey]))),
    series: fields.map((f, i) => ({
      label: f.label,
      colour: seriesColour(i),
      data: points.map((p) => (typeof p[f.key] === 'number' && Number.isFinite(p[f.key]) ? (p[f.key] as number) : null)),
      ...(f.axis ? { axis: f.axis } : {}),
    })),
  };
}

export interface Share {
  key: string;
  label: string;
  value: number;
  share: number;
}

/**
 * Parts of a whole, largest first, each with its share (0 when the total is 0).
 * @example shares([{ key: 'search', value: 1 }, { key: 'radio', value: 3 }])
 *   // [{ key: 'radio', label: 'Radio', value: 3, share: 0.75 }, { key: 'search', label: 'Search', value: 1, share: 0.25 }]
 */
export function shares(items: readonly { key: string; value: number }[]): Share[] {
  const total = items.reduce((s, i) => s + Math.max(0, i.value), 0);
  return [...items]
    .sort((a, b) => b.value - a.value || a.key.localeCompare(b.key))
    .map((i) => ({ key: i.key, label: humanize(i.key), value: i.value, share: total > 0 ? Math.max(0, i.value) / total : 0 }));
}

/** @example humanize('user_playlist') // 'User playlist' */
export function humanize(key: string): string {
  const s = key.replaceAll('_', ' ').trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export interface FunnelStep {
  label: string;
  value: number;
  /** Share of the previous step that made it here (null for the first step or after an empty step). */
  fromPrevious: number | null;
  /** Share of the first step. */
  fromFirst: number | null;
}

/**
 * Steps of a funnel with the conversion between consecutive steps.
 * @example funnel([{ label: 'Impressions', value: 200 }, { label: 'Streams', value: 50 }])[1].fromPrevious // 0.25
 */
export function funnel(steps: readonly { label: string; value: number }[]): FunnelStep[] {
  const first = steps[0]?.value ?? 0;
  return steps.map((s, i) => {
    const prev = i > 0 ? steps[i - 1]!.value : null;
    return {
      label: s.label,
      value: s.value,
      fromPrevious: prev !== null && prev > 0 ? s.value / prev : null,
      fromFirst: first > 0 ? s.value / first : null,
    };
  });
}

export const WEEKDAY_LABELS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

export interface ClockGrid {
  /** rows[weekday][hour], weekday 0 = Monday as the API counts. */
  rows: number[][];
  max: number;
  total: number;
}

/**
 * A 7 × 24 grid from sparse (weekday, hour, value) cells; cells outside the grid are ignored.
 * @example clockGrid([{ weekday: 0, hour: 9, value: 4 }]).rows[0][9] // 4
 */
export function clockGrid(cells: readonly { weekday: number; hour: number; value: number }[]): ClockGrid {
  const rows = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
  let max = 0;
  let total = 0;
  for (const c of cells) {
    const row = rows[c.weekday];
    if (!row || c.hour < 0 || c.hour > 23 || !Number.isInteger(c.hour)) continue;
    row[c.hour] = (row[c.hour] ?? 0) + c.value;
    max = Math.max(max, row[c.hour]!);
    total += c.value;
  }
  return { rows, max, total };
}

/**
 * Labels for a histogram in tenths of the track.
 * @example decileLabels(3) // ['0–10 %', '10–20 %', '20–30 %']
 */
export function decileLabels(bins = 10): string[] {
  return Array.from({ length: bins }, (_, i) => `${Math.round((i * 100) / bins)}–${Math.round(((i + 1) * 100) / bins)} %`);
}

/**
 * Normalises a histogram to shares of its total (all zeros stay zeros).
 * @example histogramShares([1, 3]) // [0.25, 0.75]
 */
export function histogramShares(counts: readonly number[]): number[] {
  const total = counts.reduce((s, c) => s + c, 0);
  return counts.map((c) => (total > 0 ? c / total : 0));
}

export interface Interval {
  estimate: number;
  low: number;
  high: number;
}

/**
 * Whether an interval excludes zero, i.e. the measured lift is distinguishable from no effect.
 * @example liftVerdict({ estimate: 0.02, low: 0.005, high: 0.035 }) // 'positive'
 */
export function liftVerdict(i: Interval | null | undefined): 'positive' | 'negative' | 'inconclusive' {
  if (!i) return 'inconclusive';
  if (i.low > 0) return 'positive';
  if (i.high < 0) return 'negative';
  return 'inconclusive';
}
