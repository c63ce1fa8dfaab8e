/**
 * A chart.js plugin that checks, after each draw, whether any two labels of a horizontal axis
 * overlap, and writes the count on the canvas as `data-axis-overlaps` (the browser tests read it at
 * phone width). Labels are measured in the axis's own font, rotated as drawn.
 */
import type { CartesianScaleOptions, Chart, Plugin, Scale } from 'chart.js';
import { toFont } from 'chart.js/helpers';

function overlapsOn(chart: Chart, scale: Scale<CartesianScaleOptions>): number {
  const ticks = scale.ticks;
  if (!scale.options.display || !scale.options.ticks.display || ticks.length < 2) return 0;
  const ctx = chart.ctx;
  ctx.save();
  ctx.font = toFont(scale.options.ticks.font as Parameters<typeof toFont>[0]).string;
  const cos = Math.abs(Math.cos(scale.labelRotation * (Math.PI / 180)));
  const spans = ticks.map((t, i) => {
    const label = Array.isArray(t.label) ? t.label.join(' ') : String(t.label ?? '');
    const half = (ctx.measureText(label).width * (cos || 0.0001)) / 2;
    const x = scale.getPixelForTick(i);
    return { from: x - half, to: x + half, empty: label === '' };
  });
  ctx.restore();
  let overlaps = 0;
  let last: { to: number } | null = null;
  for (const s of spans) {
    if (s.empty) continue;
    if (last && s.from < last.to) overlaps += 1;
    last = s;
  }
  return overlaps;
}

export const axisFit: Plugin = {
  id: 'axisFit',
  afterDraw(chart) {
    let overlaps = 0;
    for (const scale of Object.values(chart.scales))
      if (scale.isHorizontal()) overlaps += overlapsOn(chart, scale as Scale<CartesianScaleOptions>);
    chart.canvas.dataset.axisOverlaps = String(overlaps);
  },
};
