import { describe, expect, it } from 'vitest';
import { armAt, bucketOf } from '../../../worker/experiments/assign.ts';
import { preferenceOf, seededCoin, teamDraft } from '../../../worker/experiments/interleave.ts';
import { type ArmOutcome, interleaveReport, splitReport } from '../../../worker/experiments/report.ts';

const stats = (values: number[]) => ({
  n: values.length,
  sum: values.reduce((s, v) => s + v, 0),
  sumSq: values.reduce((s, v) => s + v * v, 0),
});

describe('Experiment assignment', () => {
  it('Should give a listener the same bucket every time, and a different experiment an independent one', async () => {
    expect(await bucketOf('exp_a', 'u-1')).toBe(await bucketOf('exp_a', 'u-1'));
    const users = Array.from({ length: 2000 }, (_, i) => `u-${i}`);
    const a = await Promise.all(users.map((u) => bucketOf('exp_a', u)));
    const b = await Promise.all(users.map((u) => bucketOf('exp_b', u)));
    // Independent splits: the two experiments' halves agree for about half of the listeners.
    const same = a.filter((x, i) => x < 0.5 === (b[i] as number) < 0.5).length / users.length;
    expect(same).toBeGreaterThan(0.45);
    expect(same).toBeLessThan(0.55);
    for (const x of a) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
  });

  it('Should split 10 000 listeners by the stated shares within 1.5 points', async () => {
    const arms = [
      { name: 'control', share: 0.2 },
      { name: 'b', share: 0.5 },
      { name: 'c', share: 0.3 },
    ];
    const counts = new Map<string, number>();
    for (let i = 0; i < 10_000; i++) {
      const arm = armAt(arms, await bucketOf('exp_shares', `user-${i}`));
      counts.set(arm.name, (counts.get(arm.name) ?? 0) + 1);
    }
    for (const arm of arms) expect(Math.abs((counts.get(arm.name) ?? 0) / 10_000 - arm.share)).toBeLessThan(0.015);
  });

  it('Should cut at the cumulative shares, the last arm taking the rounding remainder', () => {
    const arms = [
      { name: 'a', share: 0.25 },
      { name: 'b', share: 0.75 },
    ];
    expect(armAt(arms, 0).name).toBe('a');
    expect(armAt(arms, 0.2499).name).toBe('a');
    expect(armAt(arms, 0.25).name).toBe('b');
    expect(
      armAt(
        [
          { name: 'a', share: 0.3 },
          { name: 'b', share: 0.69999 },
        ],
        0.99999,
      ).name,
    ).toBe('b');
  });
});

describe('Team-draft interleaving', () => {
  const a = ['a1', 'a2', 'a3', 'x', 'a4', 'a5'];
  const b = ['x', 'b1', 'a1', 'b2', 'b3', 'b4'];

  it('Should alternate picks, each team taking its best track not yet in the list', () => {
    const heads = [true, false, true];
    let k = 0;
    const list = teamDraft(
      a,
      b,
      6,
      (s) => s,
      () => heads[k++ % heads.length] as boolean,
    );
    // Round 1 (A first): a1, x. Round 2 (B first): b1, a2. Round 3 (A first): a3, b2.
    expect(list).toEqual([
      { item: 'a1', team: 'a' },
      { item: 'x', team: 'b' },
      { item: 'b1', team: 'b' },
      { item: 'a2', team: 'a' },
      { item: 'a3', team: 'a' },
      { item: 'b2', team: 'b' },
    ]);
  });

  it('Should keep the teams within one pick, never repeat a track, and keep each team in its ranker’s order', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const list = teamDraft(a, b, 8, (s) => s, seededCoin(seed));
      expect(new Set(list.map((d) => d.item)).size).toBe(list.length);
      const picksA = list.filter((d) => d.team === 'a').map((d) => d.item);
      const picksB = list.filter((d) => d.team === 'b').map((d) => d.item);
      expect(Math.abs(picksA.length - picksB.length)).toBeLessThanOrEqual(1);
      const inOrder = (picks: string[], ranking: string[]) =>
        picks.every((p, i) => i === 0 || ranking.indexOf(p) > ranking.indexOf(picks[i - 1] as string));
      expect(inOrder(picksA, a)).toBe(true);
      expect(inOrder(picksB, b)).toBe(true);
    }
  });

  it('Should let one team fill the list when the other runs out', () => {
    const list = teamDraft(
      ['a1'],
      ['b1', 'b2', 'b3'],
      4,
      (s) => s,
      () => true,
    );
    expect(list.map((d) => d.item)).toEqual(['a1', 'b1', 'b2', 'b3']);
  });

  it('Should credit the team whose tracks were streamed more, ties counting half', () => {
    expect(preferenceOf({ a: 2, b: 1 })).toBe(0);
    expect(preferenceOf({ a: 0, b: 1 })).toBe(1);
    expect(preferenceOf({ a: 1, b: 1 })).toBe(0.5);
  });

  it('Should replay the same coin from the same seed', () => {
    const flips = (seed: number) => Array.from({ length: 20 }, seededCoin(seed));
    expect(flips(7)).toEqual(flips(7));
    expect(flips(7)).not.toEqual(flips(8));
  });
});

