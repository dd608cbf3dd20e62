/**
 * Counting HTTP proxies in front of the local AWS servers: every request a handler sends to S3,
 * DynamoDB or SQS passes through one, which tallies it by service and operation before forwarding
 * it unchanged (DynamoDB aside, below). The tallies are the request counts the cost model prices.
 *
 * DynamoDB: each read or write asks for `ReturnConsumedCapacity: INDEXES`, so dynalite reports the
 * capacity units it charged (its sizing follows DynamoDB's: 1 KB per write unit, 4 KB per read
 * unit, half for eventually consistent reads, an update billed on the larger of old and new item).
 * Adding that field changes nothing else in the answer; dynalite does not check signatures.
 * dynalite reports no index write units, so the proxy remembers which keys each write touched and
 * the write units it cost: `gsiWriteUnits` prices the writes to items that sit in the index.
 * A conditional write that fails is charged by DynamoDB too; dynalite reports nothing for it, so
 * it is counted as one write unit (`failedConditionalWrites`), the minimum DynamoDB charges.
 *
 * The proxy sits on every request of the scenario it counts (the floor has none), so it does no
 * more on that path than the counting needs: the capacity field is spliced into the request text,
 * only the answer's `ConsumedCapacity` is parsed (a Query's answer holds every item read), and
 * which keys a write touched is worked out from the kept request text when the tally is read.
 */
import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { consumedCapacityOf, withConsumedCapacity } from './dynamo-capacity-text';

export type AwsService = 's3' | 'dynamodb' | 'sqs';

type AttributeValue = Record<string, unknown>;
type Item = Record<string, AttributeValue>;

export interface DynamoTally {
  writeUnits: number;
  readUnits: number;
  failedConditionalWrites: number;
  /** write units per item key (PK/SK as JSON), for the index share */
  writeUnitsByKey: Map<string, number>;
}

export interface RequestTally {
  /** `<operation>` or `<operation> <bucket>` (S3) -> requests */
  requests: Map<string, number>;
  /** request body bytes per operation key (S3 PUT sizes) */
  bytes: Map<string, number>;
  dynamo: DynamoTally;
}

export function emptyTally(): RequestTally {
  return {
    requests: new Map(),
    bytes: new Map(),
    dynamo: { writeUnits: 0, readUnits: 0, failedConditionalWrites: 0, writeUnitsByKey: new Map() },
  };
}

const DYNAMO_WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);
const DYNAMO_READS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem']);

/** DynamoDB's item size: attribute names plus values (numbers approximated by their digits). */
export function dynamoItemSize(item: Item): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) size += Buffer.byteLength(name) + valueSize(value);
  return size;
}

function valueSize(value: AttributeValue): number {
  const [type, v] = Object.entries(value)[0] ?? [];
  switch (type) {
    case 'S':
      return Buffer.byteLength(String(v));
    case 'N':
      return Math.ceil(significantDigits(String(v)) / 2) + 1;
    case 'B':
      return Buffer.from(String(v), 'base64').length;
    case 'BOOL':
    case 'NULL':
      return 1;
    case 'SS':
    case 'NS':
    case 'BS':
      return (v as string[]).reduce((n, s) => n + Buffer.byteLength(s), 0);
    case 'L':
      return 3 + (v as AttributeValue[]).reduce((n, e) => n + 1 + valueSize(e), 0);
    case 'M':
      return 3 + dynamoItemSize(v as Item) + Object.keys(v as Item).length;
    default:
      return 0;
  }
}

function significantDigits(n: string): number {
  const digits = n
    .replace(/e.*$/i, '')
    .replace(/[-.]/g, '')
    .replace(/^0+|0+$/g, '');
  return Math.max(1, digits.length);
}

function keyOf(item: Item, keyNames: readonly string[]): string {
  return JSON.stringify(keyNames.map((k) => item[k] ?? null));
}

