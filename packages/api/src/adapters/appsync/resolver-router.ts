/**
 * Routes an AppSync direct-Lambda event (or a BatchInvoke array) to its resolver and maps every
 * failure through shared's one mapping (`toErrorView`):
 * - a single event answers the resolver's result, or throws an error whose `name` is the
 *   errorType and whose message is safe to show: Lambda reports them as `errorType` /
 *   `errorMessage`, which AppSync turns into the GraphQL error;
 * - a batch answers one `{ data }` or `{ data: null, errorType, errorMessage }` per event, in order
 *   (AppSync's response contract for batched direct resolvers).
 * Internal errors are logged with their details and shown only as a generic message.
 */
import { CircuitOpenError, type ErrorView, toErrorView } from '@opendata-pulse/shared/errors';
import type { Logger } from '@opendata-pulse/shared/observability';
import { type AppSyncEvent, appSyncEventSchema, fieldKey } from './appsync-event';
import type { ResolverDeps, Route } from './resolver-routes';

/** What Lambda turns into AppSync's `errorType` (the name) and `errorMessage`. */
export class ResolverError extends Error {
  constructor(view: ErrorView) {
    super(view.message);
    this.name = view.errorType;
  }
}

export interface BatchItemResult {
  data: unknown;
  errorType?: string;
  errorMessage?: string;
}

export interface RouterRuntime {
  deps: ResolverDeps;
  /** CIRCUIT_BREAKER=true: answer every request with CircuitOpen */
  circuitOpen: boolean;
}

function describe(error: unknown, field: string, logger: Pick<Logger, 'error' | 'info'>): ErrorView {
  const view = toErrorView(error);
  if (view.errorType === 'InternalError') logger.error('resolver failed', { field, error: error as Error });
  else logger.info('resolver refused the request', { field, errorType: view.errorType, reason: view.message });
  return view;
}

const itemError = (view: ErrorView): BatchItemResult => ({
  data: null,
  errorType: view.errorType,
  errorMessage: view.message,
});

function parseEvent(raw: unknown): AppSyncEvent {
  const parsed = appSyncEventSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`not an AppSync resolver event: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

async function resolveSingle(
  raw: unknown,
  routes: Readonly<Record<string, Route>>,
  runtime: () => Promise<RouterRuntime>,
  logger: Logger,
) {
  let field = '(unknown field)';
  try {
    const event = parseEvent(raw);
    field = fieldKey(event);
    const { deps, circuitOpen } = await runtime();
    if (circuitOpen)
      throw new CircuitOpenError('The API is paused by its operators (circuit breaker on); try again later');
    const route = routes[field];
    if (!route) throw new Error(`no resolver is registered for ${field}`);
    if (route.kind === 'single') return await route.resolve(event, deps);
    const [result] = await route.resolve([event], deps);
    if (result instanceof Error) throw result;
    return result;
  } catch (error) {
    throw new ResolverError(describe(error, field, logger));
  }
}

async function resolveBatch(
  raws: unknown[],
  routes: Readonly<Record<string, Route>>,
  runtime: () => Promise<RouterRuntime>,
  logger: Logger,
): Promise<BatchItemResult[]> {
  let field = '(unknown field)';
  try {
    const events = raws.map(parseEvent);
    const fields = new Set(events.map(fieldKey));
    field = [...fields].join(', ');
    if (fields.size > 1) throw new Error(`a batch mixes fields: ${field}`);
    const { deps, circuitOpen } = await runtime();
    if (circuitOpen)
      throw new CircuitOpenError('The API is paused by its operators (circuit breaker on); try again later');
    const route = routes[field];
    if (!route) throw new Error(`no resolver is registered for ${field}`);
    const results =
      route.kind === 'batch'
        ? await route.resolve(events, deps)
        : await Promise.all(events.map((e) => route.resolve(e, deps).catch((error: unknown) => error as Error)));
    if (results.length !== events.length) {
      throw new Error(`resolver for ${field} answered ${results.length} results for ${events.length} events`);
    }
    return results.map((result) =>
      result instanceof Error ? itemError(describe(result, field, logger)) : { data: result },
    );
  } catch (error) {
    const view = describe(error, field, logger);
    return raws.map(() => itemError(view));
  }
}

/** Dispatch one Lambda invocation from AppSync (single event or BatchInvoke array). */
export function dispatch(
  event: unknown,
  routes: Readonly<Record<string, Route>>,
  runtime: () => Promise<RouterRuntime>,
  logger: Logger,
): Promise<unknown> {
  return Array.isArray(event)
    ? resolveBatch(event, routes, runtime, logger)
    : resolveSingle(event, routes, runtime, logger);
}
