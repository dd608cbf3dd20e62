import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FunctionHost, parseFunctionName } from '../../src/lambda/function-host';
import { handlerModule, LOCAL_FUNCTION_SPECS, type LocalFunctionSpec } from '../../src/lambda/function-specs';

describe('parseFunctionName: every form Lambda Invoke accepts', () => {
  it.each([
    ['opendata-pulse-etl-local', { name: 'opendata-pulse-etl-local' }],
    ['opendata-pulse-etl-local:LIVE', { name: 'opendata-pulse-etl-local', qualifier: 'LIVE' }],
    ['000000000000:function:opendata-pulse-etl-local', { name: 'opendata-pulse-etl-local' }],
    [
      'arn:aws:lambda:ap-southeast-2:000000000000:function:opendata-pulse-etl-local:$LATEST',
      { name: 'opendata-pulse-etl-local', qualifier: '$LATEST' },
    ],
    ['arn%3Aaws%3Alambda%3Aap-southeast-2%3A0%3Afunction%3Aopendata-pulse-api', { name: 'opendata-pulse-api' }],
  ])('%s', (raw, expected) => {
    expect(parseFunctionName(raw)).toEqual(expected);
  });
});

describe('FunctionHost.find: the local functions answer to stage and base names', () => {
  // Prepare: no environment is created until the first invoke, so this touches no thread.
  const host = new FunctionHost({ stage: 'local', region: 'ap-southeast-2', env: {} });

  it('finds a function by its stage name, its base name and its ARN', () => {
    expect(host.find('opendata-pulse-ingest-local')).toBe('ingest');
    expect(host.find('opendata-pulse-ingest')).toBe('ingest');
    expect(host.find(host.arnOf('etl'))).toBe('etl');
    expect(host.names()).toEqual({
      ingest: 'opendata-pulse-ingest-local',
      etl: 'opendata-pulse-etl-local',
      api: 'opendata-pulse-api-local',
      healthCheck: 'opendata-pulse-health-check-local',
    });
  });

  it('accepts the LIVE alias and $LATEST, and no other qualifier', () => {
    expect(host.find('opendata-pulse-api-local', 'LIVE')).toBe('api');
    expect(host.find('opendata-pulse-api-local:$LATEST')).toBe('api');
    expect(host.find('opendata-pulse-api-local', '7')).toBeUndefined();
  });

  it('knows no other function', () => {
    expect(host.find('opendata-pulse-unknown-local')).toBeUndefined();
    expect(host.find('opendata-pulse-etl-prod')).toBeUndefined();
  });
});

describe('handlerModule: what a function worker imports', () => {
  const ingest = LOCAL_FUNCTION_SPECS.find((s) => s.key === 'ingest') as LocalFunctionSpec;

  it('is the handler source by its package export when no prebuilt directory is named', () => {
    expect(handlerModule(ingest, undefined)).toBe('@opendata-pulse/ingest/handler');
  });

  it("is the function's bundle in the prebuilt directory, as a file URL", () => {
    // Prepare: a prebuilt directory holding the ingest bundle
    const dir = mkdtempSync(join(tmpdir(), 'pulse-functions-'));
    try {
      writeFileSync(join(dir, 'ingest.mjs'), 'export const handler = async () => null;\n');

      // Act / Assess
      expect(handlerModule(ingest, dir)).toBe(pathToFileURL(join(dir, 'ingest.mjs')).href);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the missing bundle and how to build it', () => {
    // Prepare: an empty prebuilt directory
    const dir = mkdtempSync(join(tmpdir(), 'pulse-functions-'));
    try {
      // Act / Assess
      expect(() => handlerModule(ingest, dir)).toThrow(/ingest\.mjs is missing: run `pnpm build`/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
