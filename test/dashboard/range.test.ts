import { describe, expect, it } from 'vitest';
import { addDays, customRange, granularityFor, presetRange, previousRange, rangeLabel, spanDays } from '../../dashboard/src/lib/range.ts';

const NOW = new Date('2026-11-24T19:30:00Z');

describe('presetRange', () => {
  it('Should end today and span exactly the preset number of days', () => {
    for (const days of [7, 28, 90, 365] as const) {
      const r = presetRange(days, NOW);
      expect(r.to).toBe('2026-11-24');
      expect(spanDays(r)).toBe(days);
      expect(r.preset).toBe(days);
    }
    expect(presetRange(7, NOW).from).toBe('2026-11-18');
  });
});

describe('previousRange', () => {
  it('Should be the period of equal length just before, as the API compares', () => {
    expect(previousRange({ from: '2026-11-18', to: '2026-11-24' })).toEqual({ from: '2026-11-11', to: '2026-11-17' });
    expect(previousRange({ from: '2026-03-01', to: '2026-03-01' })).toEqual({ from: '2026-02-28', to: '2026-02-28' });
  });
});

describe('customRange', () => {
  it('Should accept a valid span and mark it custom', () => {
    expect(customRange('2026-11-01', '2026-11-10')).toEqual({
      ok: true,
      range: { from: '2026-11-01', to: '2026-11-10', preset: 'custom' },
    });
  });

  it('Should explain what is wrong with a bad span', () => {
    expect(customRange('', '2026-11-10')).toEqual({ ok: false, message: 'Pick a start date' });
    expect(customRange('2026-11-10', '2026-11-01')).toMatchObject({ ok: false, message: expect.stringContaining('on or before') });
    expect(customRange('2020-01-01', '2026-01-01')).toMatchObject({ ok: false, message: expect.stringContaining('at most') });
  });
});

describe('range helpers', () => {
  it('Should cross month and year ends when adding days', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('Should label ranges and switch to weeks beyond a quarter', () => {
    expect(rangeLabel(presetRange(28, NOW))).toBe('Last 28 days');
    expect(rangeLabel({ from: '2026-01-01', to: '2026-01-31', preset: 'custom' })).toBe('2026-01-01 – 2026-01-31');
    expect(granularityFor(presetRange(90, NOW))).toBe('day');
    expect(granularityFor(presetRange(365, NOW))).toBe('week');
  });
});
