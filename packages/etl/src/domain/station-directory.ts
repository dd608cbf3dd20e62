/**
 * Stations for the readings of an hour: the observations' Site_Id joined with NSW's site list (the
 * reference zone's sites.json). A site the list does not know, or no list at all, gives a
 * fallback station the reading is flagged with; the hour is never failed for it.
 */
import type { Station } from '@opendata-pulse/shared/model';
import { isRealSite, stationFromSite } from '@opendata-pulse/shared/model';
import type { NswSite } from '@opendata-pulse/shared/nsw';

export const UNKNOWN_REGION = 'Unknown';

/** Why the directory has no stations, when it has none. */
export type DirectoryState = 'reference' | 'missing' | 'unreadable';

export interface StationDirectory {
  readonly state: DirectoryState;
  /** the reference's fetchedAt, when there is one */
  readonly fetchedAt?: string;
  /** undefined when the reference does not know the site (or is a placeholder row) */
  lookup(siteId: number): Station | undefined;
}

export interface ResolvedStation {
  station: Station;
  /** true when the station is the fallback, not the reference's */
  fallback: boolean;
}

export function stationDirectory(sites: readonly NswSite[], fetchedAt?: string): StationDirectory {
  const bySite = new Map<number, Station>();
  for (const site of sites) {
    // Placeholder rows (SiteName = Region) are not stations; a real row wins over a duplicate.
    if (isRealSite(site) && !bySite.has(site.Site_Id)) bySite.set(site.Site_Id, stationFromSite(site));
  }
  return { state: 'reference', ...(fetchedAt ? { fetchedAt } : {}), lookup: (siteId) => bySite.get(siteId) };
}

export function emptyDirectory(state: Exclude<DirectoryState, 'reference'>): StationDirectory {
  return { state, lookup: () => undefined };
}

export function fallbackStation(siteId: number): Station {
  const name = `Station ${siteId}`;
  return { siteId, name, suburb: name, region: UNKNOWN_REGION, latitude: null, longitude: null };
}

export function resolveStation(directory: StationDirectory, siteId: number): ResolvedStation {
  const station = directory.lookup(siteId);
  return station ? { station, fallback: false } : { station: fallbackStation(siteId), fallback: true };
}
