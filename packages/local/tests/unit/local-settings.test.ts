import { describe, expect, it } from 'vitest';
import { chooseNswSource } from '../../src/nsw/nsw-source';
import { DEFAULT_LOCAL_API_KEY, describeIngestResult, latestHours, writtenKeysOf } from '../../src/stack/local-stack';
import { stackPorts } from '../../src/stack/ports';
import { formatSummary, resolveLocalStackOptions } from '../../src/stack/run-local-stack';

describe('resolveLocalStackOptions: flags and environment', () => {
  it('defaults to port 4000, the documented key, WARN handler logs and one hour at start', () => {
    // Act
    const options = resolveLocalStackOptions({ env: { PULSE_DATA_DIR: '/data/pulse' } });

    // Assess
    expect(options).toMatchObject({
      dataDir: '/data/pulse',
      port: 4000,
      apiKey: DEFAULT_LOCAL_API_KEY,
      source: 'auto',
      handlerLogLevel: 'WARN',
      timeZone: 'Australia/Sydney',
      ingestOnStart: 1,
      schedule: true,
    });
  });

  it('takes PULSE_PORT, PULSE_API_KEY, NSW_API_ENDPOINT and LOG_LEVEL from the environment', () => {
    const options = resolveLocalStackOptions({
      env: {
        PULSE_DATA_DIR: '/d',
        PULSE_PORT: '5100',
        PULSE_API_KEY: 'secret',
        NSW_API_ENDPOINT: 'http://127.0.0.1:9/api/Data',
        LOG_LEVEL: 'DEBUG',
      },
    });
    expect(options).toMatchObject({
      port: 5100,
      apiKey: 'secret',
      nswApiEndpoint: 'http://127.0.0.1:9/api/Data',
      handlerLogLevel: 'DEBUG',
    });
  });

  it('lets flags win over the environment', () => {
    const options = resolveLocalStackOptions({ env: { PULSE_DATA_DIR: '/d', PULSE_PORT: '5100' }, port: '0' });
    expect(options.port).toBe(0);
  });

  it('runs --once without schedule and without the start-up ingest (it ingests the hours itself)', () => {
    const options = resolveLocalStackOptions({ env: { PULSE_DATA_DIR: '/d' }, once: true, backfillHours: 6 });
    expect(options).toMatchObject({ ingestOnStart: 0, schedule: false, prewarmApi: false });
  });

  it("caches the API as appsync.yml says unless PULSE_API_CACHE is 'off', and names a bad value", () => {
    // Act
    const byDefault = resolveLocalStackOptions({ env: { PULSE_DATA_DIR: '/d' } });
    const off = resolveLocalStackOptions({ env: { PULSE_DATA_DIR: '/d', PULSE_API_CACHE: 'OFF' } });

    // Assess
    expect(byDefault.apiCache).toBe(true);
    expect(off.apiCache).toBe(false);
    expect(() => resolveLocalStackOptions({ env: { PULSE_DATA_DIR: '/d', PULSE_API_CACHE: 'sometimes' } })).toThrow(
      "PULSE_API_CACHE must be 'on' or 'off'; got 'sometimes'",
    );
  });

  it('runs the health check on its deployed rate, except with --once', () => {
    // Act
    const running = resolveLocalStackOptions({ env: { PULSE_DATA_DIR: '/d' } });
    const once = resolveLocalStackOptions({ env: { PULSE_DATA_DIR: '/d' }, once: true });

    // Assess
    expect(running.healthCheckEveryMs).toBeUndefined();
    expect(once.healthCheckEveryMs).toBe(0);
  });

  it('rejects a port that is not one, naming the setting', () => {
    expect(() => resolveLocalStackOptions({ env: { PULSE_DATA_DIR: '/d', PULSE_PORT: 'http' } })).toThrow(
      /PULSE_PORT must be a port number/,
    );
    expect(() => resolveLocalStackOptions({ env: { PULSE_DATA_DIR: '/d' }, port: '65535' })).toThrow(/--port/);
  });
});

describe('stackPorts: one base port, six services', () => {
  it('uses the base and the next five, or random ports for base 0', () => {
    expect(stackPorts(4000)).toEqual({ graphql: 4000, lambda: 4001, s3: 4002, dynamodb: 4003, sqs: 4004, sns: 4005 });
    expect(stackPorts(0)).toEqual({ graphql: 0, lambda: 0, s3: 0, dynamodb: 0, sqs: 0, sns: 0 });
  });

  it('refuses a base port whose fifth neighbour does not exist, naming the range', () => {
    expect(() => resolveLocalStackOptions({ env: { PULSE_DATA_DIR: '/d' }, port: '65531' })).toThrow(
      "--port must be a port number from 0 to 65530 (the stack uses it and the next 5); got '65531'",
    );
    expect(resolveLocalStackOptions({ env: { PULSE_DATA_DIR: '/d' }, port: '65530' }).port).toBe(65530);
  });
});

