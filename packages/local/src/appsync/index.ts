/** AppSync on one machine: the GraphQL server (schema, auth directives, AppSync-shaped errors, resolver cache) over the real API handler. */
export * from './appsync-auth';
export * from './appsync-config';
export * from './appsync-iam';
export * from './appsync-prelude';
export { CONNECTION_TIMEOUT_MS, REALTIME_PATH, REALTIME_SUBPROTOCOL } from './appsync-realtime';
export { CACHE_PATH } from './cache-endpoint';
export * from './graphiql-examples';
export * from './graphql-server';
export * from './in-process-invoke';
export { RealtimeClient, type RealtimeMessage } from './realtime-client';
export * from './resolver-cache';