export interface CountingProxy {
  readonly service: AwsService;
  readonly url: string;
  /** where requests go; set before the first request arrives */
  target: string | undefined;
  tally: RequestTally;
  /** start a fresh tally and return the previous one */
  reset(): RequestTally;
  close(): Promise<void>;
}

export interface CountingProxyOptions {
  service: AwsService;
  /** the table's key attribute names (DynamoDB), to remember which item each write touched */
  keyNames?: readonly string[];
  host?: string;
}

export async function startCountingProxy(options: CountingProxyOptions): Promise<CountingProxy> {
  const host = options.host ?? '127.0.0.1';
  const keyNames = options.keyNames ?? ['PK', 'SK'];
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  let tally = emptyTally();
  const state = { target: undefined as string | undefined };

  const bump = (map: Map<string, number>, key: string, by = 1) => map.set(key, (map.get(key) ?? 0) + by);

  function s3Operation(req: IncomingMessage): string {
    const url = new URL(req.url ?? '/', 'http://local');
    const [, bucket = '', ...rest] = url.pathname.split('/');
    const hasKey = rest.join('/') !== '';
    const method = req.method ?? 'GET';
    let op: string;
    if (method === 'PUT') op = hasKey ? (req.headers['x-amz-copy-source'] ? 'CopyObject' : 'PutObject') : 'PutBucket';
    else if (method === 'GET') op = hasKey ? 'GetObject' : 'ListObjects';
    else if (method === 'HEAD') op = hasKey ? 'HeadObject' : 'HeadBucket';
    else if (method === 'DELETE') op = hasKey ? 'DeleteObject' : 'DeleteBucket';
    else if (method === 'POST') op = url.searchParams.has('delete') ? 'DeleteObjects' : 'PostObject';
    else op = method;
    return `${op} ${decodeURIComponent(bucket)}`;
  }

  function sqsOperation(req: IncomingMessage, body: Buffer): string {
    const target = req.headers['x-amz-target'];
    if (typeof target === 'string') return target.split('.').pop() ?? target;
    return new URLSearchParams(body.toString('utf8')).get('Action') ?? 'Unknown';
  }

  /** Answered writes whose keys are not yet tallied: worked out when the tally is read. */
  let pendingWrites: { op: string; body: Buffer; units: number }[] = [];
  function settleWrites() {
    const pending = pendingWrites;
    pendingWrites = [];
    for (const { op, body, units } of pending) {
      let input: Record<string, unknown>;
      try {
        input = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      } catch {
        continue;
      }
      if (op === 'BatchWriteItem') recordBatchWrite(input);
      else recordWriteKeys(op, input, units);
    }
  }

  function recordWriteKeys(op: string, input: Record<string, unknown>, units: number) {
    const byKey = tally.dynamo.writeUnitsByKey;
    if (op === 'PutItem') bump(byKey, keyOf(input.Item as Item, keyNames), units);
    else if (op === 'UpdateItem' || op === 'DeleteItem') bump(byKey, keyOf(input.Key as Item, keyNames), units);
  }

  function recordBatchWrite(input: Record<string, unknown>) {
    const requests = Object.values(
      (input.RequestItems ?? {}) as Record<string, Array<Record<string, { Item?: Item; Key?: Item }>>>,
    );
    for (const list of requests) {
      for (const r of list) {
        const item = r.PutRequest?.Item;
        if (item)
          bump(
            tally.dynamo.writeUnitsByKey,
            keyOf(item, keyNames),
            Math.max(1, Math.ceil(dynamoItemSize(item) / 1024)),
          );
        const key = r.DeleteRequest?.Key;
        if (key) bump(tally.dynamo.writeUnitsByKey, keyOf(key, keyNames), 1);
      }
    }
  }

  function capacityOf(answer: Record<string, unknown> | undefined): number {
    const consumed = answer?.ConsumedCapacity as
      | { CapacityUnits?: number }
      | Array<{ CapacityUnits?: number }>
      | undefined;
    if (!consumed) return 0;
    const list = Array.isArray(consumed) ? consumed : [consumed];
    return list.reduce((n, c) => n + (c.CapacityUnits ?? 0), 0);
  }

  function forward(
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    onAnswer?: (status: number, answer: Buffer) => void,
  ) {
    if (!state.target) {
      res.writeHead(502).end('counting proxy has no target');
      return;
    }
    const target = new URL(state.target);
    const headers = { ...req.headers, host: target.host, 'content-length': String(body.length) };
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers, agent },
      (answer) => {
        if (!onAnswer) {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          return;
        }
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => {
          const raw = Buffer.concat(chunks);
          try {
            const text = answer.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
            onAnswer(answer.statusCode ?? 502, text);
          } catch {
            // an answer that is not JSON carries nothing to count
          }
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          res.end(raw);
        });
      },
    );
    upstream.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502);
      res.end(String(error));
    });
    upstream.end(body);
  }

  function handle(req: IncomingMessage, res: ServerResponse, body: Buffer) {
    if (options.service === 's3') {
      const op = s3Operation(req);
      bump(tally.requests, op);
      bump(tally.bytes, op, body.length);
      forward(req, res, body);
      return;
    }
    if (options.service === 'sqs') {
      bump(tally.requests, sqsOperation(req, body));
      forward(req, res, body);
      return;
    }
    const target = req.headers['x-amz-target'];
    const op = typeof target === 'string' ? (target.split('.').pop() ?? target) : 'Unknown';
    bump(tally.requests, op);
    if (!DYNAMO_WRITES.has(op) && !DYNAMO_READS.has(op)) {
      forward(req, res, body);
      return;
    }
    const spliced = withConsumedCapacity(body);
    if (!spliced) {
      forward(req, res, body);
      return;
    }
    // A batch's items are counted when it is sent, whatever the answer.
    if (op === 'BatchWriteItem') pendingWrites.push({ op, body, units: 0 });
    const current = tally;
    forward(req, res, spliced, (status, text) => {
      if (current !== tally) return; // answered after a reset: belongs to no tally
      if (status !== 200) {
        const answer = JSON.parse(text.toString('utf8')) as Record<string, unknown>;
        if (String(answer.__type ?? '').endsWith('ConditionalCheckFailedException')) {
          tally.dynamo.failedConditionalWrites++;
          tally.dynamo.writeUnits += 1;
          if (op !== 'BatchWriteItem') pendingWrites.push({ op, body, units: 1 });
        }
        return;
      }
      const units = capacityOf(consumedCapacityOf(text.toString('utf8')));
      if (DYNAMO_WRITES.has(op)) {
        tally.dynamo.writeUnits += units;
        if (op !== 'BatchWriteItem') pendingWrites.push({ op, body, units });
      } else tally.dynamo.readUnits += units;
    });
  }

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks)));
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;

  return {
    service: options.service,
    url: `http://${host}:${port}`,
    get target() {
      return state.target;
    },
    set target(value: string | undefined) {
      state.target = value;
    },
    get tally() {
      settleWrites();
      return tally;
    },
    set tally(value: RequestTally) {
      settleWrites();
      tally = value;
    },
    reset() {
      settleWrites();
      const previous = tally;
      tally = emptyTally();
      return previous;
    },
    close() {
      agent.destroy();
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Requests of one tally whose key starts with `op` (and, for S3, names `bucket`). */
export function requestsOf(tally: RequestTally, op: string, bucket?: string): number {
  let n = 0;
  for (const [key, count] of tally.requests) {
    const [name, b] = key.split(' ');
    if (name === op && (bucket === undefined || b === bucket)) n += count;
  }
  return n;
}

export function bytesOf(tally: RequestTally, op: string, bucket?: string): number {
  let n = 0;
  for (const [key, bytes] of tally.bytes) {
    const [name, b] = key.split(' ');
    if (name === op && (bucket === undefined || b === bucket)) n += bytes;
  }
  return n;
}
