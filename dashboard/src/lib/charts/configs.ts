/**
 * chart.js data and options for the dashboard's chart kinds, from shaped series (../series.ts).
 * Tooltips and axes format numbers the way the cards do.
 */
import type { ChartData, ChartOptions } from 'chart.js';
import { formatCount, formatPercent } from '../format.ts';
import type { LineChartData } from '../series.ts';

export type ValueFormat = 'count' | 'percent';

const fmt = (f: ValueFormat) => (v: number | null | undefined) => (f === 'percent' ? formatPercent(v) : formatCount(v));

/** A line chart of one or more series sharing one value format. */
export function lineConfig(d: LineChartData, format: ValueFormat): { data: ChartData<'line'>; options: ChartOptions<'line'> } {
  const f = fmt(format);
  return {
    data: {
      labels: d.labels,
      datasets: d.series.map((s) => ({
        label: s.label,
        data: s.data,
        borderColor: s.colour,
        backgroundColor: s.colour,
        pointRadius: d.labels.length > 60 ? 0 : 2,
        borderWidth: 2,
        spanGaps: false,
        // Monotone curves never overshoot, so a smoothed line cannot suggest a value that was not there.
        cubicInterpolationMode: 'monotone',
      })),
    },
    options: {
      interaction: { mode: 'index', intersect: false },
      scales: {
        // Flat labels, thinned to what fits with room between them (fewer on a phone), so dates never collide.
        x: { ticks: { maxRotation: 0, autoSkip: true, autoSkipPadding: 12, maxTicksLimit: 8 }, grid: { display: false } },
        // Counts never get fractional ticks (a '2' printed for 1.8 reads as a wrong number).
        y: { beginAtZero: true, ticks: { callback: (v) => f(Number(v)), ...(format === 'count' ? { precision: 0 } : {}) } },
      },
      plugins: { tooltip: { callbacks: { label: (ctx) => `${ctx.dataset.label}: ${f(ctx.parsed.y)}` } } },
    },
  };
}

/** Bars for labelled values (optionally horizontal), one or more datasets. */
export function barConfig(
  labels: string[],
  /** One colour per dataset, or one per bar. */
  datasets: { label: string; data: (number | null)[]; colour: string | string[] }[],
  format: ValueFormat,
  opts: { horizontal?: boolean; stacked?: boolean } = {},
): { data: ChartData<'bar'>; options: ChartOptions<'bar'> } {
  const f = fmt(format);
  const valueAxis = opts.horizontal ? 'x' : 'y';
  const categoryAxis = opts.horizontal ? 'y' : 'x';
  return {
    data: {
      labels,
      datasets: datasets.map((d) => ({ label: d.label, data: d.data, backgroundColor: d.colour, borderColor: d.colour, borderWidth: 0 })),
    },
    options: {
      indexAxis: opts.horizontal ? 'y' : 'x',
      scales: {
        [valueAxis]: {
          beginAtZero: true,
          stacked: opts.stacked ?? false,
          ticks: { callback: (v: string | number) => f(Number(v)), ...(format === 'count' ? { precision: 0 } : {}) },
        },
        // Horizontal bars list every label (one per row); vertical bars thin them out when they would collide.
        [categoryAxis]: {
          stacked: opts.stacked ?? false,
          grid: { display: false },
          ticks: opts.horizontal ? { autoSkip: false } : { autoSkip: true, autoSkipPadding: 8, maxRotation: 0 },
        },
      },
      plugins: {
        legend: { display: datasets.length > 1 },
        tooltip: { callbacks: { label: (ctx) => `${ctx.dataset.label}: ${f(opts.horizontal ? ctx.parsed.x : ctx.parsed.y)}` } },
      },
    },
  };
}
