/**
 * One pollutant over a range as a uPlot line chart: the hourly value and the rolling averages NSW
 * publishes for it, x in Sydney time. The canvas is hidden from assistive technology; a table of
 * the same hours (built when opened) says what it draws.
 */
import uPlot from 'uplot';
import type { PollutantSeries } from '../domain/series';
import { hourEndLabel, SYDNEY } from '../domain/sydney-time';
import { h } from './dom';

const ROLLING_COLOURS = ['#b3471c', '#6a3d9a', '#1f6f8b'];
const NAMES: Record<string, string> = {
  'PM2.5': 'PM2.5',
  PM10: 'PM10',
  OZONE: 'Ozone',
  NO2: 'Nitrogen dioxide',
  CO: 'Carbon monoxide',
  SO2: 'Sulfur dioxide',
  NEPH: 'Visibility (nephelometer)',
};

export const pollutantName = (parameter: string) => NAMES[parameter] ?? parameter;

const fmt = (v: number | null) => (v === null ? '—' : String(Number(v.toFixed(3))));

const clock = new Intl.DateTimeFormat('en-AU', { timeZone: SYDNEY, hour: '2-digit', minute: '2-digit', hour12: false });
const weekday = new Intl.DateTimeFormat('en-AU', { timeZone: SYDNEY, weekday: 'short', day: 'numeric' });

/** Axis labels in Sydney time, 24-hour clock: `14:00` over a day, `Tue 3` at a week's scale. */
function axisLabels(range: '24h' | '7d') {
  return (_u: uPlot, splits: number[]) =>
    splits.map((s) => (range === '24h' ? clock.format(s * 1000) : weekday.format(s * 1000)));
}

function dataTable(series: PollutantSeries, caption: string): HTMLTableElement {
  const head = h(
    'tr',
    {},
    h('th', { scope: 'col', text: 'Hour to (Sydney)' }),
    h('th', { scope: 'col', text: `1 h (${series.unit})` }),
    ...series.rolling.map((r) => h('th', { scope: 'col', text: `${r.window} average` })),
  );
  const rows = series.hours.map((t, i) =>
    h(
      'tr',
      { 'data-hour': new Date(t).toISOString() },
      h('th', { scope: 'row', text: hourEndLabel(new Date(t).toISOString()) }),
      h('td', { text: fmt(series.values[i] ?? null) }),
      ...series.rolling.map((r) => h('td', { text: fmt(r.values[i] ?? null) })),
    ),
  );
  return h('table', { class: 'data' }, h('caption', { text: caption }), h('thead', {}, head), h('tbody', {}, ...rows));
}

/** A figure with the chart and its data table; `range` is `24h` or `7d`. */
export function chartFigure(series: PollutantSeries, range: '24h' | '7d', width: number): HTMLElement {
  const title = `${pollutantName(series.parameter)}, last ${range === '24h' ? '24 hours' : '7 days'} (${series.unit})`;
  const canvasHost = h('div', { class: 'chart', 'aria-hidden': 'true' });
  const details = h('details', {}, h('summary', { text: 'Show as a table' }));
  details.addEventListener(
    'toggle',
    () => {
      if (details.open && !details.querySelector('table')) details.append(dataTable(series, title));
    },
    { once: false },
  );
  const figure = h(
    'figure',
    {
      class: 'chart-figure',
      'data-parameter': series.parameter,
      'data-range': range,
      // The hours the chart draws, for anyone (or any test) checking it against the table.
      'data-hours': series.hours.map((t) => new Date(t).toISOString()).join(','),
    },
    h('figcaption', { text: title }),
    canvasHost,
    details,
  );
  const opts: uPlot.Options = {
    width,
    height: 150,
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), SYDNEY),
    legend: { show: true, live: false },
    cursor: { show: true, drag: { x: false, y: false } },
    scales: { x: { time: true }, y: { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.1 : 1] } },
    axes: [
      { stroke: '#333', grid: { stroke: '#eee' }, values: axisLabels(range), space: range === '24h' ? 50 : 60 },
      { stroke: '#333', grid: { stroke: '#eee' }, size: 44 },
    ],
    series: [
      {},
      { label: '1 h', stroke: '#1d4e89', width: 1.5, points: { show: range === '24h', size: 4 }, spanGaps: false },
      ...series.rolling.map((r, i) => ({
        label: `${r.window} average`,
        stroke: ROLLING_COLOURS[i % ROLLING_COLOURS.length] as string,
        width: 1.5,
        dash: [6, 4],
        points: { show: false },
      })),
    ],
  };
  const data: uPlot.AlignedData = [
    // Plotted at the end of each hour, as NSW labels hours (and as the table does).
    series.hours.map((t) => (t + 3_600_000) / 1000),
    series.values,
    ...series.rolling.map((r) => r.values),
  ] as uPlot.AlignedData;
  new uPlot(opts, data, canvasHost);
  return figure;
}
