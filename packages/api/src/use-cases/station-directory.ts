/**
 * The station directory (every station of the STATIONS partition) kept in the function for
 * STATION_DIRECTORY_TTL_MS, so that `nearestStations` ranks ~150 stations without reading them
 * on every call. Five minutes, like AppSync's resolver cache in front of it (appsync.yml, ttl 300):
 * a station added by the ETL shows within the same bound as every other cached answer. Concurrent
 * callers share one read; a failed read is not kept.
 */
import { keys } from '@opendata-pulse/shared/keys';
import type { Station } from '@opendata-pulse/shared/model';
import type { HotAggregatesReader } from './ports';

export const STATION_DIRECTORY_TTL_MS = 5 * 60_000;
/**
 * A suburb the kept directory does not know may be a station the ETL has added since it was read:
 * such a miss reads the directory again once it is this old, so a new station's readings show
 * within seconds, and queries for suburbs that do not exist cost at most one read per interval.
 */
export const STATION_DIRECTORY_MISS_REFRESH_MS = 10_000;

export interface StationDirectory {
  all(): Promise<Station[]>;
  /**
   * Site ids of a suburb's stations, matched as suburb keys match (case and white space aside):
   * how a suburb's readings are found, since readings stay out of the index.
   */
  inSuburb(suburb: string): Promise<number[]>;
}

export function createStationDirectory(
  reader: Pick<HotAggregatesReader, 'stations'>,
  now: () => number,
  ttlMs: number = STATION_DIRECTORY_TTL_MS,
): StationDirectory {
  let held: { at: number; stations: Promise<Station[]> } | undefined;
  function all(maxAgeMs: number): Promise<Station[]> {
    const t = now();
    if (held && t - held.at < maxAgeMs) return held.stations;
    const entry = { at: t, stations: reader.stations() };
    held = entry;
    entry.stations.catch(() => {
      if (held === entry) held = undefined;
    });
    return entry.stations;
  }
  return {
    async inSuburb(suburb) {
      const wanted = keys.suburb(suburb);
      const match = (stations: Station[]) =>
        stations.filter((s) => keys.suburb(s.suburb) === wanted).map((s) => s.siteId);
      const found = match(await all(ttlMs));
      return found.length > 0 ? found : match(await all(Math.min(ttlMs, STATION_DIRECTORY_MISS_REFRESH_MS)));
    },
    all: () => all(ttlMs),
  };
}