describe('Experiment report statistics', () => {
  it('Should compare an arm with the control by Welch intervals on hand-checked numbers', () => {
    // Control streams per listener 1, 2, 3, 4 (mean 2.5, var 5/3); treatment 3, 4, 5, 6 (mean 4.5, var 5/3).
    // Difference 2, se = sqrt(5/3/4 + 5/3/4) = 0.912871, CI = 2 ± 1.959964 · 0.912871 = [0.21078, 3.78922].
    const outcome = (arm: string, streams: number[]): ArmOutcome => ({
      arm,
      users: streams.length,
      lists: streams.length * 2,
      impressions: streams.length * 20,
      distinctTracks: 10,
      metrics: {
        conversion: stats([0, 1, 1, 0]),
        streams_per_user: stats(streams),
        saves_per_user: stats([0, 0, 0, 0]),
        skip_rate: stats([0.5]),
      },
    });
    const report = splitReport([outcome('control', [1, 2, 3, 4]), outcome('treatment', [3, 4, 5, 6])], 40);
    expect(report.arms.map((a) => [a.arm, a.streams_per_user, a.coverage])).toEqual([
      ['control', 2.5, 0.25],
      ['treatment', 4.5, 0.25],
    ]);
    const [lift] = report.lift;
    expect(lift?.against).toBe('control');
    expect(lift?.streams_per_user.difference).toBeCloseTo(2, 10);
    expect(lift?.streams_per_user.ci_low).toBeCloseTo(0.21078, 4);
    expect(lift?.streams_per_user.ci_high).toBeCloseTo(3.78922, 4);
    expect(lift?.streams_per_user.relative).toBeCloseTo(0.8, 10);
    expect(lift?.streams_per_user.significant).toBe(true);
    // One listener with plays per arm: no interval, not significant.
    expect(lift?.skip_rate.ci_low).toBeNull();
    expect(lift?.skip_rate.significant).toBe(false);
    expect(lift?.saves_per_user.significant).toBe(false);
  });

  it('Should report B’s preference share with its interval on hand-checked numbers', () => {
    // Preferences 1, 1, 1, 0, 0.5: mean 0.7, var = (3 + 0.25 − 5 · 0.49) / 4 = 0.2, se = 0.2, CI = 0.7 ± 0.391993.
    const r = interleaveReport(stats([1, 1, 1, 0, 0.5]), { wins_a: 1, wins_b: 3, ties: 1 });
    expect(r.preference_b).toBeCloseTo(0.7, 10);
    expect(r.delta).toBeCloseTo(0.2, 10);
    expect(r.ci_low).toBeCloseTo(0.2 - 0.391993, 5);
    expect(r.ci_high).toBeCloseTo(0.2 + 0.391993, 5);
    expect(r.significant).toBe(false);
    const clear = interleaveReport(stats([...Array(30).fill(1), ...Array(10).fill(0)]), { wins_a: 10, wins_b: 30, ties: 0 });
    expect(clear.significant).toBe(true);
    expect(clear.ci_low as number).toBeGreaterThan(0);
  });
});
