/**
 * Environment configuration: one zod schema per service, parsed once per cold start. Code below a
 * handler receives the parsed config; only this module reads process.env.
 */
import * as z from 'zod';
import { ConfigError } from '../errors';
import { lazySchema, once } from '../lazy';
import { isValidTimeZone } from '../time';
import { DEFAULT_NSW_API_ENDPOINT, DEFAULT_REGION, DEFAULT_SOURCE_TIMEZONE } from './defaults';

export { DEFAULT_NSW_API_ENDPOINT, DEFAULT_REGION, DEFAULT_SOURCE_TIMEZONE };

type Env = Record<string, string | undefined>;

// Built at first use, not at import (shared `/lazy`): a cold start parses one service's config.
const booleanFlag = once(() =>
  z
    .enum(['true', 'false', ''])
    .default('false')
    .transform((v) => v === 'true'),
);

const optionalUrl = once(() => z.url({ protocol: /^https?$/ }).optional());

const timeZone = once(() =>
  z
    .string()
    .default(DEFAULT_SOURCE_TIMEZONE)
    .refine(isValidTimeZone, { message: 'is not a time zone known to the runtime (e.g. Australia/Sydney)' }),
);

const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const commonShape = once(() => ({
  AWS_REGION: z.string().min(1).default(DEFAULT_REGION),
  LOG_LEVEL: z
    .string()
    .default('INFO')
    .transform((v) => v.toUpperCase())
    .pipe(z.enum(LOG_LEVELS)),
  CIRCUIT_BREAKER: booleanFlag(),
  AWS_ENDPOINT_URL_S3: optionalUrl(),
  AWS_ENDPOINT_URL_DYNAMODB: optionalUrl(),
  AWS_ENDPOINT_URL_SQS: optionalUrl(),
  AWS_ENDPOINT_URL_LAMBDA: optionalUrl(),
}));
type CommonShape = ReturnType<typeof commonShape>;

/**
 * The log level alone, leniently: a logger is built before the rest of the config is parsed (a bad
 * config must still be logged), so an unreadable LOG_LEVEL falls back to INFO instead of failing.
 * The schema's LOG_LEVEL rule without zod, as handlers may build a logger at import.
 */
export function logLevelFrom(env: Env = process.env): LogLevel {
  const level = (env.LOG_LEVEL || 'INFO').toUpperCase();
  return (LOG_LEVELS as readonly string[]).includes(level) ? (level as LogLevel) : 'INFO';
}

const bucketName = once(() =>
  z.string({ error: 'is required' }).regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'is not a valid S3 bucket name'),
);
const tableName = once(() =>
  z.string({ error: 'is required' }).regex(/^[A-Za-z0-9_.-]{3,255}$/, 'is not a valid table name'),
);
const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

export const ingestEnvSchema = lazySchema(() =>
  z.object({
    ...commonShape(),
    NSW_API_ENDPOINT: z.url({ protocol: /^https?$/ }).default(DEFAULT_NSW_API_ENDPOINT),
    NSW_SOURCE_TIMEZONE: timeZone(),
    /** "sample" when the endpoint serves the bundled sample dataset; recorded in every envelope */
    NSW_SOURCE_LABEL: z.enum(['live', 'sample', 'custom']).default('live'),
    NSW_TIMEOUT_MS: positiveInt(10_000),
    NSW_MAX_ATTEMPTS: positiveInt(4),
    S3_BUCKET: bucketName(),
  }),
);

export const etlEnvSchema = lazySchema(() =>
  z.object({
    ...commonShape(),
    NSW_SOURCE_TIMEZONE: timeZone(),
    S3_BUCKET: bucketName(),
    CURATED_BUCKET: bucketName(),
    DYNAMODB_TABLE: tableName(),
    // Live updates: where the ETL publishes hour updates (neither set: it does not)
    /** AWS: the SSM parameter holding the API's GraphQL URL (read once per cold start) */
    GRAPHQL_URL_PARAMETER: z
      .string()
      .regex(/^\/[A-Za-z0-9_.\-/]+$/, 'is not an SSM parameter name (/opendata-pulse[-stage]/api/graphql-url)')
      .optional(),
    /** the local stack: the local GraphQL URL itself, which the host sets (no SSM locally) */
    GRAPHQL_URL: optionalUrl(),
  }),
);

export const apiEnvSchema = lazySchema(() =>
  z.object({
    ...commonShape(),
    DYNAMODB_TABLE: tableName(),
    /** ARN of the Secrets Manager secret holding the key that signs pagination tokens (AWS) */
    PAGE_TOKEN_KEY_SECRET_ARN: z
      .string()
      .regex(/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/, 'is not a Secrets Manager secret ARN')
      .optional(),
    /** a file holding that key (the local stack's data dir) */
    PAGE_TOKEN_KEY_FILE: z.string().min(1).optional(),
    STAGE: z.string().min(1).default('prod'),
  }),
);

export const healthCheckEnvSchema = lazySchema(() =>
  z.object({
    ...commonShape(),
    NSW_SOURCE_TIMEZONE: timeZone(),
    S3_BUCKET: bucketName(),
    CURATED_BUCKET: bucketName(),
    DYNAMODB_TABLE: tableName(),
    QUEUE_URL: z.url(),
    DLQ_URL: z.url(),
    STAGE: z.string().min(1).default('prod'),
  }),
);

export type IngestEnv = z.output<typeof ingestEnvSchema>;
export type EtlEnv = z.output<typeof etlEnvSchema>;
export type ApiEnv = z.output<typeof apiEnvSchema>;
export type HealthCheckEnv = z.output<typeof healthCheckEnvSchema>;

/** Parse env with a schema; a ConfigError names every missing or malformed variable. */
export function parseConfig<S extends z.ZodType>(schema: S, env: Env = process.env): z.output<S> {
  // Empty strings mean "unset" (CloudFormation renders absent params as "").
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? '(environment)');
    const missing = issue.code === 'invalid_type' && cleaned[name] === undefined;
    return missing ? `${name} is required` : `${name} ${issue.message}`;
  });
  throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`, { details: { problems } });
}

/** A config getter that parses on first use and then returns the same object (once per cold start). */
export function configOnce<S extends z.ZodType>(schema: S, env: () => Env = () => process.env): () => z.output<S> {
  let parsed: z.output<S> | undefined;
  return () => {
    parsed ??= parseConfig(schema, env());
    return parsed as z.output<S>;
  };
}

export interface AwsSettings {
  region: string;
  endpoints: { s3?: string; dynamodb?: string; sqs?: string; lambda?: string };
}

/** The AWS part of any parsed config, ready for the client factories. */
export function awsSettings(env: z.output<z.ZodObject<CommonShape>>): AwsSettings {
  const endpoints: AwsSettings['endpoints'] = {};
  if (env.AWS_ENDPOINT_URL_S3) endpoints.s3 = env.AWS_ENDPOINT_URL_S3;
  if (env.AWS_ENDPOINT_URL_DYNAMODB) endpoints.dynamodb = env.AWS_ENDPOINT_URL_DYNAMODB;
  if (env.AWS_ENDPOINT_URL_SQS) endpoints.sqs = env.AWS_ENDPOINT_URL_SQS;
  if (env.AWS_ENDPOINT_URL_LAMBDA) endpoints.lambda = env.AWS_ENDPOINT_URL_LAMBDA;
  return { region: env.AWS_REGION, endpoints };
}
