import { readFileSync } from 'node:fs';
import { lambdaContext } from '@opendata-pulse/local/appsync';
import { INTERNAL_ERROR_MESSAGE } from '@opendata-pulse/shared/errors';
import { createLogger } from '@opendata-pulse/shared/observability';
import { HOUR_MS } from '@opendata-pulse/shared/time';
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

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../events/${name}.json`, import.meta.url), 'utf8'));

const NOW = Date.UTC(2026, 10, 20, 3, 20);
const logger = createLogger('opendata-pulse-api', 'SILENT');
const rozelle = station(39, 'Rozelle', 'Sydney East');
const randwick = station(2, 'Randwick', 'Sydney East');
const earlwood = station(7, 'Earlwood', 'Sydney East');
const hours = Array.from({ length: 12 }, (_, i) => Date.UTC(2026, 10, 19, 12 + i));

function apiWith(reader: HotAggregatesReader, options: { circuitOpen?: boolean } = {}) {
  const runtime: RouterRuntime = {
    circuitOpen: options.circuitOpen ?? false,
    deps: {
      reader,
      tokens: createPageTokenCodec(Buffer.alloc(32, 7)),
      probes: createPipelineProbes({}),
      now: () => NOW,
      logger,
      stationDirectory: createStationDirectory(reader, () => NOW),
      exports: inMemoryExportStore().store,
      newId: () => 'test-export',
    },
  };
  const handler = createApiHandler({ logger, runtime: async () => runtime });
  return (event: unknown) => handler(event, lambdaContext('opendata-pulse-api') as Context);
}

describe('the resolver Lambda, given AppSync direct-Lambda events', () => {
  it("answers getAirQualityData with a page in the schema's shape, newest first", async () => {
    // Prepare
    const { reader, calls } = inMemoryReader({ readings: hours.map((h) => reading(rozelle, h)) });
    const invoke = apiWith(reader);

    // Act
    const result = (await invoke(fixture('query-get-air-quality-data-api-key'))) as {
      items: Record<string, unknown>[];
      nextToken: string | null;
    };

    // Assess
    expect(result.items.map((r) => r.hourStart)).toEqual([
      new Date(hours[11] as number).toISOString(),
      new Date(hours[10] as number).toISOString(),
    ]);
    expect(result.items[0]).toMatchObject({
      siteId: 39,
      suburb: 'Rozelle',
      determiningPollutant: 'PM2.5',
      source: { rawKey: 'nsw-air-quality/raw/2026/11/19/23.json' },
    });
    expect(result.items[0]?.measurements).toContainEqual({
      parameter: 'TEMP',
      value: 18.5,
      unit: '°C',
      category: null,
      nswCategory: null,
      flags: [],
      rolling: [],
    });
    expect(result.nextToken).toMatch(/^v1\./);
    // "from" 2026-11-19T00:00+11:00 is 13:00Z the day before; "to" defaults to the end of the current hour.
    // The suburb "ROZELLE" is its station, 39, found in the station directory.
    expect(calls.find((c) => c.method === 'readingsOfStations')?.args.slice(0, 3)).toEqual([
      [39],
      { fromMs: Date.UTC(2026, 10, 18, 13), toMs: Date.UTC(2026, 10, 20, 4) },
      2,
    ]);
  });

  it('continues from its nextToken with the same window, even after "now" has moved on', async () => {
    // Prepare
    const { reader } = inMemoryReader({ readings: hours.map((h) => reading(rozelle, h)) });
    const invoke = apiWith(reader);
    const event = fixture('query-get-air-quality-data-api-key') as { arguments: Record<string, unknown> };
    const first = (await invoke(event)) as { nextToken: string };

    // Act
    const second = (await invoke({ ...event, arguments: { ...event.arguments, nextToken: first.nextToken } })) as {
      items: { hourStart: string }[];
    };

    // Assess
    expect(second.items.map((r) => Date.parse(r.hourStart))).toEqual([hours[9], hours[8]]);
  });

  it.each([
    ['query-get-air-quality-data-bad-limit', '"limit" must be from 1 to 500 (got 501)'],
    ['query-get-air-quality-data-bad-datetime', '"from" must be an AWSDateTime'],
  ])('throws a BadRequest that Lambda reports as errorType/errorMessage for %s', async (name, message) => {
    // Prepare
    const { reader, calls } = inMemoryReader({});
    const invoke = apiWith(reader);

    // Act
    const failure = await invoke(fixture(name)).catch((error: Error) => error);

    // Assess
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).name).toBe('BadRequest');
    expect((failure as Error).message).toContain(message);
    expect(calls).toEqual([]);
  });

  it('hides the details of an internal failure behind a generic message', async () => {
    // Prepare
    const { reader } = inMemoryReader({});
    reader.readingsOfStations = async () => {
      throw new Error('ResourceNotFoundException: table arn:aws:dynamodb:ap-southeast-2:123456789012:table/secret');
    };
    const invoke = apiWith(reader);

    // Act
    const failure = (await invoke(fixture('query-get-air-quality-data-api-key')).catch((e: Error) => e)) as Error;

    // Assess
    expect(failure.name).toBe('InternalError');
    expect(failure.message).toBe(INTERNAL_ERROR_MESSAGE);
    expect(failure.message).not.toContain('secret');
  });

  it('answers a Station.latest BatchInvoke with one { data } per event from one batched read', async () => {
    // Prepare: Earlwood has no latest reading yet
    const latestHour = hours[11] as number;
    const { reader, calls } = inMemoryReader({
      stations: [rozelle, randwick, earlwood],
      latest: [reading(rozelle, latestHour), reading(randwick, latestHour - HOUR_MS)],
    });
    const invoke = apiWith(reader);

    // Act
    const result = (await invoke(fixture('batch-station-latest'))) as { data: { siteId: number } | null }[];

    // Assess
    expect(result).toHaveLength(3);
    expect(result[0]?.data).toMatchObject({ siteId: 39, hourStart: new Date(latestHour).toISOString() });
    expect(result[1]?.data).toMatchObject({ siteId: 2 });
    expect(result[2]).toEqual({ data: null });
    expect(calls).toEqual([{ method: 'latestFor', args: [[39, 2, 7]] }]);
  });

  it('fails every item of a batch, each with the generic message, when the batched read fails', async () => {
    // Prepare
    const { reader } = inMemoryReader({});
    reader.latestFor = async () => {
      throw new Error('ProvisionedThroughputExceededException on internal partition 7');
    };
    const invoke = apiWith(reader);

    // Act
    const result = await invoke(fixture('batch-station-latest'));

    // Assess
    expect(result).toEqual(
      Array.from({ length: 3 }, () => ({
        data: null,
        errorType: 'InternalError',
        errorMessage: INTERNAL_ERROR_MESSAGE,
      })),
    );
  });

  it('gives systemHealth to an operator and refuses a signed-in user outside "operators"', async () => {
    // Prepare
    const { reader } = inMemoryReader({ stations: [rozelle], latest: [reading(rozelle, hours[11] as number)] });
    const invoke = apiWith(reader);

    // Act
    const health = (await invoke(fixture('query-system-health-operator'))) as Record<string, unknown>;
    const refused = (await invoke(fixture('query-system-health-signed-in-user')).catch((e: Error) => e)) as Error;

    // Assess
    expect(health).toMatchObject({
      checkedAt: new Date(NOW).toISOString(),
      lastEtlHour: new Date(hours[11] as number).toISOString(),
      dataAgeMinutes: 200,
      stationCount: 1,
      stationsReporting: 1,
      dlqDepth: null,
    });
    expect(health.problems).toContain('newest data is 200 minutes old (limit 120)');
    expect(refused.name).toBe('Unauthorized');
  });

  it("lists stations in the schema's shape", async () => {
    // Prepare
    const { reader } = inMemoryReader({ stations: [rozelle, randwick, station(500, 'Wollongong', 'Illawarra')] });
    const invoke = apiWith(reader);

    // Act
    const result = await invoke(fixture('query-list-stations'));

    // Assess
    expect(result).toEqual([
      { siteId: 39, name: 'Rozelle', suburb: 'Rozelle', region: 'Sydney East', latitude: -33.8, longitude: 151.1 },
      { siteId: 2, name: 'Randwick', suburb: 'Randwick', region: 'Sydney East', latitude: -33.8, longitude: 151.1 },
    ]);
  });

  it('answers every field with CircuitOpen while the circuit breaker is on', async () => {
    // Prepare
    const invoke = apiWith(inMemoryReader({}).reader, { circuitOpen: true });

    // Act
    const single = (await invoke(fixture('query-list-stations')).catch((e: Error) => e)) as Error;
    const batch = (await invoke(fixture('batch-station-latest'))) as { errorType: string }[];

    // Assess
    expect(single.name).toBe('CircuitOpen');
    expect(batch.map((r) => r.errorType)).toEqual(['CircuitOpen', 'CircuitOpen', 'CircuitOpen']);
  });

  it('answers a 20,000-character suburb with BadRequest naming the bound, without reading the table', async () => {
    // Prepare
    const { reader, calls } = inMemoryReader({ readings: hours.map((h) => reading(rozelle, h)) });
    const invoke = apiWith(reader);
    const event = fixture('query-get-air-quality-data-api-key') as { arguments: Record<string, unknown> };
    event.arguments = { suburb: 'x'.repeat(20_000) };

    // Act
    const failure = (await invoke(event).catch((e: Error) => e)) as Error;

    // Assess
    expect(failure.name).toBe('BadRequest');
    expect(failure.message).toBe('"suburb" must be at most 100 characters (got 20000)');
    expect(calls).toEqual([]);
  });

  it('treats a field without a resolver, and a malformed event, as internal errors', async () => {
    // Prepare
    const invoke = apiWith(inMemoryReader({}).reader);
    const unknownField = {
      ...(fixture('query-list-stations') as object),
      info: { parentTypeName: 'Query', fieldName: 'dropTable' },
    };

    // Act
    const failures = await Promise.all([unknownField, { hello: 'world' }].map((e) => invoke(e).catch((x: Error) => x)));

    // Assess
    for (const failure of failures as Error[]) {
      expect(failure.name).toBe('InternalError');
      expect(failure.message).toBe(INTERNAL_ERROR_MESSAGE);
    }
  });

  it('answers with the generic error when the runtime cannot be built, and tries again next time', async () => {
    // Prepare
    let attempts = 0;
    const handler = createApiHandler({
      logger,
      runtime: async () => {
        attempts++;
        throw new Error('SSM GetParameter: AccessDeniedException for arn:aws:ssm:...:parameter/secret');
      },
    });

    // Act
    const failures = await Promise.all(
      [1, 2].map(() => handler(fixture('query-list-stations'), lambdaContext('f') as Context).catch((e: Error) => e)),
    );

    // Assess
    expect(failures.map((f) => (f as Error).message)).toEqual([INTERNAL_ERROR_MESSAGE, INTERNAL_ERROR_MESSAGE]);
    expect(attempts).toBe(2);
  });
});
