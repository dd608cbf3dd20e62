/**
 * The map: NSW's outline (bundled, works offline), optional online tiles when config.tiles says so,
 * the air-quality regions as labelled groups around their stations, and one marker per station
 * with coordinates. A marker is a real <button> whose accessible name is `<name> — <category>`,
 * filled with the category's colour.
 */
import L from 'leaflet';
import type { DashboardConfig } from '../config';
import { CATEGORY_STYLES, categoryKey, severity, stationLabel } from '../domain/categories';
import { hasCoordinates, type StationView } from '../domain/stations';
import nswOutline from '../map/nsw-outline.json';

const NATURAL_EARTH = 'NSW outline: <a href="https://www.naturalearthdata.com/">Natural Earth</a> (public domain)';
const MARKER_PX = 22;
/** Padding around a region's stations, in degrees (about 5 km). */
const REGION_PAD = 0.05;

export interface MapView {
  /** Puts every station with coordinates on the map (once, at start). */
  render(stations: readonly StationView[]): void;
  /** Repaints one station's marker (colour, name) after its category changed. */
  update(station: StationView): void;
  /** Shows only the stations of a region (all when null) and frames them. */
  filter(region: string | null): void;
  focus(siteId: number): void;
  markerCount(): number;
}

function paint(button: HTMLButtonElement, station: StationView): void {
  const key = categoryKey(station.category);
  const label = stationLabel(station.name, station.category);
  button.setAttribute('aria-label', label);
  button.title = label;
  button.dataset.category = key;
  button.style.background = CATEGORY_STYLES[key].colour;
}

/** Convex hull (monotone chain) of points given as [lat, lng]. */
function hull(points: [number, number][]): [number, number][] {
  const p = [...points].sort((a, b) => a[1] - b[1] || a[0] - b[0]);
  if (p.length < 3) return p;
  const cross = (o: [number, number], a: [number, number], b: [number, number]) =>
    (a[1] - o[1]) * (b[0] - o[0]) - (a[0] - o[0]) * (b[1] - o[1]);
  const half = (pts: [number, number][]) => {
    const out: [number, number][] = [];
    for (const q of pts) {
      while (out.length >= 2 && cross(out[out.length - 2] as never, out[out.length - 1] as never, q) <= 0) out.pop();
      out.push(q);
    }
    out.pop();
    return out;
  };
  return [...half(p), ...half([...p].reverse())];
}

/** A region's outline: the hull of a small circle around each of its stations. */
function regionShape(stations: readonly { latitude: number; longitude: number }[]): [number, number][] {
  const around: [number, number][] = [];
  for (const s of stations) {
    for (let i = 0; i < 12; i++) {
      const a = (i / 12) * 2 * Math.PI;
      around.push([s.latitude + REGION_PAD * Math.sin(a), s.longitude + (REGION_PAD * Math.cos(a)) / 0.83]);
    }
  }
  return hull(around);
}

export function createMapView(
  container: HTMLElement,
  config: DashboardConfig,
  onSelect: (siteId: number) => void,
): MapView {
  const map = L.map(container, {
    zoomSnap: 0.25,
    minZoom: 4,
    maxZoom: config.tiles ? 14 : 11,
    attributionControl: true,
    zoomControl: true,
  });
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  map.attributionControl.addAttribution(NATURAL_EARTH);
  if (config.tiles) L.tileLayer(config.tiles.url, { attribution: config.tiles.attribution }).addTo(map);
  const outline = L.geoJSON(nswOutline as GeoJSON.FeatureCollection, {
    interactive: false,
    style: { color: '#7d8896', weight: 1, fillColor: '#f4f1e8', fillOpacity: config.tiles ? 0.15 : 1 },
  }).addTo(map);
  map.fitBounds(outline.getBounds(), { animate: false });

  const markers = new Map<number, { marker: L.Marker; button: HTMLButtonElement; station: StationView }>();
  const regions = new Map<string, L.LayerGroup>();
  let shown: L.LatLngBounds | undefined;

  const frame = (bounds: L.LatLngBounds | undefined) => {
    if (bounds?.isValid()) map.fitBounds(bounds.pad(0.15), { maxZoom: 10, animate: false });
  };

  return {
    render(stations) {
      const located = stations.filter(hasCoordinates);
      const byRegion = new Map<string, typeof located>();
      for (const s of located) byRegion.set(s.region, [...(byRegion.get(s.region) ?? []), s]);
      for (const [region, members] of byRegion) {
        const outlinePoints = regionShape(members);
        const shape = L.polygon(outlinePoints, {
          interactive: false,
          color: '#44546a',
          weight: 1,
          dashArray: '4 4',
          fillOpacity: 0.04,
        });
        // The label sits above the group's northern edge, clear of its markers.
        const north = outlinePoints.reduce((a, b) => (b[0] > a[0] ? b : a));
        const label = L.tooltip({ permanent: true, direction: 'top', className: 'region-label', opacity: 1 })
          .setLatLng(north)
          .setContent(region);
        regions.set(region, L.layerGroup([shape, label]).addTo(map));
      }
      for (const s of located) {
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'marker';
        button.dataset.siteId = String(s.siteId);
        paint(button, s);
        L.DomEvent.disableClickPropagation(button);
        button.addEventListener('click', () => onSelect(s.siteId));
        const icon = L.divIcon({ className: 'marker-slot', iconSize: [MARKER_PX, MARKER_PX], html: button });
        const marker = L.marker([s.latitude, s.longitude], {
          icon,
          keyboard: false,
          interactive: false,
          // Where markers overlap, the worse air is drawn on top.
          zIndexOffset: (severity(s.category) + 1) * 1000,
        }).addTo(map);
        markers.set(s.siteId, { marker, button, station: s });
      }
      shown = located.length ? L.latLngBounds(located.map((s) => [s.latitude, s.longitude])) : undefined;
      frame(shown);
    },
    update(station) {
      const entry = markers.get(station.siteId);
      if (!entry) return;
      entry.station = station;
      paint(entry.button, station);
      entry.marker.setZIndexOffset((severity(station.category) + 1) * 1000);
    },
    filter(region) {
      const bounds: [number, number][] = [];
      for (const { marker, station } of markers.values()) {
        const visible = region === null || station.region === region;
        if (visible && !map.hasLayer(marker)) marker.addTo(map);
        if (!visible && map.hasLayer(marker)) marker.remove();
        if (visible && hasCoordinates(station)) bounds.push([station.latitude, station.longitude]);
      }
      for (const [name, shape] of regions) {
        const visible = region === null || name === region;
        if (visible && !map.hasLayer(shape)) shape.addTo(map);
        if (!visible && map.hasLayer(shape)) shape.remove();
      }
      frame(bounds.length ? L.latLngBounds(bounds) : shown);
    },
    focus(siteId) {
      const entry = markers.get(siteId);
      if (entry) map.panTo(entry.marker.getLatLng(), { animate: false });
    },
    markerCount: () => markers.size,
  };
}
