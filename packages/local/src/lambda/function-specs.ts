/**
 * The functions the local stack hosts: each one's real handler, by its package export, with the
 * timeout and memory it is deployed with (shared infra/functions.json).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BASE_NAMES, FUNCTION_SETTINGS } from '@opendata-pulse/shared/infra';

export type LocalFunctionKey = 'ingest' | 'etl' | 'api' | 'healthCheck';

export interface LocalFunctionSpec {
  key: LocalFunctionKey;
  baseName: string;
  /** module specifier, resolved from this directory (local depends on every service package) */
  module: string;
  exportName: string;
  timeoutSeconds: number;
  memoryMb: number;
  /**
   * the cap on the worker's young generation (V8's new space), in MB: a local-only setting that
   * trades resident memory against garbage-collection work (packages/local/README.md, "Memory")
   */
  youngGenerationMb: number;
}

/**
 * A handler's garbage is short-lived and small (one event's worth): a few MB of young generation
 * hold it, where V8's default lets each worker's grow to tens of MB of resident memory.
 */
const YOUNG_GENERATION_MB = 8;
/**
 * The API's worker serves concurrent requests, each holding a Query's answer (parsed, mapped and
 * serialised) while the others allocate theirs: in 8 MB, more of that live data meets a scavenge.
 * At 8 concurrent getAirQualityData requests, 32 MB took about a third off the garbage
 * collectors' CPU per request (packages/local/README.md, "Memory").
 */
const API_YOUNG_GENERATION_MB = 32;
/**
 * The ETL holds a batch of day objects (7.4 MB of JSON each for 100 stations) and their readings
 * while it writes them: in 8 MB of new space it spent 13-18 % of a 3-day backfill's CPU in the
 * garbage collector, in 32 MB about 9 % (CPU profiles of the ETL worker, 100 stations).
 */
const ETL_YOUNG_GENERATION_MB = 32;

/** The functions the stack hosts, each with its deployed timeout and memory (shared infra/functions.json). */
export const LOCAL_FUNCTION_SPECS: readonly LocalFunctionSpec[] = [
  {
    key: 'ingest',
    baseName: BASE_NAMES.ingestFunction,
    module: '@opendata-pulse/ingest/handler',
    exportName: 'handler',
    timeoutSeconds: FUNCTION_SETTINGS.ingest.timeoutSeconds,
    memoryMb: FUNCTION_SETTINGS.ingest.memoryMb,
    youngGenerationMb: YOUNG_GENERATION_MB,
  },
  {
    key: 'etl',
    baseName: BASE_NAMES.etlFunction,
    module: '@opendata-pulse/etl/handler',
    exportName: 'handler',
    timeoutSeconds: FUNCTION_SETTINGS.etl.timeoutSeconds,
    memoryMb: FUNCTION_SETTINGS.etl.memoryMb,
    youngGenerationMb: ETL_YOUNG_GENERATION_MB,
  },
  {
    key: 'api',
    baseName: BASE_NAMES.apiFunction,
    module: '@opendata-pulse/api/handler',
    exportName: 'handler',
    timeoutSeconds: FUNCTION_SETTINGS.api.timeoutSeconds,
    memoryMb: FUNCTION_SETTINGS.api.memoryMb,
    youngGenerationMb: API_YOUNG_GENERATION_MB,
  },
  {
    key: 'healthCheck',
    baseName: BASE_NAMES.healthCheckFunction,
    module: '@opendata-pulse/ops/handler',
    exportName: 'handler',
    timeoutSeconds: FUNCTION_SETTINGS.healthCheck.timeoutSeconds,
    memoryMb: FUNCTION_SETTINGS.healthCheck.memoryMb,
    youngGenerationMb: YOUNG_GENERATION_MB,
  },
];

/**
 * What a function's worker imports: its prebuilt bundle when the host runs prebuilt (the `pulse`
 * CLI's build sets PULSE_PREBUILT_FUNCTIONS to packages/ops/dist/functions; set it by hand to try
 * the bundles from source), else the handler's TypeScript source by its package export.
 */
export function handlerModule(spec: LocalFunctionSpec, functionsDir = process.env.PULSE_PREBUILT_FUNCTIONS): string {
  if (!functionsDir) return spec.module;
  const bundle = join(functionsDir, `${spec.key}.mjs`);
  if (!existsSync(bundle)) {
    throw new Error(`the prebuilt handler ${bundle} is missing: run \`pnpm build\` (or \`pnpm install\`)`);
  }
  return pathToFileURL(bundle).href;
}
