/**
 * nearestStations and exportAirQualityData through the resolver Lambda, with the reader
 * and the export store in memory: argument rules, ranking, the CSV written, paging, the answer.
 */
import { readFileSync } from 'node:fs';
import { lambdaContext } from '@opendata-pulse/local/appsync';
import { EXPORTS_PREFIX } from '@opendata-pulse/shared/keys';
import type { Station } from '@opendata-pulse/shared/model';
import { createLogger } from '@opendata-pulse/shared/observability';
import { DAY_MS, HOUR_MS } from '@opendata-pulse/shared/time';
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { RouterRuntime } from '../../src/adapters/appsync/resolver-router';
import { createPipelineProbes } from '../../src/adapters/pipeline-probes';
import { createPageTokenCodec } from '../../src/domain/page-token';
import { createApiHandler } from '../../src/handler';
import type { HotAggregatesReader } from '../../src/use-cases/ports';
import { createStationDirectory } from '../../src/use-cases/station-directory';
import { reading, station } from '../support/fixtures';
import { inMemoryExportStore } from '../support/in-memory-export-store';
import { inMemoryReader } from '../support/in-memory-reader';

const NOW = Date.UTC(2026, 10, 20, 3, 20);
const logger = createLogger('opendata-pulse-api', 'SILENT');
const baseEvent = JSON.parse(readFileSync(new URL('../events/query-list-stations.json', import.meta.url), 'utf8'));
const event = (fieldName: string, args: Record<string, unknown>) => ({
  ...baseEvent,
  arguments: args,
  info: { ...baseEvent.info, fieldName, selectionSetList: [], selectionSetGraphQL: '' },
});

function apiWith(reader: HotAggregatesReader) {
  const exports = inMemoryExportStore();
  const runtime: RouterRuntime = {
    circuitOpen: false,
    deps: {
      reader,
      tokens: createPageTokenCodec(Buffer.alloc(32, 7)),
      probes: createPipelineProbes({}),
      now: () => NOW,
      logger,
      stationDirectory: createStationDirectory(reader, () => NOW),
      exports: exports.store,
      newId: () => '0f0e0d0c-test',
    },
  };
  const handler = createApiHandler({ logger, runtime: async () => runtime });
  return { invoke: (e: unknown) => handler(e, lambdaContext('opendata-pulse-api') as Context), exports };
}

async function refusal(promise: Promise<unknown>) {
  const error = (await promise.then(
    () => new Error('expected a refusal'),
    (e: Error) => e,
  )) as Error;
  return { errorType: error.name, message: error.message };
}

const located = (siteId: number, latitude: number | null, longitude: number | null): Station => ({
  ...station(siteId, `Site ${siteId}`, 'Sydney East'),
  latitude,
  longitude,
});

describe('nearestStations', () => {
  const stations = [located(1, -34, 151.25), located(2, null, null), located(3, -34, 151.5), located(4, -35, 151)];

  it('answers stations nearest first with their distance, five by default, from one read of the directory', async () => {
    // Prepare
    const { reader, calls } = inMemoryReader({ stations });
    const { invoke } = apiWith(reader);

    // Act
    const first = (await invoke(event('nearestStations', { latitude: -34, longitude: 151 }))) as {
      station: { siteId: number; latitude: number | null };
      distanceKm: number;
    }[];
    const second = (await invoke(event('nearestStations', { latitude: -34, longitude: 151, limit: 1 }))) as unknown[];

    // Assess
    expect(first.map((d) => d.station.siteId)).toEqual([1, 3, 4]);
    expect(first[0]).toEqual({
      station: { siteId: 1, name: 'Site 1', suburb: 'Site 1', region: 'Sydney East', latitude: -34, longitude: 151.25 },
      distanceKm: expect.closeTo(23.05, 1),
    });
    expect(second).toHaveLength(1);
    expect(calls.filter((c) => c.method === 'stations')).toEqual([{ method: 'stations', args: [undefined] }]);
  });

  it.each([
    [{ latitude: 90.5, longitude: 0 }, /"latitude" must be a number of degrees from -90 to 90 \(got 90.5\)/],
    [{ latitude: Number.NaN, longitude: 0 }, /"latitude" .* \(got NaN\)/],
    [{ latitude: 0, longitude: -180.01 }, /"longitude" must be a number of degrees from -180 to 180/],
    [{ latitude: 0, longitude: 0, limit: 0 }, /"limit" must be a whole number from 1 to 50 \(got 0\)/],
    [{ latitude: 0, longitude: 0, limit: 51 }, /"limit" must be a whole number from 1 to 50 \(got 51\)/],
    [{ latitude: 0, longitude: 0, limit: 2.5 }, /"limit"/],
    [
      { latitude: 0, longitude: 0, maxDistanceKm: -1 },
      /"maxDistanceKm" must be a finite number of kilometres, 0 or more/,
    ],
    [{ latitude: 0, longitude: 0, maxDistanceKm: Number.POSITIVE_INFINITY }, /"maxDistanceKm" .* \(got Infinity\)/],
  ])('refuses %o as BadRequest naming the argument', async (args, message) => {
    const { invoke } = apiWith(inMemoryReader({ stations }).reader);
    const refused = await refusal(invoke(event('nearestStations', args)));
    expect(refused.errorType).toBe('BadRequest');
    expect(refused.message).toMatch(message);
  });
});

