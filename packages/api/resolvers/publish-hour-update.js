/**
 * Mutation.publishHourUpdate on the NONE data source `hour_updates` (APPSYNC_JS): the ETL's update
 * goes through unchanged, and AppSync hands the mutation's result (the fields it selected) to the
 * onHourUpdate subscribers. The local GraphQL server runs this same file.
 */
export function request(ctx) {
  return { payload: ctx.arguments.input };
}

export function response(ctx) {
  return ctx.result;
}
