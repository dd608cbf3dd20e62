/**
 * The local Lambda runtime: real worker-thread environments running handler modules, answering
 * and failing the way Lambda does, and surviving handlers that crash or hang.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FunctionHost, type LocalFunctionSpec } from '../../src/lambda/function-host';

const FIXTURES = new URL('../support/local-fixture-handlers.ts', import.meta.url).href;

function spec(exportName: string, timeoutSeconds = 30): LocalFunctionSpec {
  return {
    key: 'ingest',
    baseName: 'fixture-fn',
    module: FIXTURES,
    exportName,
    timeoutSeconds,
    memoryMb: 128,
    youngGenerationMb: 8,
  };
}

const hosts: FunctionHost[] = [];
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.stop()));
});

function host(exportName: string, timeoutSeconds?: number, ended: string[] = []) {
  const h = new FunctionHost({
    stage: 'local',
    region: 'ap-southeast-2',
    env: { FIXTURE_SETTING: 'from-the-stack' },
    specs: [spec(exportName, timeoutSeconds)],
    onEnvironmentEnded: (_name, reason) => ended.push(reason),
  });
  hosts.push(h);
  return h;
}

describe('FunctionHost: Lambda execution environments on worker threads', () => {
  it('runs the handler with the event, a Lambda context and its own environment, warm after the first call', async () => {
    // Prepare
    const h = host('echo');

    // Act
    const first = await h.invoke<{
      event: unknown;
      invocations: number;
      functionName: string;
      remainingMs: number;
      env: Record<string, string>;
    }>('ingest', { hello: 'world' });
    const second = await h.invoke<{ invocations: number }>('ingest', {});

    // Assess
    expect(first.event).toEqual({ hello: 'world' });
    expect(first.functionName).toBe('fixture-fn-local');
    expect(first.remainingMs).toBeGreaterThan(0);
    expect(first.env).toEqual({ AWS_LAMBDA_FUNCTION_NAME: 'fixture-fn-local', FIXTURE_SETTING: 'from-the-stack' });
    expect(process.env.FIXTURE_SETTING).toBeUndefined();
    expect(second.invocations).toBe(2);
  });

  it('returns a thrown error as Lambda does: its name as errorType, its message, a trace', async () => {
    const outcome = await host('fail').invokeRaw('ingest', '{}');

    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.error).toMatchObject({
      errorType: 'UpstreamError',
      errorMessage: 'the upstream said no',
      trace: expect.arrayContaining([expect.stringContaining('UpstreamError: the upstream said no')]),
    });
  });

  it('reports a missing handler module as Runtime.ImportModuleError', async () => {
    const h = new FunctionHost({
      stage: 'local',
      region: 'ap-southeast-2',
      env: {},
      specs: [{ ...spec('handler'), module: '@opendata-pulse/no-such-package/handler' }],
    });
    hosts.push(h);

    const outcome = await h.invokeRaw('ingest', '{}');

    expect(!outcome.ok && outcome.error.errorType).toBe('Runtime.ImportModuleError');
  });

  it('survives a handler that crashes its runtime: the call fails, the next one gets a fresh environment', async () => {
    // Prepare
    const ended: string[] = [];
    const h = host('crash', 30, ended);

    // Act
    const crashed = await h.invokeRaw('ingest', '{}');
    const again = await h.invokeRaw('ingest', '{}');

    // Assess
    expect(!crashed.ok && crashed.error).toMatchObject({ errorType: 'Runtime.ExitError' });
    expect(!crashed.ok && crashed.error.errorMessage).toContain('boom outside the handler');
    expect(!again.ok && again.error.errorType).toBe('Runtime.ExitError');
    expect(ended).toHaveLength(2);
  });

  it('times a hanging handler out after its timeout, as Lambda does', async () => {
    const outcome = await host('hang', 1).invokeRaw('ingest', '{}');

    expect(!outcome.ok && outcome.error).toMatchObject({
      errorType: 'Sandbox.Timedout',
      errorMessage: expect.stringContaining('Task timed out after 1.00 seconds'),
    });
  });

  it("runs the function's prebuilt bundle instead of its source when given a prebuilt directory", async () => {
    // Prepare: a prebuilt directory whose ingest "bundle" says where it came from
    const dir = mkdtempSync(join(tmpdir(), 'pulse-prebuilt-'));
    writeFileSync(join(dir, 'ingest.mjs'), "export const handler = async () => ({ from: 'bundle' });\n");
    const h = new FunctionHost({
      stage: 'local',
      region: 'ap-southeast-2',
      env: {},
      specs: [{ ...spec('handler'), module: '@opendata-pulse/ingest/handler' }],
      prebuiltFunctionsDir: dir,
    });
    hosts.push(h);
    try {
      // Act
      const result = await h.invoke<{ from: string }>('ingest', {});

      // Assess: the bundle answered, not the package's TypeScript source
      expect(result).toEqual({ from: 'bundle' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
