import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { APPSYNC_PRELUDE, type AppSyncConfig, readAppSyncConfig, readSchemaSdl } from '@opendata-pulse/local/appsync';
import { buildSchema, type GraphQLNamedType, type GraphQLSchema, getNamedType, isObjectType } from 'graphql/index.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

import { ROUTES } from '../../src/adapters/appsync/resolver-routes';

const config = readAppSyncConfig();
/** The resolvers the Lambda answers (publishHourUpdate passes through the NONE data source). */
const lambdaResolvers = Object.fromEntries(
  Object.entries(config.resolvers).filter(([, r]) => r.dataSource === 'opendata_pulse_api'),
);
const schema = buildSchema(`${APPSYNC_PRELUDE}\n${readSchemaSdl()}`);
const cfnTags = ['!Sub', '!Ref', '!GetAtt', '!Join', '!If', '!Not', '!Equals'].map((tag) => ({
  tag,
  resolve: (value: string) => ({ [`Fn::${tag.slice(1)}`]: value }),
}));
const serverless = parse(readFileSync(fileURLToPath(new URL('../../serverless.yml', import.meta.url)), 'utf8'), {
  customTags: cfnTags,
}) as {
  functions: Record<string, { name: string }>;
  custom: { names: { function: string } };
  appSync: string;
};

/** A Serverless variable as written in serverless.yml: `${source:address}`. */
const slsVariable = (expression: string) => `\${${expression}}`;

/**
 * What `sls package` does not catch: resolvers for fields the schema does not have, and Query
 * fields nobody resolves.
 */
function resolverProblems(appSync: AppSyncConfig, graphql: GraphQLSchema): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(appSync.resolvers)) {
    const [typeName = '', fieldName = ''] = key.split('.');
    const type = graphql.getType(typeName);
    if (!isObjectType(type)) problems.push(`${key}: no object type ${typeName} in schema.graphql`);
    else if (!type.getFields()[fieldName]) problems.push(`${key}: ${typeName} has no field ${fieldName}`);
  }
  for (const field of Object.keys(graphql.getQueryType()?.getFields() ?? {})) {
    if (!appSync.resolvers[`Query.${field}`]) problems.push(`Query.${field}: no resolver`);
  }
  return problems;
}

/** Deepest selection the schema allows (its types do not recurse). */
function maxDepth(type: GraphQLNamedType, seen: Set<string> = new Set()): number {
  if (!isObjectType(type) || seen.has(type.name)) return 0;
  const next = new Set([...seen, type.name]);
  return Math.max(...Object.values(type.getFields()).map((f) => 1 + maxDepth(getNamedType(f.type), next)));
}

