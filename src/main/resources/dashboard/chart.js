// Clicks over time by uPlot: a line per platform and one for the bots, a time axis in the browser's
// time zone, the values of every series at the pointer in the legend (a click there hides a series),
// zoom by dragging (double-click: back), and a square-root scale so that one burst does not flatten the rest.
import uPlot from './uplot.js';
import { SERIES, COUNTER_LABELS } from './platforms.js';
import * as format from './format.js';

let plot = null;
let shown = { buckets: [], interval: 'minute', sqrt: false };

function data(buckets, sqrt) {
  const scale = sqrt ? Math.sqrt : v => v;
  return [buckets.map(b => Date.parse(b.start) / 1000)]
    .concat(SERIES.map(([, key]) => buckets.map(b => scale(b[key]))));
}

function options(container, interval, sqrt) {
  const raw = (seriesIndex, index) => shown.buckets[index][SERIES[seriesIndex - 1][1]];
  return {
    width: Math.max(280, container.clientWidth),
    height: 260,
    cursor: { drag: { x: true, y: false } },
    hooks: { setSeries: [u => syncToggles(u)] },
    scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(sqrt ? 2 : 4, max)] } },
    // Day buckets are UTC days: their axis is in UTC, so that a tick names the day a bucket counts.
    tzDate: interval === 'day' ? ts => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC') : ts => new Date(ts * 1000),
    axes: [
      { label: interval === 'day' ? 'Day (UTC)' : 'Time (' + format.zone() + ')', labelSize: 20 },
      {
        label: 'Clicks per ' + interval + (sqrt ? ', √ scale' : ''),
        labelSize: 20,
        size: 56,
        // On the square-root scale the ticks are round counts placed where their roots fall.
        splits: sqrt ? (u, axis, min, max) => rootTicks(max) : undefined,
        values: (u, splits) => splits.map(v => format.number(sqrt ? Math.round(v * v) : v))
      }
    ],
    series: [{ label: 'Time', value: (u, ts) => ts == null ? '–' : format.bucketTime(new Date(ts * 1000), interval) }]
      .concat(SERIES.map(([name, key, colour], i) => ({
        label: COUNTER_LABELS[key],
        class: 'series-' + name,
        stroke: colour,
        width: 2,
        points: { show: interval !== 'minute' },
        value: (u, v, s, index) => index == null ? '–' : format.number(raw(i + 1, index))
      })))
  };
}

/**
 * Ticks for a square-root axis up to `max` (a root): about five, even on the drawn scale, each
 * rounded to a whole count below 10, else to 1, 2 or 5 times a power of ten (0, 1, 4, 20, 50 …), each once.
 */
export function rootTicks(max) {
  const top = max * max;
  const counts = new Set([0]);
  for (let i = 1; i <= 5; i++) {
    const raw = (i * max / 5) ** 2;
    const magnitude = 10 ** Math.floor(Math.log10(Math.max(raw, 1)));
    const step = raw < 10 ? Math.max(1, Math.round(raw))
      : [1, 2, 5, 10].map(m => m * magnitude).reduce((a, b) => Math.abs(b - raw) < Math.abs(a - raw) ? b : a);
    if (step <= top) counts.add(step);
  }
  return [...counts].sort((a, b) => a - b).map(Math.sqrt);
}

/** Draws the buckets; a chart already drawn keeps its zoom and hidden series when only the values moved. */
export function draw(buckets, interval, sqrt) {
  const container = document.getElementById('chart');
  const same = plot && shown.interval === interval && shown.sqrt === sqrt && shown.buckets.length === buckets.length
    && shown.buckets.length > 0 && shown.buckets[0].start === buckets[0].start;
  shown = { buckets, interval, sqrt };
  container.dataset.total = buckets.reduce((sum, b) => sum + SERIES.reduce((s, [, key]) => s + b[key], 0), 0);
  if (same) {
    const zoomed = plot.scales.x.min > plot.data[0][0] || plot.scales.x.max < plot.data[0][plot.data[0].length - 1];
    plot.setData(data(buckets, sqrt), !zoomed);
    return;
  }
  const hidden = plot ? plot.series.map(s => !s.show) : [];
  if (plot) plot.destroy();
  container.replaceChildren();
  plot = new uPlot(options(container, interval, sqrt), data(buckets, sqrt), container);
  hidden.forEach((off, i) => { if (off && i > 0) plot.setSeries(i, { show: false }); });
  toggles();
}

/** A checkbox per series beside the chart: the legend's toggles, for the keyboard too. */
function toggles() {
  const box = document.getElementById('series-toggles');
  box.replaceChildren(...SERIES.map(([name, key], i) => {
    const label = document.createElement('label');
    label.className = 'check';
    const input = document.createElement('input');
    input.type = 'checkbox';
    input.checked = plot.series[i + 1].show;
    input.dataset.series = name;
    input.addEventListener('change', () => plot.setSeries(i + 1, { show: input.checked }));
    label.append(input, ' ' + COUNTER_LABELS[key]);
    return label;
  }));
}

function syncToggles(u) {
  document.querySelectorAll('#series-toggles input').forEach((input, i) => { input.checked = u.series[i + 1].show; });
}

export function resize() {
  if (plot) plot.setSize({ width: Math.max(280, document.getElementById('chart').clientWidth), height: 260 });
}

window.addEventListener('resize', () => resize());
