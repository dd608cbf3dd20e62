import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const packages = ['shared', 'ingest', 'etl', 'api', 'ops', 'local'] as const;

/** Every package's integration tests share one set of local AWS servers (packages/local). */
const localAwsSetup = fileURLToPath(new URL('./packages/local/src/testing/vitest-global-setup.ts', import.meta.url));

// Handlers read these; tests point them at the local servers per test where needed.
const testEnv = {
  AWS_REGION: 'ap-southeast-2',
  AWS_ACCESS_KEY_ID: 'S3RVER',
  AWS_SECRET_ACCESS_KEY: 'S3RVER',
  LOG_LEVEL: 'SILENT',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_DEV: 'false',
  // Node 20 is this machine's runtime; the SDK's end-of-support notice is noise in test output.
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

export default defineConfig({
  test: {
    // CI also keeps a machine-readable result, from which .ci/run prints a plain summary line.
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.build/vitest-results.json' }]] : ['default'],
    projects: [
      ...packages.flatMap((pkg) => [
        {
          test: {
            name: `${pkg}:unit`,
            root: `packages/${pkg}`,
            include: ['tests/unit/**/*.test.ts'],
            env: testEnv,
          },
        },
        {
          test: {
            name: `${pkg}:integration`,
            root: `packages/${pkg}`,
            include: ['tests/integration/**/*.test.ts'],
            globalSetup: [localAwsSetup],
            env: testEnv,
            testTimeout: 60_000,
            hookTimeout: 60_000,
          },
        },
      ]),
      // packages/web: the dashboard's pure logic, then the page in Debian's Chromium against the local stack (issue 15).
      {
        test: {
          name: 'web:unit',
          root: 'packages/web',
          include: ['tests/unit/**/*.test.ts'],
          env: testEnv,
        },
      },
      // The dashboard in the browser lives with the local stack it runs against (packages/web must
      // not depend on packages/local: the two would link each other, and `sls package` of the web
      // service walks its package's links).
      {
        test: {
          name: 'local:browser',
          root: 'packages/local',
          include: ['tests/browser/**/*.test.ts'],
          env: testEnv,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      // tools/deploy: offline packaging, template and workflow checks (issue 8).
      {
        test: {
          name: 'deploy:unit',
          root: 'tools/deploy',
          include: ['tests/**/*.test.ts'],
          env: testEnv,
          testTimeout: 30_000,
        },
      },
      // tools/bench: a minimal run of the benchmark harness, checking it produces every figure (issue 9).
      {
        test: {
          name: 'bench:smoke',
          root: 'tools/bench',
          include: ['tests/**/*.test.ts'],
          env: testEnv,
          testTimeout: 180_000,
        },
      },
    ],
  },
});
