import pkg from '../package.json' with { type: 'json' };

/** Recorded in every raw envelope, so a bad object can be traced to the code that wrote it. */
export const INGEST_VERSION = `${pkg.name}@${pkg.version}`;
export const SERVICE_NAME = 'opendata-pulse-ingest';
