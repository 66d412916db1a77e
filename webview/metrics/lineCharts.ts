/**
 * chart.js, with the parts the metrics panel's line charts use registered once for the
 * bundle: lines with points, linear and log scales, tooltips, and filled bands.
 */
import {
  Chart,
  Filler,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  Tooltip,
} from 'chart.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Tooltip, Filler);

export { Chart };
