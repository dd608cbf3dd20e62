/**
 * The functions the local stack hosts: each one's real handler, by its package export, with the
 * timeout and memory it is deployed with (shared infra/functions.json).
 */
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
}

/** The functions the stack hosts, each with its deployed timeout and memory (shared infra/functions.json). */
export const LOCAL_FUNCTION_SPECS: readonly LocalFunctionSpec[] = [
  {
    key: 'ingest',
    baseName: BASE_NAMES.ingestFunction,
    module: '@opendata-pulse/ingest/handler',
    exportName: 'handler',
    timeoutSeconds: FUNCTION_SETTINGS.ingest.timeoutSeconds,
    memoryMb: FUNCTION_SETTINGS.ingest.memoryMb,
  },
  {
    key: 'etl',
    baseName: BASE_NAMES.etlFunction,
    module: '@opendata-pulse/etl/handler',
    exportName: 'handler',
    timeoutSeconds: FUNCTION_SETTINGS.etl.timeoutSeconds,
    memoryMb: FUNCTION_SETTINGS.etl.memoryMb,
  },
  {
    key: 'api',
    baseName: BASE_NAMES.apiFunction,
    module: '@opendata-pulse/api/handler',
    exportName: 'handler',
    timeoutSeconds: FUNCTION_SETTINGS.api.timeoutSeconds,
    memoryMb: FUNCTION_SETTINGS.api.memoryMb,
  },
  {
    key: 'healthCheck',
    baseName: BASE_NAMES.healthCheckFunction,
    module: '@opendata-pulse/ops/handler',
    exportName: 'handler',
    timeoutSeconds: FUNCTION_SETTINGS.healthCheck.timeoutSeconds,
    memoryMb: FUNCTION_SETTINGS.healthCheck.memoryMb,
  },
];
