import { describe, expect, it } from 'vitest';
import {
  formatCount,
  formatDay,
  formatDuration,
  formatPercent,
  formatPerMille,
  periodChange,
  pointChange,
} from '../../dashboard/src/lib/format.ts';

describe('formatCount', () => {
  it('Should keep small counts whole and compact large ones with a lower-case k', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(950)).toBe('950');
    expect(formatCount(1234)).toBe('1.2k');
    expect(formatCount(12_400)).toBe('12.4k');
    expect(formatCount(2_500_000)).toBe('2.5M');
  });

  it('Should show a dash for missing or non-finite values, never 0 or NaN', () => {
    expect(formatCount(null)).toBe('–');
    expect(formatCount(undefined)).toBe('–');
    expect(formatCount(Number.NaN)).toBe('–');
  });
});

describe('formatPercent', () => {
  it('Should write whole percentages with a space before the sign', () => {
    expect(formatPercent(0.3412)).toBe('34 %');
    expect(formatPercent(1)).toBe('100 %');
    expect(formatPercent(0)).toBe('0 %');
  });

  it('Should keep one decimal below 10 % and drop a trailing .0', () => {
    expect(formatPercent(0.034)).toBe('3.4 %');
    expect(formatPercent(0.05)).toBe('5 %');
  });

  it('Should show a dash when the rate is undefined (nothing to divide by)', () => {
    expect(formatPercent(null)).toBe('–');
  });
});

describe('periodChange', () => {
  it('Should give a signed relative change and its direction', () => {
    expect(periodChange(112, 100)).toMatchObject({ text: '+12 %', direction: 'up' });
    expect(periodChange(75, 100)).toMatchObject({ text: '−25 %', direction: 'down' });
    expect(periodChange(100, 100)).toMatchObject({ text: '0 %', direction: 'flat' });
  });

  it('Should call growth from zero "new" instead of an infinite percentage', () => {
    expect(periodChange(5, 0)).toMatchObject({ text: 'new', direction: 'new' });
    expect(periodChange(0, 0)).toMatchObject({ direction: 'flat' });
    expect(periodChange(5, null)).toMatchObject({ text: '–', direction: 'none' });
  });

  it('Should describe the change in words for screen readers', () => {
    expect(periodChange(112, 100).label).toBe('up 12 % on the previous period');
  });
});

describe('pointChange', () => {
  it('Should give rate changes in percentage points', () => {
    expect(pointChange(0.36, 0.34)).toMatchObject({ text: '+2 pt', direction: 'up' });
    expect(pointChange(0.3, 0.345)).toMatchObject({ text: '−4.5 pt', direction: 'down' });
    expect(pointChange(null, 0.3).direction).toBe('none');
  });
});

describe('other formats', () => {
  it('Should format per-mille rates, days and durations', () => {
    expect(formatPerMille(12.345)).toBe('12.3');
    expect(formatPerMille(4)).toBe('4');
    expect(formatDay('2026-11-03')).toBe('Nov 3');
    expect(formatDay('2026-11-03', true)).toBe('Nov 3, 2026');
    expect(formatDuration(200_000)).toBe('3:20');
    expect(formatDuration(59_400)).toBe('0:59');
  });
});
