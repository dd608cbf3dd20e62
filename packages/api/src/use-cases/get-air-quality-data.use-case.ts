import { keys } from '@opendata-pulse/shared/keys';
import type { HourlyReading } from '@opendata-pulse/shared/model';
import type { PageTokenCodec } from '../domain/page-token';
import { type HourWindow, resolveHourWindow } from '../domain/query-arguments';
import { type Connection, pagedQuery } from './paged-query';
import type { HotAggregatesReader } from './ports';
import type { StationDirectory } from './station-directory';

export interface GetAirQualityDataInput {
  suburb: string;
  from?: number | undefined;
  to?: number | undefined;
  limit: number;
  nextToken?: string | undefined;
}

/** Hourly readings of a suburb's stations (the station directory's), newest first, one page at a time. */
export function getAirQualityData(
  input: GetAirQualityDataInput,
  deps: { reader: HotAggregatesReader; tokens: PageTokenCodec; now: () => number; stationDirectory: StationDirectory },
): Promise<Connection<HourlyReading>> {
  return pagedQuery({
    tokens: deps.tokens,
    // Bound to the suburb's partition (so "Rozelle" and "rozelle" page alike) and the given bounds.
    scope: {
      query: 'getAirQualityData',
      args: { suburb: keys.suburb(input.suburb), from: input.from ?? null, to: input.to ?? null },
    },
    nextToken: input.nextToken,
    resolveWindow: (): HourWindow & Record<string, number> => ({ ...resolveHourWindow(input, deps.now()) }),
    read: async (window, startKey) =>
      deps.reader.readingsOfStations(await deps.stationDirectory.inSuburb(input.suburb), window, input.limit, startKey),
  });
}
