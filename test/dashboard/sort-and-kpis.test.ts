import { describe, expect, it } from 'vitest';
import { rowsToCsv } from '../../dashboard/src/lib/csv.ts';
import { kpi } from '../../dashboard/src/lib/kpis.ts';
import { formatMetric } from '../../dashboard/src/lib/metrics.ts';
import { heatColour, heatTextColour, seriesColour } from '../../dashboard/src/lib/palette.ts';
import { nextSort, sortRows } from '../../dashboard/src/lib/sort.ts';

describe('sortRows', () => {
  const rows = [
    { title: 'b', streams: 2 },
    { title: 'a', streams: null },
    { title: 'c', streams: 5 },
  ];

  it('Should sort numbers either way with missing values last', () => {
    expect(sortRows(rows, 'streams', 'desc').map((r) => r.title)).toEqual(['c', 'b', 'a']);
    expect(sortRows(rows, 'streams', 'asc').map((r) => r.title)).toEqual(['b', 'c', 'a']);
  });

  it('Should sort text and leave the input untouched', () => {
    expect(sortRows(rows, 'title', 'asc').map((r) => r.title)).toEqual(['a', 'b', 'c']);
    expect(rows[0]?.title).toBe('b');
  });

  it('Should flip the sorted column and start numbers biggest first', () => {
    expect(nextSort({ key: 'streams', direction: 'desc' }, 'streams', true)).toEqual({ key: 'streams', direction: 'asc' });
    expect(nextSort({ key: 'streams', direction: 'desc' }, 'skip_rate', true)).toEqual({ key: 'skip_rate', direction: 'desc' });
    expect(nextSort({ key: 'streams', direction: 'desc' }, 'title', false)).toEqual({ key: 'title', direction: 'asc' });
  });
});

describe('kpi', () => {
  it('Should format counts with a relative change and rates with a point change', () => {
    expect(kpi('streams', { value: 1200, previous: 1000 })).toMatchObject({ label: 'Streams', value: '1.2k', change: { text: '+20 %' } });
    expect(kpi('skip_rate', { value: 0.21, previous: 0.25 })).toMatchObject({
      label: 'Skip rate',
      value: '21 %',
      change: { text: '−4 pt' },
    });
  });

  it('Should take its label and formula from the shared metric definitions', () => {
    expect(kpi('conversion', { value: null, previous: null }).hint).toContain('algorithmic streams');
    expect(formatMetric('saves_per_1000_streams', 2.5)).toBe('2.5');
  });
});

describe('palette', () => {
  it('Should cycle the Okabe–Ito colours and ramp heat from white to blue', () => {
    expect(seriesColour(0)).toBe('#0072B2');
    expect(seriesColour(8)).toBe(seriesColour(0));
    expect(heatColour(0)).toBe('rgb(255, 255, 255)');
    expect(heatColour(1)).toBe('rgb(0, 114, 178)');
    expect(heatTextColour(1)).toBe('#ffffff');
  });
});

describe('rowsToCsv', () => {
  it('Should quote separators and guard spreadsheet formulas like the API does', () => {
    expect(rowsToCsv([{ a: 1, b: 'x,y', c: null }], ['a', 'b', 'c'])).toBe('a,b,c\r\n1,"x,y",\r\n');
    expect(rowsToCsv([{ name: '=SUM(A1)' }], ['name'])).toBe("name\r\n'=SUM(A1)\r\n");
    expect(rowsToCsv([{ q: 'say "hi"' }], ['q'])).toBe('q\r\n"say ""hi"""\r\n');
  });

  it('Should mark a rise in the skip rate as bad news', () => {
    expect(kpi('skip_rate', { value: 0.3, previous: 0.2 }).higherIsBetter).toBe(false);
    expect(kpi('streams', { value: 3, previous: 2 }).higherIsBetter).toBe(true);
  });
});
