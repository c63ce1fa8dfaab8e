/**
 * Difference of means between treated and holdout users with a 95 % confidence interval
 * (Welch's normal approximation: diff ± 1.96 · √(s²ₜ/nₜ + s²ₕ/nₕ)). Pure; fed with sufficient statistics.
 */

/** Per-group sums of a per-user value. */
export interface GroupStats {
  n: number;
  sum: number;
  sumSq: number;
}

export const Z_95 = 1.959964;

/** Sample mean and unbiased variance (0 below two users). */
export function meanVar(g: GroupStats): { mean: number; variance: number } {
  if (g.n === 0) return { mean: 0, variance: 0 };
  const mean = g.sum / g.n;
  const variance = g.n > 1 ? Math.max(0, (g.sumSq - g.n * mean * mean) / (g.n - 1)) : 0;
  return { mean, variance };
}

/**
 * Lift of treated over holdout. `ci_low`/`ci_high` are null when a group has fewer than two users;
 * `relative` is null when the holdout mean is 0.
 *
 * @example liftOf({ n: 100, sum: 150, sumSq: 400 }, { n: 100, sum: 100, sumSq: 250 })
 * // { treated: 1.5, holdout: 1, difference: 0.5, ci_low: …, ci_high: …, relative: 0.5 }
 */
export function liftOf(treated: GroupStats, holdout: GroupStats) {
  const t = meanVar(treated);
  const h = meanVar(holdout);
  const difference = t.mean - h.mean;
  const enough = treated.n > 1 && holdout.n > 1;
  const se = enough ? Math.sqrt(t.variance / treated.n + h.variance / holdout.n) : null;
  return {
    treated: t.mean,
    holdout: h.mean,
    difference,
    ci_low: se === null ? null : difference - Z_95 * se,
    ci_high: se === null ? null : difference + Z_95 * se,
    relative: h.mean !== 0 ? difference / h.mean : null,
  };
}
