/**
 * The local Lambda runtime: each function's real handler runs in its own worker thread (its own
 * module cache and process.env, like a Lambda execution environment), created at the first
 * invoke (cold start). A handler error is returned as Lambda returns it; an init failure, a crash
 * or a timeout ends that environment and the next invoke starts a fresh one, so a broken handler
 * never takes the stack down.
 */
import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { LOCAL_ACCOUNT_ID } from '@opendata-pulse/shared/aws';
import { stageName } from '@opendata-pulse/shared/infra';
import {
  handlerModule,
  LOCAL_FUNCTION_SPECS,
  type LocalFunctionKey,
  type LocalFunctionSpec,
  YOUNG_GENERATION_MB,
} from './function-specs';

export { LOCAL_FUNCTION_SPECS, type LocalFunctionKey, type LocalFunctionSpec } from './function-specs';

/** What Lambda returns in the body when a function fails (X-Amz-Function-Error is set). */
export interface LambdaErrorPayload {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

export type InvokeOutcome =
  | { ok: true; payload: string; durationMs: number; requestId: string }
  | { ok: false; error: LambdaErrorPayload; durationMs: number; requestId: string };

/**
 * Thrown by `invoke` when the function failed. `errorType`/`errorMessage` are Lambda's, as AppSync
 * and other callers read them.
 */
export class FunctionError extends Error {
  readonly errorType: string;
  readonly errorMessage: string;

  constructor(
    readonly functionName: string,
    readonly payload: LambdaErrorPayload,
  ) {
    super(`${functionName} failed: ${payload.errorType}: ${payload.errorMessage}`);
    this.name = 'FunctionError';
    this.errorType = payload.errorType;
    this.errorMessage = payload.errorMessage;
  }
}

export interface FunctionHostOptions {
  stage: string;
  region: string;
  /** environment every function gets (config, endpoints); the host adds the AWS_LAMBDA_* ones */
  env: Record<string, string>;
  specs?: readonly LocalFunctionSpec[];
  /** where the handlers' own stdout/stderr go */
  output?: NodeJS.WritableStream;
  /** called when an environment ends abnormally (crash, timeout) */
  onEnvironmentEnded?: (functionName: string, reason: string) => void;
  /**
   * the prebuilt handler bundles to run instead of the handlers' source (default
   * PULSE_PREBUILT_FUNCTIONS, which the `pulse` CLI's build sets; see function-specs.ts)
   */
  prebuiltFunctionsDir?: string;
}

interface Pending {
  resolve: (outcome: InvokeOutcome) => void;
  started: number;
  requestId: string;
  timer: NodeJS.Timeout;
}

type WorkerMessage =
  | { type: 'result'; id: number; payload: string }
  | { type: 'error'; id: number; error: LambdaErrorPayload };

const WORKER_URL = new URL('./function-worker.mjs', import.meta.url);

class LocalFunction {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private stopped = false;

  constructor(
    readonly spec: LocalFunctionSpec,
    readonly name: string,
    readonly arn: string,
    private readonly env: Record<string, string>,
    private readonly output: NodeJS.WritableStream,
    private readonly onEnded: (reason: string) => void,
  ) {}

  get inFlight(): number {
    return this.pending.size;
  }

  invoke(payload: string): Promise<InvokeOutcome> {
    const requestId = randomUUID();
    const started = Date.now();
    if (this.stopped) {
      return Promise.resolve({
        ok: false,
        error: { errorType: 'ServiceException', errorMessage: 'the local stack is stopping' },
        durationMs: 0,
        requestId,
      });
    }
    const worker = this.ensureWorker();
    const id = this.nextId++;
    const timeoutMs = this.spec.timeoutSeconds * 1000;
    return new Promise<InvokeOutcome>((resolve) => {
      const timer = setTimeout(() => {
        this.endEnvironment(
          'Sandbox.Timedout',
          `RequestId: ${requestId} Error: Task timed out after ${this.spec.timeoutSeconds.toFixed(2)} seconds`,
        );
      }, timeoutMs);
      this.pending.set(id, { resolve, started, requestId, timer });
      worker.postMessage({
        type: 'invoke',
        id,
        payload,
        context: {
          awsRequestId: requestId,
          invokedFunctionArn: this.arn,
          deadline: started + timeoutMs,
          logStreamName: `local/${this.spec.key}/${started}`,
        },
      });
    });
  }

