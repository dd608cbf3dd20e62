/**
 * The parts of appsync.yml (the deployed AppSync config) the local server reproduces: which fields
 * have resolvers, which are batched and by how much, the query depth and resolver count limits, and
 * the resolver cache (./resolver-cache). Also gives the api package's schema.graphql. Tooling only:
 * no Lambda bundle imports this module.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import * as z from 'zod';

const require = createRequire(import.meta.url);
/** The api package's own files, reached through its exports. */
export const APPSYNC_CONFIG_PATH = require.resolve('@opendata-pulse/api/appsync.yml');
export const SCHEMA_PATH = require.resolve('@opendata-pulse/api/schema.graphql');

const resolverSchema = z.object({
  kind: z.enum(['UNIT', 'PIPELINE']).optional(),
  dataSource: z.string().optional(),
  maxBatchSize: z.number().int().positive().optional(),
  /** an APPSYNC_JS resolver's file, relative to appsync.yml (the local server runs it too) */
  code: z.string().optional(),
  caching: z
    .union([z.boolean(), z.object({ ttl: z.number().optional(), keys: z.array(z.string()).optional() })])
    .optional(),
});

const cachingSchema = z.looseObject({
  enabled: z.boolean().optional(),
  behavior: z.enum(['FULL_REQUEST_CACHING', 'PER_RESOLVER_CACHING']),
  ttl: z.number().int().positive().optional(),
});

const appSyncConfigSchema = z.object({
  name: z.string(),
  caching: cachingSchema.optional(),
  schema: z.union([z.string(), z.array(z.string())]),
  queryDepthLimit: z.number().int().positive().optional(),
  resolverCountLimit: z.number().int().positive().optional(),
  dataSources: z.record(z.string(), z.object({ type: z.string() }).loose()),
  resolvers: z.record(z.string(), resolverSchema),
});

export type AppSyncConfig = z.output<typeof appSyncConfigSchema>;

export interface ResolverSpec {
  typeName: string;
  fieldName: string;
  /** > 0: AppSync sends BatchInvoke arrays of up to this many events */
  maxBatchSize: number;
  /** the data source's type (`AWS_LAMBDA`, `NONE`, ...) */
  dataSourceType: string;
  /** absolute path of the resolver's APPSYNC_JS code, when it has one */
  codePath?: string;
}

export function readAppSyncConfig(path: string = APPSYNC_CONFIG_PATH): AppSyncConfig {
  return appSyncConfigSchema.parse(parse(readFileSync(path, 'utf8')));
}

export function resolverSpecs(config: AppSyncConfig, configPath: string = APPSYNC_CONFIG_PATH): ResolverSpec[] {
  return Object.entries(config.resolvers).map(([key, resolver]) => {
    const [typeName = '', fieldName = ''] = key.split('.');
    const dataSourceType = config.dataSources[resolver.dataSource ?? '']?.type ?? 'AWS_LAMBDA';
    return {
      typeName,
      fieldName,
      maxBatchSize: resolver.maxBatchSize ?? 0,
      dataSourceType,
      ...(resolver.code ? { codePath: resolve(dirname(configPath), resolver.code) } : {}),
    };
  });
}

export function readSchemaSdl(path: string = SCHEMA_PATH): string {
  return readFileSync(path, 'utf8');
}