describe('chooseNswSource: which API the local ingest talks to', () => {
  const base = { timeZone: 'Australia/Sydney', host: '127.0.0.1', probeTimeoutMs: 10 };
  const unreachable = async () => 'ENOTFOUND' as const;

  it('uses the real API when it answers', async () => {
    const source = await chooseNswSource({ ...base, choice: 'auto', probe: async () => true });
    expect(source).toMatchObject({ endpoint: 'https://data.airquality.nsw.gov.au/api/Data', label: 'live' });
  });

  it('prefers NSW_API_ENDPOINT and labels another endpoint custom', async () => {
    const source = await chooseNswSource({
      ...base,
      choice: 'auto',
      envEndpoint: 'http://127.0.0.1:9/api/Data/',
      probe: unreachable,
    });
    expect(source).toMatchObject({ endpoint: 'http://127.0.0.1:9/api/Data', label: 'custom' });
  });

  it('takes --source live without probing', async () => {
    const source = await chooseNswSource({ ...base, choice: 'live', probe: unreachable });
    expect(source.label).toBe('live');
  });

  it('rejects a --source that is neither live, sample nor a URL, and a bad NSW_API_ENDPOINT', async () => {
    await expect(chooseNswSource({ ...base, choice: 'ftp://x' })).rejects.toThrow(/--source must be live, sample/);
    await expect(chooseNswSource({ ...base, choice: 'auto', envEndpoint: 'nope' })).rejects.toThrow(
      /NSW_API_ENDPOINT must be an http\(s\) URL/,
    );
  });
});

describe('ingest results as the stack reports them', () => {
  const written = {
    status: 'written',
    key: 'nsw-air-quality/raw/2026/11/20/13.json',
    recordCount: 96,
    hourStart: '2026-11-20T13:00:00.000Z',
  };

  it('describes a written hour, a skip, and anything else briefly', () => {
    expect(describeIngestResult(written)).toBe('written nsw-air-quality/raw/2026/11/20/13.json (96 records)');
    expect(describeIngestResult({ skipped: 'circuit-breaker' })).toBe('skipped (circuit-breaker)');
    expect(describeIngestResult(null)).toBe('');
  });

  it('expects S3 events only for hours actually written, caught-up hours included', () => {
    const runs = [
      { at: 0, kind: 'backfill' as const, ok: true, result: written, durationMs: 1 },
      {
        at: 0,
        kind: 'scheduled' as const,
        ok: true,
        result: { ...written, status: 'unchanged', caughtUp: ['nsw-air-quality/raw/2026/11/20/11.json'] },
        durationMs: 1,
      },
      { at: 0, kind: 'backfill' as const, ok: true, result: { ...written, status: 'unchanged' }, durationMs: 1 },
      { at: 0, kind: 'backfill' as const, ok: false, error: 'UpstreamError: x', durationMs: 1 },
    ];
    expect(writtenKeysOf(runs)).toEqual([
      'nsw-air-quality/raw/2026/11/20/13.json',
      'nsw-air-quality/raw/2026/11/20/11.json',
    ]);
  });

  it('backfills the latest complete hours, oldest first', () => {
    const hours = latestHours(3, Date.parse('2026-11-20T13:20:00Z')).map((h) => new Date(h).toISOString());
    expect(hours).toEqual(['2026-11-20T10:00:00.000Z', '2026-11-20T11:00:00.000Z', '2026-11-20T12:00:00.000Z']);
  });

  it('summarises a --once run with the three figures asked for', () => {
    const text = formatSummary({
      hoursRequested: 3,
      hoursIngested: 3,
      failedHours: [],
      stationHours: 36,
      dlqDepth: 0,
      drained: true,
      apiStations: 12,
      source: 'sample',
      elapsedMs: 4200,
    });
    expect(text).toContain('Hours ingested      3 of 3 (sample)');
    expect(text).toContain('Station-hours       36');
    expect(text).toContain('DLQ depth           0');
    expect(text).toContain('GraphQL API         answers (12 stations)');
  });
});