describe('appsync.yml against schema.graphql', () => {
  it('has a resolver for every Query field and none for a field the schema lacks', () => {
    expect(resolverProblems(config, schema)).toEqual([]);
  });

  it('catches a resolver for a field missing from the schema, and a Query field left unresolved', () => {
    // Prepare
    const broken: AppSyncConfig = structuredClone(config);
    broken.resolvers['Query.getAirQualityDatum'] = { kind: 'UNIT', dataSource: 'opendata_pulse_api' };
    broken.resolvers['Reading.latest'] = { kind: 'UNIT', dataSource: 'opendata_pulse_api' };
    delete broken.resolvers['Query.listRegions'];

    // Act
    const problems = resolverProblems(broken, schema);

    // Assess
    expect(problems).toEqual([
      'Query.getAirQualityDatum: Query has no field getAirQualityDatum',
      'Reading.latest: no object type Reading in schema.graphql',
      'Query.listRegions: no resolver',
    ]);
  });

  it('routes in the Lambda exactly the fields appsync.yml resolves with it, batched where AppSync batches', () => {
    expect(Object.keys(ROUTES).sort()).toEqual(Object.keys(lambdaResolvers).sort());
    for (const [key, resolver] of Object.entries(lambdaResolvers)) {
      expect({ key, batched: ROUTES[key]?.kind === 'batch' }).toEqual({
        key,
        batched: (resolver.maxBatchSize ?? 0) > 0,
      });
    }
  });

  it('resolves every field directly with the Lambda data source on the LIVE alias of opendata-pulse-api', () => {
    expect(config.dataSources).toEqual({
      opendata_pulse_api: expect.objectContaining({
        type: 'AWS_LAMBDA',
        config: { functionName: 'api', functionAlias: 'LIVE' },
      }),
      hour_updates: expect.objectContaining({ type: 'NONE' }),
    });
    expect(serverless.functions.api?.name).toBe(slsVariable('self:custom.names.function'));
    expect(serverless.custom.names.function).toBe(`opendata-pulse-api${slsVariable('param:suffix')}`);
    expect(serverless.appSync).toBe(slsVariable('file(./appsync.yml)'));
    for (const [key, resolver] of Object.entries(lambdaResolvers)) {
      expect({ key, ...resolver, caching: undefined, maxBatchSize: undefined }).toEqual({
        key,
        kind: 'UNIT',
        dataSource: 'opendata_pulse_api',
        caching: undefined,
        maxBatchSize: undefined,
      });
    }
  });

  it('caches getAirQualityData per suburb, range, limit and page, for at most an hour', () => {
    const caching = config.resolvers['Query.getAirQualityData']?.caching;
    expect(caching).toEqual({
      ttl: expect.any(Number),
      keys: expect.arrayContaining([
        '$context.arguments.suburb',
        '$context.arguments.from',
        '$context.arguments.to',
        '$context.arguments.nextToken',
        '$context.arguments.limit',
      ]),
    });
    for (const resolver of Object.values(config.resolvers)) {
      if (typeof resolver.caching === 'object') expect(resolver.caching.ttl ?? 0).toBeLessThanOrEqual(3600);
    }
    expect(config.resolvers['Query.systemHealth']?.caching).toBeUndefined();
  });

  it('caches nearestStations on all four arguments for five minutes, and never exportAirQualityData', () => {
    expect(config.resolvers['Query.nearestStations']?.caching).toEqual({
      ttl: 300,
      keys: [
        '$context.arguments.latitude',
        '$context.arguments.longitude',
        '$context.arguments.limit',
        '$context.arguments.maxDistanceKm',
      ],
    });
    expect(config.resolvers['Query.exportAirQualityData']).toBeDefined();
    expect(config.resolvers['Query.exportAirQualityData']?.caching).toBeUndefined();
  });

  it('lets the deepest query the schema allows through the depth limit', () => {
    const deepest = maxDepth(schema.getQueryType() as GraphQLNamedType);
    expect(config.queryDepthLimit).toBeGreaterThanOrEqual(deepest);
    expect(config.queryDepthLimit).toBeLessThanOrEqual(deepest + 2);
  });

  it('passes publishHourUpdate through the NONE data source with the resolver code the local server runs, uncached', async () => {
    // Prepare
    const resolver = config.resolvers['Mutation.publishHourUpdate'];
    const input = { region: 'Sydney East', hourStart: '2026-03-01T01:00:00.000Z', stations: [] };

    // Act
    const code = (await import(/* @vite-ignore */ new URL(`../../${resolver?.code}`, import.meta.url).href)) as {
      request: (ctx: unknown) => { payload: unknown };
      response: (ctx: unknown) => unknown;
    };
    const request = code.request({ arguments: { input } });
    const answered = code.response({ arguments: { input }, result: request.payload });

    // Assess
    expect(resolver).toEqual({ kind: 'UNIT', dataSource: 'hour_updates', code: 'resolvers/publish-hour-update.js' });
    expect(config.dataSources.hour_updates?.type).toBe('NONE');
    expect(answered).toEqual(input);
    expect(Object.keys(config.resolvers).filter((k) => k.startsWith('Mutation.'))).toEqual([
      'Mutation.publishHourUpdate',
    ]);
  });
});