describe('exportAirQualityData', () => {
  const rozelle = station(39, 'Rozelle', 'Sydney East');
  const hours = Array.from({ length: 1201 }, (_, i) => Date.UTC(2026, 9, 1) + i * HOUR_MS);

  it('pages through every reading of the range into one CSV and answers a URL valid 15 minutes', async () => {
    // Prepare: 1,201 hours (more than two pages of 500), two parameters each
    const { reader, calls } = inMemoryReader({ readings: hours.map((h) => reading(rozelle, h)) });
    const { invoke, exports } = apiWith(reader);
    const from = new Date(hours[0] as number).toISOString();
    const to = new Date((hours[1200] as number) + HOUR_MS).toISOString();

    // Act
    const answer = (await invoke(event('exportAirQualityData', { suburb: 'rozelle', from, to }))) as Record<
      string,
      unknown
    >;

    // Assess
    expect(answer).toEqual({
      url: expect.stringMatching(
        /^https:\/\/exports\.example\/exports\/rozelle-20261001T000000Z-20261120T010000Z-0f0e0d0c-test\.csv\?expires=900$/,
      ),
      expiresAt: new Date(NOW + 15 * 60_000).toISOString(),
      rows: 2402,
    });
    expect(calls.filter((c) => c.method === 'readingsOfStations')).toHaveLength(3);
    const [key, file] = [...exports.objects.entries()][0] ?? [];
    expect(key?.startsWith(EXPORTS_PREFIX)).toBe(true);
    expect(file?.contentType).toBe('text/csv; charset=utf-8');
    const lines = file?.body.split('\r\n') ?? [];
    expect(lines).toHaveLength(1 + 2402 + 1); // header, rows, the empty string after the last CRLF
    expect(lines[1]).toMatch(/^39,Rozelle,Rozelle,Sydney East,2026-11-20T00:00:00Z,2026-11-20T12:00:00\+11:00,PM2\.5,/);
    expect(lines[2402]).toMatch(
      /^39,Rozelle,Rozelle,Sydney East,2026-10-01T00:00:00Z,2026-10-01T11:00:00\+10:00,TEMP,18\.5,°C,,$/,
    );
  });

  it('writes a header-only file for a suburb with no readings (not an error)', async () => {
    const { invoke, exports } = apiWith(inMemoryReader({}).reader);
    const answer = (await invoke(
      event('exportAirQualityData', { suburb: 'Nowhere', from: '2026-11-01T00:00:00Z', to: '2026-11-02T00:00:00Z' }),
    )) as { rows: number };
    expect(answer.rows).toBe(0);
    expect([...exports.objects.values()][0]?.body).toBe(
      'site_id,site_name,suburb,region,hour_start_utc,hour_end_local,parameter,value,unit,category,flags\r\n',
    );
  });

  it.each([
    [{ suburb: 'Rozelle', from: '2026-11-02T00:00:00Z', to: '2026-11-01T00:00:00Z' }, /"from" .* must be before "to"/],
    [
      {
        suburb: 'Rozelle',
        from: '2025-11-01T00:00:00Z',
        to: new Date(Date.UTC(2025, 10, 1) + 367 * DAY_MS).toISOString(),
      },
      /spans 367 days; a query covers at most 366 days/,
    ],
    [
      { suburb: 'x'.repeat(101), from: '2026-11-01T00:00:00Z', to: '2026-11-02T00:00:00Z' },
      /"suburb" must be at most 100 characters/,
    ],
    [{ suburb: '  ', from: '2026-11-01T00:00:00Z', to: '2026-11-02T00:00:00Z' }, /"suburb" must not be blank/],
    [{ suburb: 'Rozelle', to: '2026-11-02T00:00:00Z' }, /"from" is required/],
    [{ suburb: 'Rozelle', from: '2026-11-01', to: '2026-11-02T00:00:00Z' }, /"from" must be an AWSDateTime/],
  ])('refuses %o as BadRequest and writes nothing', async (args, message) => {
    const { invoke, exports } = apiWith(inMemoryReader({}).reader);
    const refused = await refusal(invoke(event('exportAirQualityData', args)));
    expect(refused.errorType).toBe('BadRequest');
    expect(refused.message).toMatch(message);
    expect(exports.objects.size).toBe(0);
  });

  it('accepts exactly 366 days', async () => {
    const { invoke } = apiWith(inMemoryReader({}).reader);
    const from = Date.UTC(2025, 10, 1);
    const answer = await invoke(
      event('exportAirQualityData', {
        suburb: 'Rozelle',
        from: new Date(from).toISOString(),
        to: new Date(from + 366 * DAY_MS).toISOString(),
      }),
    );
    expect(answer).toMatchObject({ rows: 0 });
  });
});
