/**
 * What drives algorithmic streams: A = I × c (impressions × conversion, c = A ÷ I), and a change of A
 * between two periods split between its factors by log shares (LMDI-I), so the parts of every row,
 * and of all rows together, add up to the change exactly. Pure. Definitions: INSIGHTS.reach_drivers.
 */

/** One row's algorithmic funnel in one period. */
export interface FunnelCell {
  impressions: number;
  /** Algorithmic streams. */
  streams: number;
}

/** A change in streams, split by factor; `impressions + conversion + unattributed === total`. */
export interface Contribution {
  total: number;
  impressions: number;
  conversion: number;
  /** Streams with no impression in either period (a source = algorithmic play outside any served list). */
  unattributed: number;
}

export const NO_CHANGE: Contribution = Object.freeze({ total: 0, impressions: 0, conversion: 0, unattributed: 0 });

/**
 * Logarithmic mean L(x, y) = (x − y) ÷ (ln x − ln y), L(x, x) = x. Positive arguments only.
 *
 * @example logMean(200, 100) // 144.27
 */
export function logMean(x: number, y: number): number {
  if (x === y) return x;
  return (x - y) / (Math.log(x) - Math.log(y));
}

/**
 * Splits A₁ − A₀ of one row: impressions part L(A₁, A₀)·ln(I₁ ÷ I₀), conversion part the rest
 * (= L(A₁, A₀)·ln(c₁ ÷ c₀) up to rounding). Zeros have no logarithm, so:
 * - impressions zero in exactly one period (a surface or a track appears or goes): all on impressions;
 * - impressions in both but algorithmic streams zero in one: all on conversion;
 * - impressions zero in both: unattributed.
 *
 * @example splitChange({ impressions: 100, streams: 10 }, { impressions: 200, streams: 15 })
 * // { total: 5, impressions: 8.55, conversion: −3.55, unattributed: 0 }
 */
export function splitChange(previous: FunnelCell, current: FunnelCell): Contribution {
  const total = current.streams - previous.streams;
  const { impressions: i0, streams: a0 } = previous;
  const { impressions: i1, streams: a1 } = current;
  if (i0 > 0 && i1 > 0 && a0 > 0 && a1 > 0) {
    const impressions = logMean(a1, a0) * Math.log(i1 / i0);
    return { total, impressions, conversion: total - impressions, unattributed: 0 };
  }
  if (total === 0) return { ...NO_CHANGE };
  if (i0 > 0 !== i1 > 0) return { total, impressions: total, conversion: 0, unattributed: 0 };
  if (i0 > 0 && i1 > 0) return { total, impressions: 0, conversion: total, unattributed: 0 };
  return { total, impressions: 0, conversion: 0, unattributed: total };
}

/** Sum of contributions (the artist's total from its rows). */
export function sumContributions(parts: readonly Contribution[]): Contribution {
  const out = { ...NO_CHANGE };
  for (const p of parts) {
    out.total += p.total;
    out.impressions += p.impressions;
    out.conversion += p.conversion;
    out.unattributed += p.unattributed;
  }
  return out;
}

/**
 * Log shares of the total: ln(I₁ ÷ I₀) ÷ ln(A₁ ÷ A₀) and ln(c₁ ÷ c₀) ÷ ln(A₁ ÷ A₀); they sum to 1.
 * Null when a factor is zero in a period or A did not change.
 */
export function logShares(previous: FunnelCell, current: FunnelCell): { impressions: number; conversion: number } | null {
  const { impressions: i0, streams: a0 } = previous;
  const { impressions: i1, streams: a1 } = current;
  if (!(i0 > 0 && i1 > 0 && a0 > 0 && a1 > 0) || a0 === a1) return null;
  const lnA = Math.log(a1 / a0);
  const impressions = Math.log(i1 / i0) / lnA;
  return { impressions, conversion: 1 - impressions };
}
