/** Lambda on one machine: each function's real handler in its own worker, and the Invoke endpoint in front. */
export * from './function-host';
export * from './lambda-invoke-server';
