import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { lambdaContext } from '@opendata-pulse/local/appsync';
import { createDynamoDocClient } from '@opendata-pulse/shared/aws';
import { INTERNAL_ERROR_MESSAGE } from '@opendata-pulse/shared/errors';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { seedStations, station } from '../support/fixtures';

// The deployed entry point, configured only through its environment as in Lambda.
const { endpoints, resources, region } = inject('localAws');
const REGION = `Wiring Region ${randomInt(1_000_000)}`;
const ids = [1, 2, 3].map(() => randomInt(100_000, 199_999));
const event = (args: Record<string, unknown>, field = 'listStations') => ({
  ...JSON.parse(readFileSync(new URL('../events/query-list-stations.json', import.meta.url), 'utf8')),
  arguments: args,
  info: { parentTypeName: 'Query', fieldName: field, variables: {}, selectionSetList: [] },
});

let handler: (event: unknown, context: Context) => Promise<unknown>;
const saved = { ...process.env };

beforeAll(async () => {
  Object.assign(process.env, {
    AWS_REGION: region,
    DYNAMODB_TABLE: resources.table,
    CURATED_BUCKET: resources.curatedBucket,
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_S3: endpoints.s3,
    LOG_LEVEL: 'SILENT',
  });
  const seed = createDynamoDocClient({ region, endpoint: endpoints.dynamodb });
  await seedStations(
    seed,
    resources.table,
    ids.map((id) => station(id, `Wiring ${id}`, REGION, `Wiring Suburb ${ids[0]}`)),
    [Date.UTC(2026, 10, 1, 0), Date.UTC(2026, 10, 1, 1)],
  );
  seed.destroy();
  ({ handler } = await import('../../src/handler'));
});

afterAll(() => {
  process.env = saved;
});

describe('the exported handler', () => {
  it('reads its table from the environment and answers AppSync events', async () => {
    // Act
    const stations = (await handler(event({ region: REGION }), lambdaContext('opendata-pulse-api'))) as {
      siteId: number;
    }[];

    // Assess
    expect(stations.map((s) => s.siteId)).toEqual([...ids].sort((a, b) => a - b));
  });

  it('signs page tokens with its per-process key when no SSM parameter is configured', async () => {
    // Prepare
    const args = {
      suburb: `Wiring Suburb ${ids[0]}`,
      from: '2026-11-01T00:00:00Z',
      to: '2026-11-02T00:00:00Z',
      limit: 4,
    };

    // Act
    const first = (await handler(event(args, 'getAirQualityData'), lambdaContext('f'))) as {
      items: unknown[];
      nextToken: string;
    };
    const second = (await handler(
      event({ ...args, nextToken: first.nextToken }, 'getAirQualityData'),
      lambdaContext('f'),
    )) as {
      items: unknown[];
      nextToken: string | null;
    };

    // Assess
    expect(first.items).toHaveLength(4);
    expect(second.items).toHaveLength(2);
    expect(second.nextToken).toBeNull();
  });

  it('answers a DynamoDB failure with the generic internal error', async () => {
    // Prepare: a table that does not exist, through a fresh module instance
    vi.resetModules();
    process.env.DYNAMODB_TABLE = 'opendata-pulse-no-such-table';
    const fresh = (await import('../../src/handler')).handler;

    // Act
    const failure = (await fresh(event({}), lambdaContext('f')).catch((e: Error) => e)) as Error;

    // Assess
    expect(failure.name).toBe('InternalError');
    expect(failure.message).toBe(INTERNAL_ERROR_MESSAGE);
  });
});
