/**
 * An experiment's report from per-arm sufficient statistics. Split arms are compared with the
 * control (the first arm) by the campaign report's statistics (`liftOf`, Welch 95 % intervals over
 * per-listener values: the listener is the unit of randomisation). Interleaving reports B's
 * preference share over listeners with an interval from the same per-listener variance.
 */
import { type GroupStats, liftOf, meanVar, Z_95 } from '../analytics/lift.ts';
import { ARM_METRICS, type ArmMetric, type ArmOutcome } from '../db/experiments.ts';

export type { ArmOutcome };

export type Lift = ReturnType<typeof liftOf> & { significant: boolean };

export function withSignificance(l: ReturnType<typeof liftOf>): Lift {
  return { ...l, significant: l.ci_low !== null && l.ci_high !== null && (l.ci_low > 0 || l.ci_high < 0) };
}

/** Each non-control arm against the control (the first arm), metric by metric. */
export function splitReport(outcomes: readonly ArmOutcome[], listedTracks: number) {
  const [control, ...treated] = outcomes;
  if (!control) throw new Error('an experiment has at least two arms');
  const means = (o: ArmOutcome) => Object.fromEntries(ARM_METRICS.map((m) => [m, meanVar(o.metrics[m]).mean])) as Record<ArmMetric, number>;
  return {
    arms: outcomes.map((o) => ({
      arm: o.arm,
      users: o.users,
      lists: o.lists,
      impressions: o.impressions,
      coverage: listedTracks > 0 ? o.distinctTracks / listedTracks : 0,
      ...means(o),
    })),
    lift: treated.map((o) => ({
      arm: o.arm,
      against: control.arm,
      ...(Object.fromEntries(ARM_METRICS.map((m) => [m, withSignificance(liftOf(o.metrics[m], control.metrics[m]))])) as Record<
        ArmMetric,
        Lift
      >),
    })),
  };
}

/**
 * Interleaving: per-listener preference scores (1 = B won, 0 = A won, ½ = tie) summarised as B's
 * preference share with a 95 % interval, and Chapelle et al.'s Δ = share − ½ (positive: B is better).
 *
 * @example interleaveReport({ n: 4, sum: 3, sumSq: 2.5 }, { wins_a: 1, wins_b: 2, ties: 1 })
 */
export function interleaveReport(prefs: GroupStats, counts: { wins_a: number; wins_b: number; ties: number }) {
  const { mean, variance } = meanVar(prefs);
  const se = prefs.n > 1 ? Math.sqrt(variance / prefs.n) : null;
  const ciLow = se === null ? null : mean - Z_95 * se;
  const ciHigh = se === null ? null : mean + Z_95 * se;
  return {
    users: prefs.n,
    ...counts,
    preference_b: mean,
    delta: prefs.n > 0 ? mean - 0.5 : 0,
    ci_low: ciLow === null ? null : ciLow - 0.5,
    ci_high: ciHigh === null ? null : ciHigh - 0.5,
    significant: ciLow !== null && ciHigh !== null && (ciLow > 0.5 || ciHigh < 0.5),
  };
}
