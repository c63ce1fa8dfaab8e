import { describe, expect, it } from 'vitest';
import { SERIES_COLOURS } from '../../dashboard/src/lib/palette.ts';
import {
  clockGrid,
  decileLabels,
  funnel,
  histogramShares,
  humanize,
  liftVerdict,
  lineChart,
  shares,
} from '../../dashboard/src/lib/series.ts';

describe('lineChart', () => {
  it('Should make one series per field, in palette order, with day labels', () => {
    const d = lineChart(
      [
        { date: '2026-11-01', a: 3, b: 1 },
        { date: '2026-11-02', a: 5, b: null },
      ],
      'date',
      [
        { key: 'a', label: 'Streams' },
        { key: 'b', label: 'Listeners' },
      ],
    );
    expect(d.labels).toEqual(['Nov 1', 'Nov 2']);
    expect(d.series.map((s) => s.label)).toEqual(['Streams', 'Listeners']);
    expect(d.series[0]?.data).toEqual([3, 5]);
    expect(d.series[1]?.colour).toBe(SERIES_COLOURS[1]);
  });

  it('Should keep missing values as gaps, not zeros', () => {
    const d = lineChart([{ date: '2026-11-01', r: null }], 'date', [{ key: 'r', label: 'Rate' }]);
    expect(d.series[0]?.data).toEqual([null]);
  });
});

describe('shares', () => {
  it('Should order parts largest first with their share of the whole', () => {
    expect(
      shares([
        { key: 'search', value: 1 },
        { key: 'user_playlist', value: 3 },
      ]),
    ).toEqual([
      { key: 'user_playlist', label: 'User playlist', value: 3, share: 0.75 },
      { key: 'search', label: 'Search', value: 1, share: 0.25 },
    ]);
  });

  it('Should give zero shares when the whole is zero', () => {
    expect(shares([{ key: 'radio', value: 0 }])[0]?.share).toBe(0);
  });
});

describe('funnel', () => {
  it('Should give each step its share of the previous and of the first step', () => {
    const steps = funnel([
      { label: 'Impressions', value: 200 },
      { label: 'Streams', value: 50 },
      { label: 'Saves', value: 5 },
    ]);
    expect(steps.map((s) => s.fromPrevious)).toEqual([null, 0.25, 0.1]);
    expect(steps[2]?.fromFirst).toBe(0.025);
  });

  it('Should not divide by an empty step', () => {
    const steps = funnel([
      { label: 'Impressions', value: 0 },
      { label: 'Streams', value: 4 },
    ]);
    expect(steps[1]?.fromPrevious).toBeNull();
    expect(steps[1]?.fromFirst).toBeNull();
  });
});

describe('clockGrid', () => {
  it('Should place cells by weekday (0 = Monday) and hour and find the maximum', () => {
    const g = clockGrid([
      { weekday: 0, hour: 9, value: 4 },
      { weekday: 6, hour: 23, value: 7 },
      { weekday: 0, hour: 9, value: 1 },
    ]);
    expect(g.rows).toHaveLength(7);
    expect(g.rows[0]).toHaveLength(24);
    expect(g.rows[0]?.[9]).toBe(5);
    expect(g.rows[6]?.[23]).toBe(7);
    expect(g.max).toBe(7);
    expect(g.total).toBe(12);
  });

  it('Should ignore cells outside the week or the day', () => {
    const g = clockGrid([
      { weekday: 7, hour: 1, value: 3 },
      { weekday: 1, hour: 24, value: 3 },
    ]);
    expect(g.total).toBe(0);
  });
});

describe('histograms and lift', () => {
  it('Should label tenths and normalise counts', () => {
    expect(decileLabels(3)).toEqual(['0–33 %', '33–67 %', '67–100 %']);
    expect(decileLabels()).toHaveLength(10);
    expect(histogramShares([1, 3])).toEqual([0.25, 0.75]);
    expect(histogramShares([0, 0])).toEqual([0, 0]);
  });

  it('Should call a lift positive only when its interval excludes zero', () => {
    expect(liftVerdict({ estimate: 0.02, low: 0.005, high: 0.035 })).toBe('positive');
    expect(liftVerdict({ estimate: -0.02, low: -0.03, high: -0.01 })).toBe('negative');
    expect(liftVerdict({ estimate: 0.01, low: -0.01, high: 0.03 })).toBe('inconclusive');
    expect(liftVerdict(null)).toBe('inconclusive');
  });

  it('Should humanise API keys', () => {
    expect(humanize('artist_page')).toBe('Artist page');
  });
});
