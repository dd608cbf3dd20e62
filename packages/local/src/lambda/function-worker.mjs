// One local "execution environment" for one Lambda function: a worker thread with its own module
// cache and its own process.env, as a Lambda sandbox has. The handler module is the function's
// prebuilt bundle (packages/ops dist/functions, as the `pulse` CLI runs it) or its TypeScript
// source (workspace packages export src/*.ts: tests, tools run through tsx); only for source is
// tsx's loader registered here first, so the worker does not depend on how its host was started.
//
// Protocol with the host (function-host.ts):
//   host -> worker  {type:'init'} (load the handler now: the init phase ahead of the first invoke)
//                   {type:'invoke', id, payload: <JSON text>, context: {...}}
//   worker -> host  {type:'result', id, payload: <JSON text>}
//                   {type:'error', id, error: {errorType, errorMessage, trace}}
// Event and result cross as JSON text, so the handler sees and returns exactly what Lambda's
// JSON serialisation would give it.
import { parentPort, workerData } from 'node:worker_threads';

const { module: specifier, exportName, functionName, memoryMb } = workerData;

/** Where the specifier leads, or undefined when it does not resolve (reported at the first invoke). */
function resolved(spec) {
  try {
    return import.meta.resolve(spec);
  } catch {
    return undefined;
  }
}

if (/\.[cm]?tsx?$/.test(resolved(specifier) ?? '')) {
  const { register } = await import('tsx/esm/api');
  register();
}

/** Lambda's init errors carry these types; keep them so callers see what AWS would show. */
function initError(errorType, error) {
  return Object.assign(new Error(error?.message ?? String(error)), { name: errorType, cause: error });
}

let handlerPromise;
function loadHandler() {
  handlerPromise ??= import(specifier).then(
    (mod) => {
      const fn = mod[exportName];
      if (typeof fn !== 'function') {
        handlerPromise = undefined;
        throw initError(
          'Runtime.HandlerNotFound',
          new Error(`${specifier} does not export a function '${exportName}'`),
        );
      }
      return fn;
    },
    (error) => {
      // A failed init is retried on the next invoke, as Lambda does.
      handlerPromise = undefined;
      const missing = error?.code === 'ERR_MODULE_NOT_FOUND' || error?.code === 'ERR_PACKAGE_PATH_NOT_EXPORTED';
      if (missing) throw initError('Runtime.ImportModuleError', error);
      if (error instanceof SyntaxError) throw initError('Runtime.UserCodeSyntaxError', error);
      throw error;
    },
  );
  return handlerPromise;
}

function toErrorPayload(error) {
  const err = error instanceof Error ? error : new Error(String(error));
  return {
    errorType: err.name || 'Error',
    errorMessage: err.message,
    trace: typeof err.stack === 'string' ? err.stack.split('\n') : [],
  };
}

function lambdaContext(ctx) {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: ctx.invokedFunctionArn,
    memoryLimitInMB: String(memoryMb),
    awsRequestId: ctx.awsRequestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: ctx.logStreamName,
    getRemainingTimeInMillis: () => Math.max(0, ctx.deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

async function invoke(message) {
  try {
    const handler = await loadHandler();
    const event = JSON.parse(message.payload);
    const result = await handler(event, lambdaContext(message.context));
    parentPort.postMessage({ type: 'result', id: message.id, payload: JSON.stringify(result ?? null) });
  } catch (error) {
    parentPort.postMessage({ type: 'error', id: message.id, error: toErrorPayload(error) });
  }
}

parentPort.on('message', (message) => {
  // An init failure is reported by the invoke that follows (Lambda reports it on the invoke too).
  if (message?.type === 'init') loadHandler().catch(() => {});
  if (message?.type === 'invoke') void invoke(message);
});
