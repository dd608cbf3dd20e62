/**
 * Structured logs and EMF metrics (Powertools), one factory each so every service names itself
 * the same way.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

export const METRICS_NAMESPACE = 'OpenDataPulse';
export type { Logger, Metrics };
export { MetricUnit };

import type { LogLevel } from '../config';

/** A logger at the given level (handlers pass `logLevelFrom(env)` from shared config). */
export function createLogger(serviceName: string, logLevel: LogLevel): Logger {
  return new Logger({ serviceName, logLevel });
}

export function createMetrics(serviceName: string): Metrics {
  return new Metrics({ namespace: METRICS_NAMESPACE, serviceName });
}
