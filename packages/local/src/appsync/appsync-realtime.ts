/**
 * AppSync's real-time endpoint for the local server, speaking the protocol AppSync documents for
 * building a client ("Building a real-time WebSocket client"), so one client works against both:
 *
 * - connect to `/graphql/realtime?header=<base64 JSON auth headers>&payload=<base64 "{}">` with
 *   the subprotocol `graphql-ws`; a header that does not authenticate answers `connection_error`
 *   and closes;
 * - `connection_init` -> `connection_ack` `{ connectionTimeoutMs }`, then `ka` every keepAliveMs;
 * - `start` `{ id, payload: { data: JSON string of { query, variables }, extensions: {
 *   authorization: <auth headers> } } }` -> `start_ack` `{ id }`, or `error` `{ id, payload: {
 *   errors } }` (bad authorization, a field the caller may not subscribe to, not a subscription);
 * - each matching mutation -> `data` `{ id, payload: { data } }`;
 * - `stop` `{ id }` -> `complete` `{ id }`.
 *
 * Delivery follows AppSync: a subscription field listens to the mutations its `@aws_subscribe`
 * names; each argument the subscriber gave must equal the same-named field of the mutation's
 * result (null or absent = no filter); and the subscriber's selection is answered from the fields
 * the mutation selected only (the rest come back null).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  type DocumentNode,
  execute,
  type FieldNode,
  type GraphQLError,
  type GraphQLSchema,
  getOperationAST,
  isObjectType,
  Kind,
  parse,
  validate,
} from 'graphql/index.js';
import { type WebSocket, WebSocketServer } from 'ws';
import { authenticate, type Caller, fieldRules, isAllowed, type LocalCognitoUser } from './appsync-auth';
import { isSigV4 } from './appsync-iam';

export const REALTIME_PATH = '/graphql/realtime';
export const REALTIME_SUBPROTOCOL = 'graphql-ws';
/** What AppSync announces in connection_ack: the longest a client should wait for a `ka`. */
export const CONNECTION_TIMEOUT_MS = 300_000;

interface AppSyncErrorEntry {
  errorType: string;
  message: string;
  errorCode?: number;
}

interface Subscription {
  id: string;
  socket: WebSocket;
  document: DocumentNode;
  variables: Record<string, unknown>;
  operationName: string | undefined;
  /** the Subscription field, its response key and its arguments' values */
  fieldName: string;
  filter: Record<string, unknown>;
  caller: Caller;
}

/** What executing a subscriber's selection needs from the server (its resolver context). */
export type ContextFor = (caller: Caller) => Record<string, unknown>;

export interface RealtimeOptions {
  schema: GraphQLSchema;
  auth: { apiKey: string; users: readonly LocalCognitoUser[] };
  contextFor: ContextFor;
  /** how often `ka` is sent (default 60 s) */
  keepAliveMs?: number;
}

