import type { DailySummary } from '@opendata-pulse/shared/model';
import type { PageTokenCodec } from '../domain/page-token';
import { type DayWindow, resolveDayWindow } from '../domain/query-arguments';
import { type Connection, pagedQuery } from './paged-query';
import type { HotAggregatesReader } from './ports';

export interface GetDailySummaryInput {
  siteId: number;
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
  nextToken?: string | undefined;
}

/** One station's daily summaries, newest first, one page at a time. */
export function getDailySummary(
  input: GetDailySummaryInput,
  deps: { reader: HotAggregatesReader; tokens: PageTokenCodec; now: () => number },
): Promise<Connection<DailySummary>> {
  return pagedQuery({
    tokens: deps.tokens,
    scope: { query: 'getDailySummary', args: { siteId: input.siteId, from: input.from ?? null, to: input.to ?? null } },
    nextToken: input.nextToken,
    resolveWindow: (): DayWindow & Record<string, string> => ({ ...resolveDayWindow(input, deps.now()) }),
    read: (window, startKey) => deps.reader.dailySummaries(input.siteId, window, input.limit, startKey),
  });
}
