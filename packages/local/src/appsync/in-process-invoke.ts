/**
 * Calls a Lambda handler in this process the way the Lambda runtime would: with a context object
 * and the thrown error's `name`/`message` standing for Lambda's `errorType`/`errorMessage`. For the
 * local stack and tests, which host the real handler unchanged.
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

export function lambdaContext(functionName: string, timeoutMs = 30_000): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** `invoke` for startGraphqlServer from a handler, e.g. `inProcessInvoke(handler)`. */
export function inProcessInvoke(
  handler: (event: unknown, context: Context) => Promise<unknown>,
  functionName = 'opendata-pulse-api',
): (event: unknown) => Promise<unknown> {
  return (event) => handler(event, lambdaContext(functionName));
}
