import { describe, expect, it } from 'vitest';
import {
  apiEnvSchema,
  awsSettings,
  configOnce,
  DEFAULT_NSW_API_ENDPOINT,
  etlEnvSchema,
  ingestEnvSchema,
  logLevelFrom,
  parseConfig,
} from '../../src/config';
import { ConfigError } from '../../src/errors';

describe('parseConfig', () => {
  it('applies the documented defaults', () => {
    const config = parseConfig(ingestEnvSchema, { S3_BUCKET: 'opendata-pulse-raw-data-123456789012' });
    expect(config).toMatchObject({
      NSW_API_ENDPOINT: DEFAULT_NSW_API_ENDPOINT,
      NSW_SOURCE_TIMEZONE: 'Australia/Sydney',
      AWS_REGION: 'ap-southeast-2',
      LOG_LEVEL: 'INFO',
      CIRCUIT_BREAKER: false,
    });
  });

  it('names every missing variable in one error', () => {
    const act = () => parseConfig(etlEnvSchema, {});
    expect(act).toThrow(ConfigError);
    expect(act).toThrow(/S3_BUCKET is required/);
    expect(act).toThrow(/CURATED_BUCKET is required/);
    expect(act).toThrow(/DYNAMODB_TABLE is required/);
  });

  it('names a malformed variable and says what is wrong with it', () => {
    expect(() =>
      parseConfig(ingestEnvSchema, { S3_BUCKET: 'raw', NSW_API_ENDPOINT: 'not a url', CIRCUIT_BREAKER: 'yes' }),
    ).toThrow(/(?=.*NSW_API_ENDPOINT )(?=.*CIRCUIT_BREAKER )/);
    expect(() => parseConfig(ingestEnvSchema, { S3_BUCKET: 'Bad_Bucket' })).toThrow(
      /S3_BUCKET is not a valid S3 bucket name/,
    );
    expect(() =>
      parseConfig(ingestEnvSchema, { S3_BUCKET: 'raw-bucket', NSW_SOURCE_TIMEZONE: 'Mars/Olympus' }),
    ).toThrow(/NSW_SOURCE_TIMEZONE is not a time zone/);
  });

  it('reads CIRCUIT_BREAKER="true" as on and treats empty strings as unset', () => {
    const config = parseConfig(apiEnvSchema, {
      DYNAMODB_TABLE: 'opendata-pulse-hot-aggregates',
      CIRCUIT_BREAKER: 'true',
      LOG_LEVEL: '',
    });
    expect(config.CIRCUIT_BREAKER).toBe(true);
    expect(config.LOG_LEVEL).toBe('INFO');
  });

  it('collects endpoint overrides for the client factories', () => {
    const config = parseConfig(apiEnvSchema, {
      DYNAMODB_TABLE: 'opendata-pulse-hot-aggregates',
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:4567',
    });
    expect(awsSettings(config)).toEqual({ region: 'ap-southeast-2', endpoints: { dynamodb: 'http://127.0.0.1:4567' } });
  });
});

describe('configOnce', () => {
  it('parses on first use only', () => {
    let reads = 0;
    const get = configOnce(apiEnvSchema, () => {
      reads++;
      return { DYNAMODB_TABLE: 'opendata-pulse-hot-aggregates' };
    });
    expect(get()).toBe(get());
    expect(reads).toBe(1);
  });
});

describe('logLevelFrom', () => {
  it('reads LOG_LEVEL in any case and falls back to INFO when it is unset or unreadable', () => {
    expect(logLevelFrom({ LOG_LEVEL: 'debug' })).toBe('DEBUG');
    expect(logLevelFrom({})).toBe('INFO');
    expect(logLevelFrom({ LOG_LEVEL: 'LOUD' })).toBe('INFO');
  });
});
