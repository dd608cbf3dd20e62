/**
 * The resolver table: one entry per `Type.field` that has a resolver in appsync.yml (a unit test
 * keeps the two equal). Each entry is a thin adapter: read the arguments, call one use case, map
 * the result to the schema's shape.
 */
import { UnauthorizedError } from '@opendata-pulse/shared/errors';
import type { Logger } from '@opendata-pulse/shared/observability';
import type { PageTokenCodec } from '../../domain/page-token';
import {
  optionalDate,
  optionalDateTime,
  optionalDistanceKm,
  optionalString,
  optionalToken,
  parseLimit,
  parseNearestLimit,
  requiredCoordinate,
  requiredDateTime,
  requiredInt,
  requiredString,
} from '../../domain/query-arguments';
import { exportAirQualityData } from '../../use-cases/export-air-quality-data.use-case';
import { getAirQualityData } from '../../use-cases/get-air-quality-data.use-case';
import { getDailySummary } from '../../use-cases/get-daily-summary.use-case';
import { latestForStations, latestReadings } from '../../use-cases/get-latest-readings.use-case';
import { getRegionSummary } from '../../use-cases/get-region-summary.use-case';
import { getStation } from '../../use-cases/get-station.use-case';
import { systemHealth } from '../../use-cases/get-system-health.use-case';
import { listRegions } from '../../use-cases/list-regions.use-case';
import { listStations } from '../../use-cases/list-stations.use-case';
import { nearestStations } from '../../use-cases/nearest-stations.use-case';
import type { ExportStore, HotAggregatesReader, PipelineProbes } from '../../use-cases/ports';
import type { StationDirectory } from '../../use-cases/station-directory';
import { type AppSyncEvent, cognitoGroups } from './appsync-event';
import { connectionView, dailyView, readingView, regionHourView, stationView } from './graphql-views';

export const OPERATORS_GROUP = 'operators';

export interface ResolverDeps {
  reader: HotAggregatesReader;
  tokens: PageTokenCodec;
  probes: PipelineProbes;
  now: () => number;
  logger: Logger;
  // nearestStations and exportAirQualityData
  /** the station directory, kept in the function for five minutes */
  stationDirectory: StationDirectory;
  /** the curated bucket's exports/ prefix */
  exports: ExportStore;
  /** a unique id per export (its key) */
  newId: () => string;
}

export type Route =
  | { kind: 'single'; resolve: (event: AppSyncEvent, deps: ResolverDeps) => Promise<unknown> }
  /** one result per event, in order; an Error in a slot fails that item alone */
  | { kind: 'batch'; resolve: (events: AppSyncEvent[], deps: ResolverDeps) => Promise<unknown[]> };

const single = (resolve: (event: AppSyncEvent, deps: ResolverDeps) => Promise<unknown>): Route => ({
  kind: 'single',
  resolve,
});

export const ROUTES: Readonly<Record<string, Route>> = {
  'Query.getAirQualityData': single(async ({ arguments: a }, deps) => {
    const input = {
      suburb: requiredString('suburb', a.suburb),
      from: optionalDateTime('from', a.from),
      to: optionalDateTime('to', a.to),
      limit: parseLimit(a.limit),
      nextToken: optionalToken(a.nextToken),
    };
    return connectionView(await getAirQualityData(input, deps), readingView);
  }),

  'Query.listStations': single(async ({ arguments: a }, deps) =>
    (await listStations(optionalString('region', a.region), deps)).map(stationView),
  ),

  'Query.getStation': single(async ({ arguments: a }, deps) => {
    const station = await getStation(requiredInt('siteId', a.siteId), deps);
    return station && stationView(station);
  }),

  'Query.listRegions': single(async (_event, deps) => listRegions(deps)),

  'Query.getRegionSummary': single(async ({ arguments: a }, deps) => {
    const input = {
      region: requiredString('region', a.region),
      from: optionalDateTime('from', a.from),
      to: optionalDateTime('to', a.to),
      limit: parseLimit(a.limit),
      nextToken: optionalToken(a.nextToken),
    };
    return connectionView(await getRegionSummary(input, deps), regionHourView);
  }),

  'Query.getDailySummary': single(async ({ arguments: a }, deps) => {
    const input = {
      siteId: requiredInt('siteId', a.siteId),
      from: optionalDate('from', a.from),
      to: optionalDate('to', a.to),
      limit: parseLimit(a.limit),
      nextToken: optionalToken(a.nextToken),
    };
    return connectionView(await getDailySummary(input, deps), dailyView);
  }),

  'Query.latestReadings': single(async ({ arguments: a }, deps) =>
    (await latestReadings(requiredString('region', a.region), deps)).map(readingView),
  ),

  // nearestStations and exportAirQualityData
  'Query.nearestStations': single(async ({ arguments: a }, deps) => {
    const input = {
      latitude: requiredCoordinate('latitude', a.latitude),
      longitude: requiredCoordinate('longitude', a.longitude),
      limit: parseNearestLimit(a.limit),
      maxDistanceKm: optionalDistanceKm(a.maxDistanceKm),
    };
    return (await nearestStations(input, deps)).map(({ station, distanceKm }) => ({
      station: stationView(station),
      distanceKm,
    }));
  }),

  'Query.exportAirQualityData': single(async ({ arguments: a }, deps) => {
    const input = {
      suburb: requiredString('suburb', a.suburb),
      from: requiredDateTime('from', a.from),
      to: requiredDateTime('to', a.to),
    };
    const { url, expiresAt, rows } = await exportAirQualityData(input, deps);
    return { url, expiresAt, rows };
  }),

  // AppSync enforces the group; checking again keeps a direct invocation from bypassing it.
  'Query.systemHealth': single(async ({ identity }, deps) => {
    if (!cognitoGroups(identity).includes(OPERATORS_GROUP)) {
      throw new UnauthorizedError(`systemHealth is for the Cognito group "${OPERATORS_GROUP}"`);
    }
    return systemHealth(deps);
  }),

  // Batched (maxBatchSize in appsync.yml): one BatchGetItem for all the stations of a list.
  'Station.latest': {
    kind: 'batch',
    async resolve(events, deps) {
      const ids = events.map((e) => e.source?.siteId);
      const valid = ids.filter((id): id is number => typeof id === 'number' && Number.isInteger(id));
      const found = await latestForStations(valid, deps);
      const byId = new Map(valid.map((id, i) => [id, found[i]]));
      return ids.map((id) => {
        if (typeof id !== 'number' || !byId.has(id))
          return new Error('Station.latest was invoked without a station source');
        const reading = byId.get(id);
        return reading ? readingView(reading) : null;
      });
    },
  },
};
