/** The pipeline as operations see it: data freshness, the raw zone's newest hour, queue depth. */
export * from './freshness';
export * from './zones';
