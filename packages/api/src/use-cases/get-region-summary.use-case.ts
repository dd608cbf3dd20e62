import { keys } from '@opendata-pulse/shared/keys';
import type { RegionHourSummary } from '@opendata-pulse/shared/model';
import type { PageTokenCodec } from '../domain/page-token';
import { type HourWindow, resolveHourWindow } from '../domain/query-arguments';
import { type Connection, pagedQuery } from './paged-query';
import type { HotAggregatesReader } from './ports';

export interface GetRegionSummaryInput {
  region: string;
  from?: number | undefined;
  to?: number | undefined;
  limit: number;
  nextToken?: string | undefined;
}

/** A region's hourly worst category, newest first, one page at a time. */
export function getRegionSummary(
  input: GetRegionSummaryInput,
  deps: { reader: HotAggregatesReader; tokens: PageTokenCodec; now: () => number },
): Promise<Connection<RegionHourSummary>> {
  return pagedQuery({
    tokens: deps.tokens,
    scope: {
      query: 'getRegionSummary',
      args: { region: keys.region(input.region), from: input.from ?? null, to: input.to ?? null },
    },
    nextToken: input.nextToken,
    resolveWindow: (): HourWindow & Record<string, number> => ({ ...resolveHourWindow(input, deps.now()) }),
    read: (window, startKey) => deps.reader.regionHours(input.region, window, input.limit, startKey),
  });
}
