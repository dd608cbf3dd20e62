/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The dashboard (packages/web/README.md): reads /config.json, lists the stations once
 * (listStations), draws the map and the list, then follows onHourUpdate so markers, the list and
 * an open station panel repaint without a reload. Talks only to the public GraphQL API.
 */
import { graphqlClient } from './api/graphql-client';
import { HOUR_UPDATES, type HourUpdate, listStations } from './api/queries';
import { subscribe } from './api/realtime-client';
import { type DashboardConfig, loadConfig } from './config';
import {
  applyHourUpdate,
  mergeFresh,
  newestHour,
  regionsOf,
  type SortOrder,
  type StationView,
  toStationView,
} from './domain/stations';
import { freshness } from './domain/sydney-time';
import { byId, h } from './views/dom';
import { renderLegend } from './views/legend';
import { createMapView } from './views/map-view';
import { createNearMe } from './views/near-me';
import { createStationList } from './views/station-list';
import { createStationPanel } from './views/station-panel';

function showError(message: string): void {
  byId('error').replaceChildren(h('p', { text: message }));
  byId('error').hidden = false;
}

async function start(config: DashboardConfig): Promise<void> {
  const graphql = graphqlClient(config);
  const stations = new Map<number, StationView>();
  byId('sample-banner').hidden = config.source !== 'sample';

  const select = (siteId: number) => {
    const s = stations.get(siteId);
    if (!s) return;
    map.focus(siteId);
    void panel.open(s);
  };
  const map = createMapView(byId('map'), config, select);
  const list = createStationList(byId<HTMLUListElement>('station-list'), select);
  let lastFocus: HTMLElement | null = null;
  const panel = createStationPanel(byId('panel'), graphql, () => lastFocus?.focus());
  document.addEventListener('focusin', (e) => {
    const t = e.target as HTMLElement;
    if (t.matches('button.station, button.marker, #near-results button')) lastFocus = t;
  });
  renderLegend(byId('legend'));

  const statusEl = byId('updated');
  const staleEl = byId('stale');
  const liveEl = byId('live');
  const paintStatus = () => {
    const f = freshness(newestHour(stations.values()), Date.now());
    statusEl.textContent = `updated ${f.updated}`;
    staleEl.hidden = !f.stale;
  };

  const fresh = (await listStations(graphql)).map(toStationView);
  mergeFresh(stations, fresh);
  map.render([...stations.values()]);
  list.render(stations.values());
  paintStatus();
  document.body.dataset.stations = String(stations.size);
  document.body.dataset.markers = String(map.markerCount());
  performance.mark('pulse:map-rendered');

  const regionSelect = byId<HTMLSelectElement>('region');
  regionSelect.append(...regionsOf(stations.values()).map((r) => h('option', { value: r, text: r })));
  regionSelect.addEventListener('change', () => {
    const region = regionSelect.value || null;
    map.filter(region);
    list.setRegion(region);
  });
  const sort = byId<HTMLSelectElement>('sort');
  sort.addEventListener('change', () => list.setOrder(sort.value as SortOrder));
  createNearMe(byId<HTMLFormElement>('near-me'), byId('near-results'), graphql, () => stations.values(), select);

  const repaint = (changed: StationView[]) => {
    if (changed.length === 0) return;
    for (const s of changed) map.update(s);
    list.render(stations.values());
    paintStatus();
    const openId = panel.openSiteId();
    const open = changed.find((s) => s.siteId === openId);
    if (open) void panel.refresh(open);
  };
  subscribe<{ onHourUpdate: HourUpdate | null }>(config, {
    query: HOUR_UPDATES,
    onData: (data) => {
      if (data.onHourUpdate) repaint(applyHourUpdate(stations, data.onHourUpdate));
    },
    onStatus: (status) => {
      liveEl.textContent = status === 'live' ? 'live' : status === 'connecting' ? 'connecting…' : 'reconnecting…';
      liveEl.dataset.status = status;
    },
    // Updates published while the socket was down are caught up by one read.
    onReconnect: () => {
      void listStations(graphql).then((s) => repaint(mergeFresh(stations, s.map(toStationView))));
    },
  });
  setInterval(paintStatus, 60_000);
  document.body.dataset.ready = 'true';
}

loadConfig()
  .then(start)
  .catch((error: unknown) => showError(`The dashboard could not start: ${(error as Error).message}`));