  /** Create the environment and run the handler's init now, ahead of the first invoke. */
  prewarm(): void {
    if (this.stopped || this.worker) return;
    this.ensureWorker().postMessage({ type: 'init' });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.failAll('ServiceException', 'the local stack stopped before the function returned');
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_URL, {
      workerData: {
        module: this.spec.module,
        exportName: this.spec.exportName,
        functionName: this.name,
        memoryMb: this.spec.memoryMb,
      },
      env: {
        ...this.env,
        AWS_LAMBDA_FUNCTION_NAME: this.name,
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(this.spec.memoryMb),
        AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${this.name}`,
      },
      // The worker registers its own TypeScript loader; inheriting the host's flags (tsx's, vitest's)
      // would load a second one.
      execArgv: [],
      // A handler's garbage is short-lived (one event's worth): a young generation sized to the
      // function's events holds it, where V8's default lets each worker's grow to tens of MB of
      // resident memory (packages/local/README.md, "Memory").
      resourceLimits: { maxYoungGenerationSizeMb: this.spec.youngGenerationMb ?? YOUNG_GENERATION_MB },
      stdout: true,
      stderr: true,
    });
    worker.stdout.pipe(this.output, { end: false });
    worker.stderr.pipe(this.output, { end: false });
    worker.on('message', (message: WorkerMessage) => this.settle(message));
    worker.on('error', (error) => {
      if (this.worker !== worker) return;
      this.endEnvironment('Runtime.ExitError', `Runtime exited with error: ${error.message}`);
    });
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.endEnvironment('Runtime.ExitError', `Runtime exited with code ${code}`);
    });
    this.worker = worker;
    return worker;
  }

  private settle(message: WorkerMessage): void {
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    clearTimeout(pending.timer);
    const durationMs = Date.now() - pending.started;
    pending.resolve(
      message.type === 'result'
        ? { ok: true, payload: message.payload, durationMs, requestId: pending.requestId }
        : { ok: false, error: message.error, durationMs, requestId: pending.requestId },
    );
  }

  /** End this environment (crash or timeout): fail what is in flight, start afresh next time. */
  private endEnvironment(errorType: string, errorMessage: string): void {
    const worker = this.worker;
    this.worker = undefined;
    this.failAll(errorType, errorMessage);
    if (worker) void worker.terminate();
    if (!this.stopped) this.onEnded(`${errorType}: ${errorMessage}`);
  }

  private failAll(errorType: string, errorMessage: string): void {
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      this.pending.delete(id);
      pending.resolve({
        ok: false,
        error: { errorType, errorMessage },
        durationMs: Date.now() - pending.started,
        requestId: pending.requestId,
      });
    }
  }
}

/** `name`, `name:QUALIFIER`, `account:function:name[:q]` or a full ARN -> name and qualifier. */
export function parseFunctionName(raw: string): { name: string; qualifier?: string } {
  const parts = decodeURIComponent(raw).split(':');
  if (parts[0] === 'arn') {
    // arn:aws:lambda:region:account:function:name[:qualifier]
    return { name: parts[6] ?? '', ...(parts[7] ? { qualifier: parts[7] } : {}) };
  }
  if (parts.length >= 3 && parts[1] === 'function') {
    return { name: parts[2] ?? '', ...(parts[3] ? { qualifier: parts[3] } : {}) };
  }
  return { name: parts[0] ?? '', ...(parts[1] ? { qualifier: parts[1] } : {}) };
}

/** Qualifiers the local functions answer to: the unpublished version and the LIVE alias. */
const QUALIFIERS = new Set(['$LATEST', 'LIVE']);

export class FunctionHost {
  private readonly functions = new Map<LocalFunctionKey, LocalFunction>();
  readonly region: string;
  readonly stage: string;

  constructor(options: FunctionHostOptions) {
    this.region = options.region;
    this.stage = options.stage;
    const output = options.output ?? process.stderr;
    for (const spec of options.specs ?? LOCAL_FUNCTION_SPECS) {
      const name = stageName(spec.baseName, options.stage);
      const arn = `arn:aws:lambda:${options.region}:${LOCAL_ACCOUNT_ID}:function:${name}`;
      this.functions.set(
        spec.key,
        new LocalFunction(
          {
            ...spec,
            module: handlerModule(spec, options.prebuiltFunctionsDir ?? process.env.PULSE_PREBUILT_FUNCTIONS),
          },
          name,
          arn,
          options.env,
          output,
          (reason) => options.onEnvironmentEnded?.(name, reason),
        ),
      );
    }
  }

  /** The deployed-style name of each hosted function (e.g. opendata-pulse-ingest-local). */
  names(): Record<LocalFunctionKey, string> {
    return Object.fromEntries([...this.functions].map(([key, fn]) => [key, fn.name])) as Record<
      LocalFunctionKey,
      string
    >;
  }

  nameOf(key: LocalFunctionKey): string {
    return this.get(key).name;
  }

  /** Find a function by any name Lambda's Invoke accepts; the bare base name works too. */
  find(functionName: string, qualifier?: string): LocalFunctionKey | undefined {
    const parsed = parseFunctionName(functionName);
    const q = qualifier ?? parsed.qualifier;
    if (q !== undefined && !QUALIFIERS.has(q)) return undefined;
    for (const [key, fn] of this.functions) {
      if (parsed.name === fn.name || parsed.name === fn.spec.baseName) return key;
    }
    return undefined;
  }

  arnOf(key: LocalFunctionKey): string {
    return this.get(key).arn;
  }

  /** Invoke with a JSON text payload; never throws for a function error (Lambda's Invoke shape). */
  invokeRaw(key: LocalFunctionKey, payload: string): Promise<InvokeOutcome> {
    return this.get(key).invoke(payload);
  }

  /** Invoke with an event object; resolves with the parsed result, throws FunctionError on failure. */
  async invoke<T = unknown>(key: LocalFunctionKey, event: unknown): Promise<T> {
    const outcome = await this.invokeRaw(key, JSON.stringify(event ?? null));
    if (!outcome.ok) throw new FunctionError(this.nameOf(key), outcome.error);
    return JSON.parse(outcome.payload) as T;
  }

  /** Start these functions' environments now (like provisioned concurrency), so no caller waits on a cold start. */
  prewarm(...keys: LocalFunctionKey[]): void {
    for (const key of keys) this.get(key).prewarm();
  }

  inFlight(): number {
    let n = 0;
    for (const fn of this.functions.values()) n += fn.inFlight;
    return n;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.functions.values()].map((fn) => fn.stop()));
  }

  private get(key: LocalFunctionKey): LocalFunction {
    const fn = this.functions.get(key);
    if (!fn) throw new Error(`no local function '${key}'`);
    return fn;
  }
}
