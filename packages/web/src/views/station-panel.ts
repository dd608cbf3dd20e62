/**
 * The station panel: the latest hour's measurements (value, category, flags, rolling averages),
 * a 24-hour and a 7-day chart per pollutant, and a CSV download of a chosen range of whole Sydney
 * days through exportAirQualityData.
 */
import { HOUR_MS } from '@opendata-pulse/shared/time';
import type { Graphql } from '../api/graphql-client';
import { exportAirQualityData, type HourlyReading, stationReadings } from '../api/queries';
import { CATEGORY_STYLES, categoryKey, categoryLabel, stationLabel } from '../domain/categories';
import { lastHours, pollutantSeries } from '../domain/series';
import type { StationView } from '../domain/stations';
import { dayRange, hourEndLabel, sydneyDate, sydneyTime } from '../domain/sydney-time';
import { chartFigure, pollutantName } from './charts';
import { h } from './dom';

const WEEK_HOURS = 7 * 24;
const MAX_EXPORT_DAYS = 366;

export interface StationPanel {
  open(station: StationView): Promise<void>;
  /** Re-reads the open station when a newer hour arrived for it. */
  refresh(station: StationView): Promise<void>;
  openSiteId(): number | undefined;
}

function chip(category: StationView['category']): HTMLElement {
  const key = categoryKey(category);
  const style = CATEGORY_STYLES[key];
  return h('span', {
    class: 'chip',
    style: `background:${style.colour};color:${style.text}`,
    text: categoryLabel(category),
  });
}

function latestTable(reading: HourlyReading): HTMLTableElement {
  const rows = [...reading.measurements]
    .sort((a, b) => Number(b.category !== null) - Number(a.category !== null) || a.parameter.localeCompare(b.parameter))
    .map((m) =>
      h(
        'tr',
        {},
        h('th', { scope: 'row', text: pollutantName(m.parameter) }),
        h('td', { 'data-label': 'Value', text: m.value === null ? '—' : `${Number(m.value.toFixed(3))} ${m.unit}` }),
        h('td', { 'data-label': 'Category' }, m.category ? chip(m.category) : '—'),
        h(
          'td',
          { 'data-label': 'Rolling averages' },
          m.rolling
            .map(
              (r) =>
                `${r.window}: ${r.value === null ? '—' : Number(r.value.toFixed(3))} (${categoryLabel(r.category)})`,
            )
            .join('; ') || '—',
        ),
        h('td', { 'data-label': 'Flags', text: m.flags.length ? m.flags.join(', ') : '—' }),
      ),
    );
  return h(
    'table',
    // focusable: where it scrolls sideways, a keyboard can scroll it too
    { class: 'latest', tabindex: 0 },
    h('caption', { text: `Hour to ${hourEndLabel(reading.hourStart)} (Sydney time)` }),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...['Measurement', 'Value', 'Category', 'Rolling averages', 'Flags'].map((t) =>
          h('th', { scope: 'col', text: t }),
        ),
      ),
    ),
    h('tbody', {}, ...rows),
  );
}

function exportForm(graphql: Graphql, station: StationView): HTMLElement {
  const today = sydneyDate(Date.now());
  const weekAgo = sydneyDate(Date.now() - 6 * 24 * HOUR_MS);
  const from = h('input', {
    type: 'date',
    id: 'export-from',
    name: 'from',
    value: weekAgo,
    required: true,
    max: today,
  });
  const to = h('input', { type: 'date', id: 'export-to', name: 'to', value: today, required: true, max: today });
  const result = h('p', { class: 'export-result', role: 'status' });
  const form = h(
    'form',
    { class: 'export' },
    h('h3', { text: 'Download CSV' }),
    h('p', {
      class: 'hint',
      text: `Every hourly reading of the stations in ${station.suburb}, whole days in Sydney time (at most ${MAX_EXPORT_DAYS} days).`,
    }),
    h('label', { for: 'export-from', text: 'From' }),
    from,
    h('label', { for: 'export-to', text: 'To' }),
    to,
    h('button', { type: 'submit', text: 'Prepare CSV' }),
    result,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!from.value || !to.value) {
      result.textContent = 'Choose both dates.';
      return;
    }
    const range = dayRange(from.value, to.value);
    if (range.days < 1) {
      result.textContent = '"From" must not be after "To".';
      return;
    }
    if (range.days > MAX_EXPORT_DAYS) {
      result.textContent = `At most ${MAX_EXPORT_DAYS} days at a time (you chose ${range.days}).`;
      return;
    }
    result.textContent = 'Preparing…';
    try {
      const file = await exportAirQualityData(graphql, station.suburb, range.from, range.to);
      const name = `${station.suburb}-${from.value}-to-${to.value}.csv`.replace(/\s+/g, '-').toLowerCase();
      const link = h('a', {
        href: file.url,
        download: name,
        class: 'download',
        text: `Download ${name} (${file.rows} rows)`,
      });
      result.replaceChildren(link, ` — link valid until ${sydneyTime(Date.parse(file.expiresAt))}`);
    } catch (error) {
      result.textContent = `Could not prepare the file: ${(error as Error).message}`;
    }
  });
  return form;
}

