/**
 * A tiny chart.js plugin that draws an interval (low–high whisker) on bars, for the lift chart:
 * set `intervals: [{ low, high } | null, …]` on a bar dataset, one entry per bar.
 */
import type { Chart, Plugin } from 'chart.js';

export interface WhiskerRange {
  low: number;
  high: number;
}

export const intervalWhiskers: Plugin<'bar'> = {
  id: 'intervalWhiskers',
  afterDatasetsDraw(chart: Chart<'bar'>) {
    const { ctx } = chart;
    const y = chart.scales.y;
    if (!y) return;
    chart.data.datasets.forEach((dataset, di) => {
      const intervals = (dataset as { intervals?: (WhiskerRange | null)[] }).intervals;
      const meta = chart.getDatasetMeta(di);
      if (!intervals || meta.hidden) return;
      ctx.save();
      ctx.strokeStyle = '#1a1a1a';
      ctx.lineWidth = 1.5;
      meta.data.forEach((bar, i) => {
        const r = intervals[i];
        if (!r) return;
        const x = bar.x;
        const top = y.getPixelForValue(r.high);
        const bottom = y.getPixelForValue(r.low);
        ctx.beginPath();
        ctx.moveTo(x, top);
        ctx.lineTo(x, bottom);
        ctx.moveTo(x - 6, top);
        ctx.lineTo(x + 6, top);
        ctx.moveTo(x - 6, bottom);
        ctx.lineTo(x + 6, bottom);
        ctx.stroke();
      });
      ctx.restore();
    });
  },
};
