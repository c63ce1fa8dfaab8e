/**
 * The chart.js pieces the dashboard uses, registered once (tree-shaking keeps the rest out), with
 * defaults that match the page: system font, legend at the bottom, tooltips on hover and focus.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import { axisFit } from './axis-fit.ts';
import { intervalWhiskers } from './interval-whiskers.ts';

Chart.register(LineController, LineElement, PointElement, BarController, BarElement, CategoryScale, LinearScale, Filler, Legend, Tooltip);
Chart.register(intervalWhiskers, axisFit);

Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
Chart.defaults.color = '#333';
Chart.defaults.plugins.legend.position = 'bottom';
Chart.defaults.plugins.legend.labels.boxWidth = 12;
Chart.defaults.maintainAspectRatio = false;
Chart.defaults.animation = false;

export { Chart };
