import { describe, expect, it } from 'vitest';
import { dayKey, weekKey } from '../../../worker/recs/surfaces/period.ts';

describe('Playlist periods', () => {
  it('Should start the ISO week on Monday at local midnight', () => {
    // Sunday 2026-12-06 23:30 UTC is already Monday in Berlin, still Sunday in New York.
    const t = Date.UTC(2026, 11, 6, 23, 30);
    expect(weekKey(t, 'Europe/Berlin')).toBe('2026-W50');
    expect(weekKey(t, 'America/New_York')).toBe('2026-W49');
    expect(weekKey(t, null)).toBe('2026-W49');
    expect(dayKey(t, 'Europe/Berlin')).toBe('2026-12-07');
    expect(dayKey(t, 'America/New_York')).toBe('2026-12-06');
  });

  it('Should number weeks across a year boundary as ISO 8601 does', () => {
    const noon = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d, 12);
    expect(weekKey(noon(2026, 12, 31), null)).toBe('2026-W53');
    expect(weekKey(noon(2027, 1, 3), null)).toBe('2026-W53');
    expect(weekKey(noon(2027, 1, 4), null)).toBe('2027-W01');
    expect(weekKey(noon(2024, 12, 30), null)).toBe('2025-W01');
    expect(weekKey(noon(2021, 1, 3), null)).toBe('2020-W53');
  });

  it('Should fall back to UTC for an unknown time zone', () => {
    const t = Date.UTC(2026, 11, 6, 23, 30);
    expect(dayKey(t, 'Mars/Olympus')).toBe(dayKey(t, null));
    expect(weekKey(t, 'Mars/Olympus')).toBe(weekKey(t, null));
  });
});
