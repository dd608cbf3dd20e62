/**
 * Lambda's Invoke API over HTTP, in front of the local functions, so the AWS SDK's LambdaClient
 * (and so the ops CLI with `--local`) reaches the real handlers through AWS_ENDPOINT_URL_LAMBDA.
 * Only Invoke: POST /2015-03-31/functions/{FunctionName}/invocations. Answers as Lambda does:
 * a function error is a 200 with X-Amz-Function-Error and the error as the body; an unknown
 * function is a 404 ResourceNotFoundException; `Event` invocations answer 202 and run behind.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { LOCAL_ACCOUNT_ID } from '@opendata-pulse/shared/aws';
import { listen } from '../stack/ports';
import type { FunctionHost, InvokeOutcome, LocalFunctionKey } from './function-host';

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?$/;
/** Lambda's payload limits: 6 MB synchronous, 1 MB asynchronous. */
const SYNC_LIMIT = 6 * 1024 * 1024;
const ASYNC_LIMIT = 1024 * 1024;

export interface InvokeServerOptions {
  host: string;
  port: number;
  functions: FunctionHost;
  /** told about every invocation (for the stack's one-line log) */
  onInvoke?: (key: LocalFunctionKey, invocationType: string, outcome: InvokeOutcome) => void;
}

export interface InvokeServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

function sendError(res: ServerResponse, status: number, type: string, message: string): void {
  res.writeHead(status, {
    'content-type': 'application/json',
    'x-amzn-errortype': type,
    'x-amzn-requestid': randomUUID(),
  });
  res.end(JSON.stringify({ Type: 'User', message }));
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function logTail(outcome: InvokeOutcome): string {
  const id = outcome.requestId;
  const lines = [
    `START RequestId: ${id} Version: $LATEST`,
    ...(outcome.ok ? [] : [`ERROR ${outcome.error.errorType}: ${outcome.error.errorMessage}`]),
    `END RequestId: ${id}`,
    `REPORT RequestId: ${id}\tDuration: ${outcome.durationMs.toFixed(2)} ms`,
  ];
  return Buffer.from(`${lines.join('\n')}\n`).toString('base64');
}

export async function startInvokeServer(options: InvokeServerOptions): Promise<InvokeServer> {
  const { functions } = options;
  const background = new Set<Promise<unknown>>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = INVOKE_PATH.exec(url.pathname);
    if (!match || req.method !== 'POST') {
      return sendError(
        res,
        404,
        'UnknownOperationException',
        'The local Lambda endpoint implements Invoke only: POST /2015-03-31/functions/{FunctionName}/invocations',
      );
    }
    const rawName = match[1] ?? '';
    const qualifier = url.searchParams.get('Qualifier') ?? undefined;
    const key = functions.find(rawName, qualifier);
    if (!key) {
      const shown = decodeURIComponent(rawName);
      const arn = shown.startsWith('arn:')
        ? shown
        : `arn:aws:lambda:${functions.region}:${LOCAL_ACCOUNT_ID}:function:${shown}${qualifier ? `:${qualifier}` : ''}`;
      return sendError(res, 404, 'ResourceNotFoundException', `Function not found: ${arn}`);
    }
    const invocationType = String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse');
    if (!['RequestResponse', 'Event', 'DryRun'].includes(invocationType)) {
      return sendError(res, 400, 'InvalidParameterValueException', `Invalid InvocationType: ${invocationType}`);
    }
    const body = await readBody(req, invocationType === 'Event' ? ASYNC_LIMIT : SYNC_LIMIT);
    if (!body) {
      return sendError(
        res,
        413,
        'RequestTooLargeException',
        'Request must be smaller than the invocation payload limit',
      );
    }
    const payload = body.length === 0 ? '{}' : body.toString('utf8');
    try {
      JSON.parse(payload);
    } catch {
      return sendError(res, 400, 'InvalidRequestContentException', 'Could not parse request body into json');
    }
    if (invocationType === 'DryRun') {
      res.writeHead(204, { 'x-amzn-requestid': randomUUID() });
      return void res.end();
    }
    if (invocationType === 'Event') {
      const run = functions.invokeRaw(key, payload).then((outcome) => options.onInvoke?.(key, 'Event', outcome));
      background.add(run);
      void run.finally(() => background.delete(run));
      res.writeHead(202, { 'x-amzn-requestid': randomUUID() });
      return void res.end();
    }
    const outcome = await functions.invokeRaw(key, payload);
    options.onInvoke?.(key, invocationType, outcome);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-amzn-requestid': outcome.requestId,
      'x-amz-executed-version': '$LATEST',
    };
    if (req.headers['x-amz-log-type'] === 'Tail') headers['x-amz-log-result'] = logTail(outcome);
    if (!outcome.ok) headers['x-amz-function-error'] = 'Unhandled';
    res.writeHead(200, headers);
    res.end(outcome.ok ? outcome.payload : JSON.stringify(outcome.error));
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => {
      if (!res.headersSent) sendError(res, 500, 'ServiceException', error.message);
      else res.destroy();
    });
  });
  const port = await listen(server, options.port, options.host, 'Lambda invoke endpoint');
  return {
    url: `http://${options.host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
