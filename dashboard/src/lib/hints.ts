/**
 * Chart and card hints: one line in plain language, with the exact definition one click away. Both
 * come from worker/analytics/definitions.ts, the one place definitions live (the API computes with
 * the same table).
 */
import { BREAKDOWNS, INSIGHTS, type InsightName, METRICS, type MetricName } from '../../../worker/analytics/definitions.ts';

export interface Hint {
  /** What it means, for someone who has never read a glossary. */
  plain: string;
  /** How it is computed, exactly. */
  exact: string;
}

export type BreakdownName = keyof typeof BREAKDOWNS;

/** @example metricHint('streams') // { plain: 'Plays of at least 30 seconds.', exact: 'plays (play_end or skip) with ms_played ≥ 30 000' } */
export function metricHint(name: MetricName): Hint {
  return { plain: METRICS[name].plain, exact: METRICS[name].formula };
}

export function breakdownHint(name: BreakdownName): Hint {
  return { plain: BREAKDOWNS[name].plain, exact: BREAKDOWNS[name].formula };
}

export function insightHint(name: InsightName): Hint {
  return { plain: INSIGHTS[name].plain, exact: INSIGHTS[name].exact };
}

export function insightLabel(name: InsightName): string {
  return INSIGHTS[name].label;
}

/**
 * One hint for a chart of several metrics: the plain lines one after the other, the exact
 * definitions each under its metric's name.
 * @example metricsHint('streams', 'listeners').exact // 'Streams: plays (…) … Listeners: distinct users …'
 */
export function metricsHint(...names: MetricName[]): Hint {
  return {
    plain: names.map((n) => METRICS[n].plain).join(' '),
    exact: names.map((n) => `${METRICS[n].label}: ${METRICS[n].formula}.`).join(' '),
  };
}
