import { describe, expect, it } from 'vitest';
import { isCompletion, isCountedSkip, isStream } from '../../../contract/events.ts';
import { localClock } from '../../../worker/analytics/clock.ts';
import { toCsv } from '../../../worker/analytics/csv.ts';
import { change, derivedMetrics, METRICS, per1000, skipDecile, tierOf } from '../../../worker/analytics/definitions.ts';
import { liftOf } from '../../../worker/analytics/lift.ts';
import { bucketsOf, isoToDay, previousRange, weekStart } from '../../../worker/analytics/period.ts';
import { assignmentUnit, isHoldout } from '../../../worker/campaigns/holdout.ts';
import { cosine, nearest } from '../../../worker/segments/taste.ts';

describe('Metric definitions', () => {
  it('Should apply the 30-second, 90 % and skip-before-30 s rules at their boundaries', () => {
    expect([isStream(29_999), isStream(30_000)]).toEqual([false, true]);
    expect([isCompletion(179_999, 200_000), isCompletion(180_000, 200_000)]).toEqual([false, true]);
    expect([isCountedSkip(29_999), isCountedSkip(30_000)]).toEqual([true, false]);
  });

  it('Should bucket skip positions in tenths, clamping past the end', () => {
    expect([skipDecile(0, 200_000), skipDecile(19_999, 200_000), skipDecile(20_000, 200_000), skipDecile(250_000, 200_000)]).toEqual([
      0, 0, 1, 9,
    ]);
  });

  it('Should give null instead of dividing by zero', () => {
    expect(per1000(5, 0)).toBeNull();
    expect(change(3, 0)).toBeNull();
    expect(change(3, 2)).toBe(0.5);
    const m = derivedMetrics({
      playsStarted: 0,
      plays: 0,
      streams: 0,
      completions: 0,
      skips: 0,
      saves: 2,
      unsaves: 3,
      playlistAdds: 0,
      playlistRemoves: 0,
      impressions: 0,
      algorithmicStreams: 0,
    });
    expect(m).toMatchObject({ completion_rate: null, skip_rate: null, conversion: null, saves: -1 });
  });

  it('Should describe every metric it computes', () => {
    for (const [name, def] of Object.entries(METRICS)) {
      expect(def.label.length, name).toBeGreaterThan(0);
      expect(def.formula.length, name).toBeGreaterThan(0);
    }
  });

  it('Should assign engagement tiers', () => {
    expect(tierOf({ streams: 12, completions: 10, netSaves: 1 })).toBe('super');
    expect(tierOf({ streams: 12, completions: 10, netSaves: 0 })).toBe('engaged');
    expect(tierOf({ streams: 2, completions: 2, netSaves: 3 })).toBe('light');
  });
});

describe('Periods and clocks', () => {
  it('Should compute previous periods and Monday-based weeks', () => {
    const r = { from: isoToDay('2026-10-05'), to: isoToDay('2026-10-11') };
    expect(previousRange(r)).toEqual({ from: isoToDay('2026-09-28'), to: isoToDay('2026-10-04') });
    expect(weekStart(isoToDay('2026-10-11'))).toBe(isoToDay('2026-10-05'));
    expect(bucketsOf({ from: isoToDay('2026-10-07'), to: isoToDay('2026-10-20') }, 'week')).toEqual([
      isoToDay('2026-10-05'),
      isoToDay('2026-10-12'),
      isoToDay('2026-10-19'),
    ]);
  });

  it('Should read the local weekday and hour, falling back to UTC for unknown zones', () => {
    const sundayNight = Date.UTC(2026, 10, 22, 23, 30); // Sunday 23:30 UTC
    expect(localClock(sundayNight, null)).toEqual({ weekday: 6, hour: 23 });
    expect(localClock(sundayNight, 'Europe/Berlin')).toEqual({ weekday: 0, hour: 0 });
    expect(localClock(sundayNight, 'Asia/Kolkata')).toEqual({ weekday: 0, hour: 5 });
    expect(localClock(sundayNight, 'Mars/Olympus')).toEqual({ weekday: 6, hour: 23 });
  });
});

describe('CSV', () => {
  it('Should quote separators and neutralise formulas', () => {
    expect(toCsv([{ a: 'x,y', b: '=SUM(A1)', c: null }], ['a', 'b', 'c'])).toBe('a,b,c\r\n"x,y",\'=SUM(A1),\r\n');
  });
});

describe('Campaign statistics', () => {
  it('Should put about the holdout share of users in the holdout, the same way every time', () => {
    const users = Array.from({ length: 10_000 }, (_, i) => `user-${i}`);
    const held = users.filter((u) => isHoldout('cmp_test', u, 0.2)).length;
    expect(held / users.length).toBeGreaterThan(0.18);
    expect(held / users.length).toBeLessThan(0.22);
    expect(users.filter((u) => isHoldout('cmp_test', u, 0.2)).length).toBe(held);
    expect(assignmentUnit('a')).not.toBe(assignmentUnit('b'));
  });

  it('Should compute the difference of means and its 95 % interval', () => {
    // treated: 4 users with 1, 2, 3, 4 → mean 2.5, var 5/3; holdout: 4 users with 0, 1, 1, 2 → mean 1, var 2/3
    const l = liftOf({ n: 4, sum: 10, sumSq: 30 }, { n: 4, sum: 4, sumSq: 6 });
    const se = Math.sqrt(5 / 3 / 4 + 2 / 3 / 4);
    expect(l.difference).toBe(1.5);
    expect(l.relative).toBe(1.5);
    expect(l.ci_low).toBeCloseTo(1.5 - 1.959964 * se, 9);
    expect(l.ci_high).toBeCloseTo(1.5 + 1.959964 * se, 9);
    expect(liftOf({ n: 1, sum: 1, sumSq: 1 }, { n: 3, sum: 0, sumSq: 0 }).ci_low).toBeNull();
  });
});

describe('Taste vectors', () => {
  it('Should rank candidates by cosine similarity', () => {
    const target = new Float64Array([1, 0, 0.5]);
    expect(cosine(target, new Float64Array([2, 0, 1]))).toBeCloseTo(1, 12);
    const ranked = nearest(
      new Map([
        ['far', new Float64Array([0, 1, 0])],
        ['near', new Float64Array([1, 0, 0.4])],
        ['mid', new Float64Array([1, 1, 0.5])],
      ]),
      target,
      2,
    );
    expect(ranked.map((r) => r.userId)).toEqual(['near', 'mid']);
  });
});