export function createStationPanel(section: HTMLElement, graphql: Graphql, onClose: () => void): StationPanel {
  let openId: number | undefined;
  let generation = 0;

  const render = async (station: StationView, moveFocus: boolean) => {
    const mine = ++generation;
    openId = station.siteId;
    const heading = h('h2', { id: 'panel-title', tabindex: '-1', text: station.name });
    const close = h('button', { type: 'button', class: 'close', 'aria-label': 'Close station panel', text: '×' });
    close.addEventListener('click', () => {
      openId = undefined;
      section.hidden = true;
      section.replaceChildren();
      onClose();
    });
    const body = h('div', { class: 'panel-body', 'aria-busy': 'true' }, h('p', { text: 'Loading readings…' }));
    section.replaceChildren(
      h(
        'header',
        { class: 'panel-head' },
        heading,
        close,
        h('p', { class: 'panel-sub' }, chip(station.category), ` ${station.suburb} · ${station.region}`),
      ),
      body,
    );
    section.hidden = false;
    section.setAttribute('aria-label', stationLabel(station.name, station.category));
    if (moveFocus) heading.focus();

    const anchor = station.hourStart ? Date.parse(station.hourStart) : Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
    let readings: HourlyReading[];
    try {
      readings = await stationReadings(
        graphql,
        station,
        new Date(anchor - (WEEK_HOURS - 1) * HOUR_MS).toISOString(),
        new Date(anchor + HOUR_MS).toISOString(),
      );
    } catch (error) {
      if (mine === generation) body.replaceChildren(h('p', { role: 'alert', text: (error as Error).message }));
      return;
    }
    if (mine !== generation) return;
    const newest = readings[0];
    // Two charts side by side when there is room for both, else one per row.
    const room = body.clientWidth || 600;
    const width = Math.floor(room >= 640 ? Math.min(560, (room - 32) / 2) : Math.max(260, room - 8));
    const day = pollutantSeries(lastHours(readings, anchor, 24));
    const week = pollutantSeries(lastHours(readings, anchor, WEEK_HOURS));
    const charts = week.map((w) => {
      const d = day.find((x) => x.parameter === w.parameter);
      return h(
        'section',
        { class: 'pollutant', 'aria-label': pollutantName(w.parameter) },
        d ? chartFigure(d, '24h', width) : null,
        chartFigure(w, '7d', width),
      );
    });
    body.replaceChildren(
      newest ? latestTable(newest) : h('p', { text: 'No readings in the last 7 days.' }),
      h('h3', { text: 'Last 24 hours and 7 days' }),
      h('p', { class: 'hint', text: 'Solid: hourly value. Dashed: the rolling averages NSW publishes.' }),
      ...charts,
      exportForm(graphql, station),
    );
    body.removeAttribute('aria-busy');
    performance.mark('pulse:panel-rendered', { detail: { siteId: station.siteId } });
  };

  return {
    open: (station) => {
      performance.mark('pulse:panel-open', { detail: { siteId: station.siteId } });
      return render(station, true);
    },
    refresh: (station) => (openId === station.siteId ? render(station, false) : Promise.resolve()),
    openSiteId: () => openId,
  };
}
