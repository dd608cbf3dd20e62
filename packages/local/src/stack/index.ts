/** The local stack: start it, drive it, stop it, and find a running one (endpoints.json in the data dir). */
export * from './data-dir';
export * from './endpoints-file';
export * from './local-stack';
export * from './run-local-stack';
export * from './stack-log';
