/**
 * What the map and the list show for each station, and how a live update changes it. Pure: the
 * views repaint from what these functions answer.
 */
import type { AirQualityCategory } from '@opendata-pulse/shared/aqc';
import type { ApiStation, HourUpdate } from '../api/queries';
import { severity } from './categories';

export interface StationView {
  siteId: number;
  name: string;
  suburb: string;
  region: string;
  latitude: number | null;
  longitude: number | null;
  /** UTC start of the hour the category is for; null when the station has no reading */
  hourStart: string | null;
  category: AirQualityCategory | null;
  determiningPollutant: string | null;
}

export function toStationView(s: ApiStation): StationView {
  return {
    siteId: s.siteId,
    name: s.name,
    suburb: s.suburb,
    region: s.region,
    latitude: s.latitude,
    longitude: s.longitude,
    hourStart: s.latest?.hourStart ?? null,
    category: s.latest?.category ?? null,
    determiningPollutant: s.latest?.determiningPollutant ?? null,
  };
}

export const hasCoordinates = (s: StationView): s is StationView & { latitude: number; longitude: number } =>
  typeof s.latitude === 'number' && typeof s.longitude === 'number';

/**
 * Applies an update to the stations it names that show an older hour (or none); an update for an
 * hour the station already shows, or an older one, changes nothing. Answers the changed stations.
 */
export function applyHourUpdate(stations: Map<number, StationView>, update: HourUpdate): StationView[] {
  const at = Date.parse(update.hourStart);
  if (!Number.isFinite(at)) return [];
  const changed: StationView[] = [];
  for (const s of update.stations) {
    const current = stations.get(s.siteId);
    if (!current) continue;
    if (current.hourStart !== null && Date.parse(current.hourStart) >= at) continue;
    const next: StationView = {
      ...current,
      hourStart: update.hourStart,
      category: s.category,
      determiningPollutant: s.determiningPollutant,
    };
    stations.set(s.siteId, next);
    changed.push(next);
  }
  return changed;
}

/** Replaces what a fresh read says, keeping a station's newer hour when a live update got there first. */
export function mergeFresh(stations: Map<number, StationView>, fresh: readonly StationView[]): StationView[] {
  const changed: StationView[] = [];
  for (const f of fresh) {
    const current = stations.get(f.siteId);
    const newer =
      !current ||
      (f.hourStart !== null && (current.hourStart === null || Date.parse(f.hourStart) > Date.parse(current.hourStart)));
    if (newer) {
      stations.set(f.siteId, f);
      changed.push(f);
    }
  }
  return changed;
}

/** The newest hour any station shows (UTC start), or undefined. */
export function newestHour(stations: Iterable<StationView>): string | undefined {
  let newest: string | undefined;
  for (const s of stations) {
    if (s.hourStart && (!newest || Date.parse(s.hourStart) > Date.parse(newest))) newest = s.hourStart;
  }
  return newest;
}

export type SortOrder = 'category' | 'name';

/** By category (worst first, no data last, then name) or by name. */
export function sortStations(stations: Iterable<StationView>, order: SortOrder): StationView[] {
  const byName = (a: StationView, b: StationView) => a.name.localeCompare(b.name, 'en-AU');
  return [...stations].sort((a, b) =>
    order === 'category' ? severity(b.category) - severity(a.category) || byName(a, b) : byName(a, b),
  );
}

export function regionsOf(stations: Iterable<StationView>): string[] {
  return [...new Set([...stations].map((s) => s.region))].sort((a, b) => a.localeCompare(b, 'en-AU'));
}

/** A typed suburb or station name -> the station to measure from (exact match first, then prefix). */
export function findPlace(stations: Iterable<StationView>, typed: string): StationView | undefined {
  const q = typed.trim().toLowerCase();
  if (!q) return undefined;
  const located = [...stations].filter(hasCoordinates);
  return (
    located.find((s) => s.suburb.toLowerCase() === q || s.name.toLowerCase() === q) ??
    located.find((s) => s.suburb.toLowerCase().startsWith(q) || s.name.toLowerCase().startsWith(q))
  );
}
