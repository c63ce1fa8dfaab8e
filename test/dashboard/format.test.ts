import { describe, expect, it } from 'vitest';
import {
  asOfTitle,
  formatAsOf,
  formatCount,
  formatDay,
  formatDuration,
  formatPercent,
  formatPerMille,
  oldestAsOf,
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

describe('formatAsOf', () => {
  const AS_OF = '2026-11-24T14:32:05.000Z';

  it('Should give the time to the second in UTC when the instant is today (UTC)', () => {
    expect(formatAsOf(AS_OF, Date.parse('2026-11-24T14:32:07Z'))).toBe('as of 14:32:05 UTC');
    expect(formatAsOf('2026-11-24T00:00:00Z', Date.parse('2026-11-24T23:59:59.999Z'))).toBe('as of 00:00:00 UTC');
    expect(formatAsOf('2026-11-24T09:05:03Z', Date.parse('2026-11-24T09:05:04Z'))).toBe('as of 09:05:03 UTC');
  });

  it('Should add the day and drop the seconds when the instant is not today (UTC)', () => {
    expect(formatAsOf(AS_OF, Date.parse('2026-11-25T00:00:01Z'))).toBe('as of 24 Nov 14:32 UTC');
    expect(formatAsOf('2026-11-03T07:08:09Z', Date.parse('2026-11-24T12:00:00Z'))).toBe('as of 3 Nov 07:08 UTC');
    // same day of the month, other month or year
    expect(formatAsOf(AS_OF, Date.parse('2026-12-24T14:32:05Z'))).toBe('as of 24 Nov 14:32 UTC');
    expect(formatAsOf(AS_OF, Date.parse('2027-11-24T14:32:05Z'))).toBe('as of 24 Nov 14:32 UTC');
  });

  it('Should decide "today" in UTC, whatever the offset the instant is written with', () => {
    // 23:30 at -05:00 is 04:30 UTC the next day
    expect(formatAsOf('2026-11-24T23:30:00-05:00', Date.parse('2026-11-25T05:00:00Z'))).toBe('as of 04:30:00 UTC');
    expect(formatAsOf('2026-11-24T23:30:00-05:00', Date.parse('2026-11-24T23:00:00Z'))).toBe('as of 25 Nov 04:30 UTC');
  });

  it('Should default to the current time and show a dash for an unreadable instant', () => {
    expect(formatAsOf(new Date().toISOString())).toMatch(/^as of \d{2}:\d{2}:\d{2} UTC$/);
    expect(formatAsOf('not a date', Date.parse(AS_OF))).toBe('as of –');
  });

  it('Should spell out the full instant and what it means for the tooltip', () => {
    expect(asOfTitle(AS_OF)).toBe('24 Nov 2026, 14:32:05 UTC. Every event received before this time is counted.');
  });
});

describe('oldestAsOf', () => {
  it('Should pick the least fresh answer and ignore missing or unreadable ones', () => {
    expect(oldestAsOf(['2026-11-24T14:32:05.000Z', undefined, '2026-11-24T14:31:59.000Z', 'bad'])).toBe('2026-11-24T14:31:59.000Z');
    expect(oldestAsOf(['2026-11-24T14:32:05.000Z'])).toBe('2026-11-24T14:32:05.000Z');
    expect(oldestAsOf([undefined, null])).toBeUndefined();
    expect(oldestAsOf([])).toBeUndefined();
  });
});
