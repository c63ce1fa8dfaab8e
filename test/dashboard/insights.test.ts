import { describe, expect, it } from 'vitest';
import { breakdownHint, metricHint, metricsHint } from '../../dashboard/src/lib/hints.ts';
import { compareTimelines, contributionBars, countryName, signedCount, versusTypical } from '../../dashboard/src/lib/insights.ts';
import { BREAKDOWNS, METRICS, type MetricName } from '../../worker/analytics/definitions.ts';

const point = (date: string, streams: number) => ({ date, streams, skips: 0, saves: 0 });

describe('Insights shaping', () => {
  it('Should stack impressions and conversion per row, adding the unattributed part only when some row has one', () => {
    const rows = [
      { label: 'Home', contribution: { total: 10, impressions: 12.004, conversion: -2.004, unattributed: 0 } },
      { label: 'Radio', contribution: { total: -3, impressions: -1, conversion: -2, unattributed: 0 } },
    ];
    const plain = contributionBars(rows);
    expect(plain.labels).toEqual(['Home', 'Radio']);
    expect(plain.datasets.map((d) => [d.label, d.data])).toEqual([
      ['From impressions', [12, -1]],
      ['From conversion', [-2, -2]],
    ]);
    const withRest = contributionBars([
      ...rows,
      { label: 'Search', contribution: { total: 4, impressions: 0, conversion: 0, unattributed: 4 } },
    ]);
    expect(withRest.datasets.map((d) => d.label)).toEqual(['From impressions', 'From conversion', 'Unattributed']);
    expect(withRest.datasets[2]?.data).toEqual([0, 0, 4]);
  });

  it('Should put two timelines on the union of their days, a missing day a gap, and tell same-titled tracks apart', () => {
    const c = compareTimelines(
      { title: 'Night Drive', points: [point('2026-11-02', 3), point('2026-11-01', 1)] },
      { title: 'Night Drive', points: [point('2026-11-02', 5), point('2026-11-03', 2)] },
      'streams',
    );
    expect(c.labels).toHaveLength(3);
    expect(c.series).toEqual([
      { label: 'Night Drive (1)', data: [1, 3, null] },
      { label: 'Night Drive (2)', data: [null, 5, 2] },
    ]);
  });

  it('Should write signed counts, ratios to typical and country names for people', () => {
    expect([signedCount(12.4), signedCount(-3), signedCount(0.2)]).toEqual(['+12', '−3', '0']);
    expect([versusTypical(1.53), versusTypical(23.4), versusTypical(null)]).toEqual([
      '1.5× your typical release',
      '23× your typical release',
      'no earlier release to compare with yet',
    ]);
    expect([countryName('se'), countryName('unknown')]).toEqual(['Sweden', 'Unknown']);
  });
});

describe('Hints', () => {
  it('Should give every metric and breakdown a plain line and its exact formula, both from the definitions', () => {
    for (const name of Object.keys(METRICS) as MetricName[]) {
      const h = metricHint(name);
      expect(h.plain.length, name).toBeGreaterThan(10);
      expect(h.plain).not.toContain('ms_played');
      expect(h.exact).toBe(METRICS[name].formula);
    }
    for (const name of Object.keys(BREAKDOWNS) as (keyof typeof BREAKDOWNS)[])
      expect(breakdownHint(name).exact).toBe(BREAKDOWNS[name].formula);
    const both = metricsHint('streams', 'listeners');
    expect(both.plain).toBe(`${METRICS.streams.plain} ${METRICS.listeners.plain}`);
    expect(both.exact).toContain(`Streams: ${METRICS.streams.formula}.`);
  });
});
