/**
 * chart.js data and options for the Press & buzz panel: mentions a day with spike days marked,
 * mean sentiment a day on a fixed −1..1 axis, and the top terms by weight.
 */
import type { ChartData, ChartOptions } from 'chart.js';
import { formatSentiment, formatVelocity, SPIKE_VELOCITY, sentimentWord } from '../buzz.ts';
import { formatCount, formatDay } from '../format.ts';
import { OKABE_ITO } from '../palette.ts';

interface Day {
  date: string;
  mentions: number;
  velocity: number;
  sentiment: number | null;
}

const X_TICKS = { maxRotation: 0, autoSkip: true, autoSkipPadding: 12, maxTicksLimit: 8 } as const;

/** Bars of mentions a day; spike days (velocity ≥ SPIKE_VELOCITY) in their own colour and legend entry. */
export function mentionsConfig(days: readonly Day[]): { data: ChartData<'bar'>; options: ChartOptions<'bar'> } {
  const spike = (d: Day) => d.velocity >= SPIKE_VELOCITY && d.mentions > 0;
  return {
    data: {
      labels: days.map((d) => formatDay(d.date)),
      datasets: [
        { label: 'Mentions', data: days.map((d) => (spike(d) ? null : d.mentions)), backgroundColor: OKABE_ITO.blue },
        {
          label: `Spike (velocity ≥ ${SPIKE_VELOCITY})`,
          data: days.map((d) => (spike(d) ? d.mentions : null)),
          backgroundColor: OKABE_ITO.vermillion,
        },
      ],
    },
    options: {
      scales: {
        x: { stacked: true, grid: { display: false }, ticks: X_TICKS },
        y: { stacked: true, beginAtZero: true, ticks: { precision: 0, callback: (v) => formatCount(Number(v)) } },
      },
      plugins: {
        tooltip: {
          callbacks: {
            label: (ctx) => `${ctx.dataset.label}: ${formatCount(ctx.parsed.y)}`,
            afterLabel: (ctx) => `velocity ${formatVelocity(days[ctx.dataIndex]?.velocity ?? 0)}`,
          },
        },
      },
    },
  };
}

/** Mean sentiment a day as points joined where days follow each other; days without mentions are gaps. */
export function sentimentConfig(days: readonly Day[]): { data: ChartData<'line'>; options: ChartOptions<'line'> } {
  return {
    data: {
      labels: days.map((d) => formatDay(d.date)),
      datasets: [
        {
          label: 'Mean sentiment',
          data: days.map((d) => (d.mentions > 0 ? d.sentiment : null)),
          borderColor: OKABE_ITO.bluishGreen,
          backgroundColor: OKABE_ITO.bluishGreen,
          // Press is sparse: a day alone between gaps must still show as a point.
          pointRadius: 3,
          borderWidth: 2,
          spanGaps: false,
        },
      ],
    },
    options: {
      interaction: { mode: 'index', intersect: false },
      scales: {
        x: { grid: { display: false }, ticks: X_TICKS },
        y: { min: -1, max: 1, ticks: { stepSize: 0.5, callback: (v) => formatSentiment(Number(v)) } },
      },
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            label: (ctx) => `Mean sentiment: ${formatSentiment(ctx.parsed.y)} (${sentimentWord(ctx.parsed.y)})`,
            afterLabel: (ctx) => `${formatCount(days[ctx.dataIndex]?.mentions ?? 0)} mentions`,
          },
        },
      },
    },
  };
}

/** Horizontal bars of the top terms by weight (the sum over texts of the term's share of each text's terms). */
export function termsConfig(terms: readonly { term: string; weight: number; texts: number }[]): {
  data: ChartData<'bar'>;
  options: ChartOptions<'bar'>;
} {
  return {
    data: {
      labels: terms.map((t) => t.term),
      datasets: [{ label: 'Weight', data: terms.map((t) => t.weight), backgroundColor: OKABE_ITO.reddishPurple }],
    },
    options: {
      indexAxis: 'y',
      scales: {
        x: { beginAtZero: true, ticks: { callback: (v) => Number(v).toFixed(1) } },
        y: { grid: { display: false }, ticks: { autoSkip: false } },
      },
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            label: (ctx) => {
              const t = terms[ctx.dataIndex];
              return t ? `weight ${t.weight.toFixed(2)} · in ${formatCount(t.texts)} ${t.texts === 1 ? 'text' : 'texts'}` : '';
            },
          },
        },
      },
    },
  };
}
