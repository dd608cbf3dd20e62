/** AppSync on one machine: the GraphQL server (schema, auth directives, AppSync-shaped errors) over the real API handler. */
export * from './appsync-auth';
export * from './appsync-config';
export * from './appsync-prelude';
export * from './graphql-server';
export * from './in-process-invoke';
