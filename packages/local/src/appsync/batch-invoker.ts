/**
 * AppSync's BatchInvoke for the local server: a batched field's events of one request are sent to
 * the function as arrays of at most `maxBatchSize`, and each answer goes back to its own field.
 */
import { GraphQLError } from 'graphql/index.js';
import { appSyncError, isFunctionErrorPayload, lambdaError } from './appsync-errors';
import type { DirectLambdaEvent } from './appsync-events';

/** Collects the batched field's events of one request and sends them as BatchInvoke arrays. */
export class BatchInvoker {
  private readonly queues = new Map<
    string,
    { max: number; items: { event: DirectLambdaEvent; resolve: (v: unknown) => void; reject: (e: unknown) => void }[] }
  >();
  private scheduled = false;

  constructor(private readonly invoke: (event: unknown) => Promise<unknown>) {}

  load(key: string, max: number, event: DirectLambdaEvent): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const queue = this.queues.get(key) ?? { max, items: [] };
      queue.items.push({ event, resolve, reject });
      this.queues.set(key, queue);
      if (!this.scheduled) {
        this.scheduled = true;
        // Sibling list items resolve within the same turn; flush once they all have asked.
        setImmediate(() => this.flush());
      }
    });
  }

  private flush() {
    this.scheduled = false;
    const queues = [...this.queues.values()];
    this.queues.clear();
    for (const { max, items } of queues) {
      for (let i = 0; i < items.length; i += max) void this.send(items.slice(i, i + max));
    }
  }

  private async send(
    chunk: { event: DirectLambdaEvent; resolve: (v: unknown) => void; reject: (e: unknown) => void }[],
  ) {
    try {
      const results = await this.invoke(chunk.map((c) => c.event));
      if (isFunctionErrorPayload(results)) throw lambdaError(results);
      if (!Array.isArray(results) || results.length !== chunk.length) {
        throw appSyncError('Lambda:InvalidResponse', 'the batch resolver did not answer one result per event');
      }
      chunk.forEach((c, i) => {
        const r = (results[i] ?? {}) as { data?: unknown; errorType?: string; errorMessage?: string };
        if (r.errorMessage) c.reject(appSyncError(r.errorType ?? 'Lambda:Unhandled', r.errorMessage));
        else c.resolve(r.data ?? null);
      });
    } catch (error) {
      const failure = error instanceof GraphQLError ? error : lambdaError(error);
      for (const c of chunk) c.reject(failure);
    }
  }
}
