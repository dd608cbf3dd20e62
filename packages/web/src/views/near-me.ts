/**
 * "Near me": the browser's location, or a typed suburb or station name (matched against the
 * stations' own suburbs and names: there is no geocoder offline), then nearestStations.
 */
import type { Graphql } from '../api/graphql-client';
import { nearestStations } from '../api/queries';
import { stationLabel } from '../domain/categories';
import { findPlace, type StationView } from '../domain/stations';
import { h } from './dom';

export function createNearMe(
  form: HTMLFormElement,
  results: HTMLElement,
  graphql: Graphql,
  stations: () => Iterable<StationView>,
  onSelect: (siteId: number) => void,
): void {
  const input = form.querySelector<HTMLInputElement>('input[name="place"]');
  const locate = form.querySelector<HTMLButtonElement>('button[data-action="locate"]');
  const show = async (latitude: number, longitude: number, from: string) => {
    results.textContent = 'Finding the nearest stations…';
    try {
      const near = await nearestStations(graphql, latitude, longitude, 5);
      if (near.length === 0) {
        results.textContent = 'No station has coordinates yet.';
        return;
      }
      const items = near.map((n) => {
        const b = h('button', {
          type: 'button',
          class: 'link',
          text: stationLabel(n.station.name, n.station.latest?.category),
        });
        b.addEventListener('click', () => onSelect(n.station.siteId));
        return h('li', {}, b, ` ${n.distanceKm.toFixed(1)} km`);
      });
      results.replaceChildren(h('p', { text: `Nearest to ${from}:` }), h('ol', {}, ...items));
    } catch (error) {
      results.textContent = `Could not find stations: ${(error as Error).message}`;
    }
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const typed = input?.value ?? '';
    const place = findPlace(stations(), typed);
    if (!place || place.latitude === null || place.longitude === null) {
      results.textContent = typed.trim()
        ? `No station suburb matches "${typed.trim()}". Try a station's suburb, or use your location.`
        : 'Type a suburb, or use your location.';
      return;
    }
    void show(place.latitude, place.longitude, place.suburb);
  });
  locate?.addEventListener('click', () => {
    if (!('geolocation' in navigator)) {
      results.textContent = 'This browser cannot share its location; type a suburb instead.';
      return;
    }
    results.textContent = 'Asking for your location…';
    navigator.geolocation.getCurrentPosition(
      (pos) => void show(pos.coords.latitude, pos.coords.longitude, 'your location'),
      (error) => {
        results.textContent = `Location unavailable (${error.message || 'permission denied'}); type a suburb instead.`;
      },
      { timeout: 10_000, maximumAge: 600_000 },
    );
  });
}
