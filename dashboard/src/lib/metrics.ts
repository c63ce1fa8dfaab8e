/**
 * Metric labels and formulas for the dashboard, from the one definition the API also uses.
 */
import { BREAKDOWNS, METRICS, type MetricName } from '../../../worker/analytics/definitions.ts';
import { formatCount, formatPercent, formatPerMille } from './format.ts';

export { BREAKDOWNS, type MetricName };

/** @example metricLabel('completion_rate') // 'Completion rate' */
export function metricLabel(name: MetricName): string {
  return METRICS[name].label;
}

/** The formula shown as a tooltip next to a metric. */
export function metricFormula(name: MetricName): string {
  return METRICS[name].formula;
}

/**
 * A metric's value formatted by its unit.
 * @example formatMetric('skip_rate', 0.21) // '21 %'; formatMetric('streams', 12_400) // '12.4k'
 */
export function formatMetric(name: MetricName, value: number | null | undefined): string {
  const unit = METRICS[name].unit;
  if (unit === 'ratio') return formatPercent(value);
  if (unit === 'per_1000_streams') return formatPerMille(value);
  return formatCount(value);
}

/** Whether the metric is a ratio, where changes read as percentage points. */
export function isRatio(name: MetricName): boolean {
  return METRICS[name].unit === 'ratio';
}