const decodeJson = (base64: string | null): unknown => {
  if (base64 === null) return undefined;
  try {
    return JSON.parse(Buffer.from(base64, 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
};

/** Header-style auth (`x-api-key`, `Authorization`) from a JSON object, for `authenticate`. */
function headersOf(value: unknown): { get(name: string): string | null } {
  const entries = value && typeof value === 'object' ? Object.entries(value as Record<string, unknown>) : [];
  const map = new Map(entries.filter(([, v]) => typeof v === 'string').map(([k, v]) => [k.toLowerCase(), v as string]));
  return { get: (name) => map.get(name.toLowerCase()) ?? null };
}

/** Mutation field -> the Subscription fields that `@aws_subscribe` to it. */
function subscribersByMutation(schema: GraphQLSchema): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const field of Object.values(schema.getSubscriptionType()?.getFields() ?? {})) {
    const directive = field.astNode?.directives?.find((d) => d.name.value === 'aws_subscribe');
    const mutations = directive?.arguments?.find((a) => a.name.value === 'mutations')?.value;
    if (mutations?.kind !== Kind.LIST) continue;
    for (const m of mutations.values) {
      if (m.kind === Kind.STRING) out.set(m.value, [...(out.get(m.value) ?? []), field.name]);
    }
  }
  return out;
}

export class RealtimeHub {
  private readonly wss: WebSocketServer;
  private readonly subscriptions = new Map<WebSocket, Map<string, Subscription>>();
  private readonly byMutation: Map<string, string[]>;
  private readonly keepAliveMs: number;

  constructor(private readonly options: RealtimeOptions) {
    this.byMutation = subscribersByMutation(options.schema);
    this.keepAliveMs = options.keepAliveMs ?? 60_000;
    this.wss = new WebSocketServer({
      noServer: true,
      handleProtocols: (protocols) => (protocols.has(REALTIME_SUBPROTOCOL) ? REALTIME_SUBPROTOCOL : false),
    });
  }

  /** Take over an HTTP upgrade on REALTIME_PATH (the server refuses every other upgrade). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, req));
  }

  /** Fan a mutation's answer out: `value` is the mutation field's result as the mutation selected it. */
  publish(mutationField: string, value: unknown): void {
    const fields = this.byMutation.get(mutationField) ?? [];
    if (fields.length === 0 || !value || typeof value !== 'object') return;
    const result = value as Record<string, unknown>;
    for (const subs of this.subscriptions.values()) {
      for (const sub of subs.values()) {
        if (!fields.includes(sub.fieldName)) continue;
        const matches = Object.entries(sub.filter).every(([arg, want]) => want == null || result[arg] === want);
        if (matches) this.deliver(sub, result);
      }
    }
  }

  /** Subscriptions open now (tests and the bench wait for theirs). */
  get subscriptionCount(): number {
    let n = 0;
    for (const subs of this.subscriptions.values()) n += subs.size;
    return n;
  }

  close(): void {
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
  }

  private accept(ws: WebSocket, req: IncomingMessage): void {
    const send = (message: Record<string, unknown>) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    };
    const query = new URL(req.url ?? '/', 'http://local').searchParams;
    const header = decodeJson(query.get('header'));
    const authn = header === undefined ? undefined : authenticate(headersOf(header), this.options.auth);
    if (!authn?.ok || decodeJson(query.get('payload')) === undefined) {
      const error: AppSyncErrorEntry = authn
        ? { errorType: 'UnauthorizedException', message: authn.ok ? 'payload is not base64 JSON' : authn.message }
        : { errorType: 'UnauthorizedException', message: 'the header query parameter is not base64 JSON' };
      send({ type: 'connection_error', payload: { errors: [{ ...error, errorCode: 401 }] } });
      ws.close(1000);
      return;
    }
    this.subscriptions.set(ws, new Map());
    let keepAlive: NodeJS.Timeout | undefined;
    ws.on('close', () => {
      clearInterval(keepAlive);
      this.subscriptions.delete(ws);
    });
    ws.on('message', (raw) => {
      let message: { type?: unknown; id?: unknown; payload?: unknown };
      try {
        message = JSON.parse(String(raw));
      } catch {
        send({ type: 'error', payload: { errors: [{ errorType: 'BadRequest', message: 'message is not JSON' }] } });
        return;
      }
      switch (message.type) {
        case 'connection_init':
          send({ type: 'connection_ack', payload: { connectionTimeoutMs: CONNECTION_TIMEOUT_MS } });
          send({ type: 'ka' });
          clearInterval(keepAlive);
          keepAlive = setInterval(() => send({ type: 'ka' }), this.keepAliveMs);
          keepAlive.unref();
          return;
        case 'start': {
          const id = typeof message.id === 'string' ? message.id : '';
          const error = this.start(ws, id, message.payload);
          send(error ? { type: 'error', id, payload: { errors: [error] } } : { type: 'start_ack', id });
          return;
        }
        case 'stop': {
          const id = String(message.id ?? '');
          this.subscriptions.get(ws)?.delete(id);
          send({ type: 'complete', id });
          return;
        }
        default:
          send({
            type: 'error',
            ...(typeof message.id === 'string' ? { id: message.id } : {}),
            payload: {
              errors: [
                {
                  errorType: 'UnsupportedOperation',
                  message: `${String(message.type)} not supported through the realtime channel`,
                },
              ],
            },
          });
      }
    });
  }

  /** Register a subscription; answers the error that refuses it, if any. */
  private start(ws: WebSocket, id: string, payload: unknown): AppSyncErrorEntry | undefined {
    const fail = (errorType: string, message: string): AppSyncErrorEntry => ({ errorType, message });
    if (!id) return fail('BadRequest', 'start needs an id');
    const subs = this.subscriptions.get(ws);
    if (!subs) return fail('BadRequest', 'the connection is closing');
    if (subs.has(id)) return fail('BadRequest', `a subscription with id ${id} is already started`);

    const p = (payload ?? {}) as { data?: unknown; extensions?: { authorization?: unknown } };
    const authorization = headersOf(p.extensions?.authorization);
    if (isSigV4(authorization.get('authorization'))) {
      return fail(
        'UnauthorizedException',
        'IAM-signed subscriptions are not emulated locally: use x-api-key or a Cognito token',
      );
    }
    const authn = authenticate(authorization, this.options.auth);
    if (!authn.ok) return fail('UnauthorizedException', authn.message);

    let request: { query?: unknown; variables?: unknown; operationName?: unknown };
    try {
      request = JSON.parse(typeof p.data === 'string' ? p.data : '');
    } catch {
      return fail('BadRequest', 'payload.data must be a JSON string of { query, variables }');
    }
    let document: DocumentNode;
    try {
      document = parse(String(request.query ?? ''));
    } catch (error) {
      return fail('GraphQLError', (error as GraphQLError).message);
    }
    const operationName = typeof request.operationName === 'string' ? request.operationName : undefined;
    const operation = getOperationAST(document, operationName);
    if (operation?.operation !== 'subscription') {
      return fail(
        'UnsupportedOperation',
        `${operation?.operation ?? 'unknown'} not supported through the realtime channel`,
      );
    }
    const invalid = validate(this.options.schema, document);
    if (invalid.length > 0) return fail('GraphQLError', invalid.map((e) => e.message).join('; '));
    const fields = operation.selectionSet.selections.filter((s): s is FieldNode => s.kind === Kind.FIELD);
    const [field] = fields;
    if (!field || fields.length !== 1 || operation.selectionSet.selections.length !== 1) {
      return fail('BadRequest', 'a subscription selects exactly one field');
    }
    const type = this.options.schema.getSubscriptionType();
    const definition = type?.getFields()[field.name.value];
    if (!type || !isObjectType(type) || !definition) return fail('GraphQLError', `no subscription ${field.name.value}`);
    if (!isAllowed(authn.caller, fieldRules(type, definition))) {
      return fail('Unauthorized', `Not Authorized to access ${field.name.value} on type Subscription`);
    }

    const variables = (request.variables && typeof request.variables === 'object' ? request.variables : {}) as Record<
      string,
      unknown
    >;
    const filter: Record<string, unknown> = {};
    for (const arg of field.arguments ?? []) {
      const v = arg.value;
      if (v.kind === Kind.VARIABLE) filter[arg.name.value] = variables[v.name.value];
      else if (v.kind === Kind.STRING || v.kind === Kind.INT || v.kind === Kind.FLOAT || v.kind === Kind.BOOLEAN) {
        filter[arg.name.value] = v.kind === Kind.INT || v.kind === Kind.FLOAT ? Number(v.value) : v.value;
      }
    }
    subs.set(id, {
      id,
      socket: ws,
      document,
      variables,
      operationName,
      fieldName: field.name.value,
      filter,
      caller: authn.caller,
    });
    return undefined;
  }

  private deliver(sub: Subscription, result: Record<string, unknown>): void {
    // The subscriber's selection over what the mutation selected: graphql-js runs the subscription
    // operation as a query whose root field holds the mutation's answer.
    const answer = execute({
      schema: this.options.schema,
      document: sub.document,
      rootValue: { [sub.fieldName]: result },
      contextValue: this.options.contextFor(sub.caller),
      variableValues: sub.variables,
      operationName: sub.operationName,
    });
    const sendAnswer = (r: Awaited<typeof answer>) => {
      if (sub.socket.readyState !== sub.socket.OPEN) return;
      const payload: Record<string, unknown> = { data: r.data ?? null };
      if (r.errors?.length) payload.errors = r.errors.map((e) => ({ message: e.message, path: e.path ?? null }));
      sub.socket.send(JSON.stringify({ type: 'data', id: sub.id, payload }));
    };
    if (answer instanceof Promise) void answer.then(sendAnswer);
    else sendAnswer(answer);
  }
}
