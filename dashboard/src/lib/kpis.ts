/**
 * The KPI cards of a period: a metric's value as people read it and its change on the previous
 * period (percentage points for rates, relative change for counts).
 */
import { type Change, periodChange, pointChange } from './format.ts';
import { formatMetric, isRatio, type MetricName, metricFormula, metricLabel } from './metrics.ts';

export interface Kpi {
  metric: MetricName;
  label: string;
  value: string;
  change: Change;
  hint: string;
  /** Whether a rise is good news (false for the skip rate), which decides the change's colour. */
  higherIsBetter: boolean;
}

/** Metrics where a rise is bad news. */
const LOWER_IS_BETTER: ReadonlySet<MetricName> = new Set(['skip_rate']);

/**
 * @example kpi('streams', { value: 1200, previous: 1000 }) // { label: 'Streams', value: '1.2k', change: { text: '+20 %', … }, … }
 */
export function kpi(metric: MetricName, v: { value: number | null; previous: number | null }): Kpi {
  return {
    metric,
    label: metricLabel(metric),
    value: formatMetric(metric, v.value),
    change: isRatio(metric) ? pointChange(v.value, v.previous) : periodChange(v.value, v.previous),
    hint: metricFormula(metric),
    higherIsBetter: !LOWER_IS_BETTER.has(metric),
  };
}
