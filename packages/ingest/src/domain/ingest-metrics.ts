/**
 * The ingest's metric names (namespace OpenDataPulse, dimension service=opendata-pulse-ingest),
 * in one place so the use cases, alarms and dashboards spell them the same way.
 */
export const INGEST_METRICS = {
  /** observations in the stored response body (counted when an hour or a day is written) */
  recordsIngested: 'RecordsIngested',
  hoursWritten: 'HoursWritten',
  /** re-runs that found the same content already stored as the hour's newest version */
  hoursUnchanged: 'HoursUnchanged',
  /** backfills that stored a local day's answer (first fetch or revision) */
  daysWritten: 'DaysWritten',
  /** backfills whose answer matched the date's newest stored version */
  daysUnchanged: 'DaysUnchanged',
  /** earlier hours a scheduled run found missing and filled */
  hoursCaughtUp: 'HoursCaughtUp',
  catchUpFailures: 'CatchUpFailures',
  /** duration of every attempt against the NSW API, ms */
  upstreamLatency: 'UpstreamLatency',
  upstreamRetries: 'UpstreamRetries',
  /** invocations that ended in an error */
  failures: 'IngestFailures',
  referenceRefreshFailures: 'ReferenceRefreshFailures',
  circuitBreakerSkips: 'CircuitBreakerSkips',
} as const;
