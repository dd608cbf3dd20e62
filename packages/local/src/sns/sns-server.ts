/**
 * SNS's Publish over HTTP, so the AWS SDK's SNSClient (the health-check handler and `pulse incident
 * --publish --local`) reaches a topic through AWS_ENDPOINT_URL_SNS. SNS speaks the AWS query
 * protocol: a form-encoded POST (`Action=Publish&TopicArn=...&Message=...&Subject=...`, message
 * attributes as `MessageAttributes.entry.N.*`) answered by an XML `PublishResponse`. Each
 * published message is appended as one JSON line, in the shape an HTTPS subscriber receives, to
 * `<data dir>/sns/<topic name>.jsonl`: the local stand-in for a subscription (docs/architecture.md,
 * "Local stack: stand-ins and known gaps"). Only Publish, only the topics it is given, and the same
 * checks SNS makes on what it is given, so a message SNS would refuse is refused here too.
 */
import { randomUUID } from 'node:crypto';
import { appendFile, mkdir } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { listen } from '../stack/ports';

const XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';
/** SNS's limits: a message up to 256 KiB; a subject under 100 printable ASCII characters. */
const MESSAGE_LIMIT = 256 * 1024;
const SUBJECT = /^[\x21-\x7e][\x20-\x7e]{0,98}$/;
const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:([A-Za-z0-9_-]{1,256})$/;
/** a form body far larger than any valid Publish is refused before it is read whole */
const BODY_LIMIT = 2 * MESSAGE_LIMIT;

export const SNS_DIR = 'sns';

export interface SnsServerOptions {
  /** `<dataDir>/sns/<topic>.jsonl` receives each topic's messages */
  dataDir: string;
  host?: string;
  /** 0 = a random port */
  port?: number;
  /** the topics that exist; Publish to any other answers NotFound, as SNS does */
  topicArns: readonly string[];
  now?: () => number;
  /** told about every published message (for the stack's one-line log) */
  onPublish?: (message: SnsNotification) => void;
}

export interface SnsServer {
  url: string;
  port: number;
  /** the file a topic's messages are appended to */
  fileOf(topicArn: string): string;
  close(): Promise<void>;
}

/** One line of a topic's file: what SNS delivers to an HTTPS subscriber, less the signature. */
export interface SnsNotification {
  Type: 'Notification';
  MessageId: string;
  TopicArn: string;
  Subject?: string;
  Message: string;
  Timestamp: string;
  MessageAttributes?: Record<string, { Type: string; Value: string }>;
}

class SnsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const invalid = (message: string) => new SnsError(400, 'InvalidParameter', `Invalid parameter: ${message}`);

function xmlEscape(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function sendXml(res: ServerResponse, status: number, body: string, requestId: string): void {
  res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId });
  res.end(`<?xml version="1.0"?>\n${body}`);
}

function sendError(res: ServerResponse, error: SnsError, requestId: string): void {
  const type = error.status >= 500 ? 'Receiver' : 'Sender';
  sendXml(
    res,
    error.status,
    `<ErrorResponse xmlns="${XMLNS}"><Error><Type>${type}</Type><Code>${error.code}</Code>` +
      `<Message>${xmlEscape(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
    requestId,
  );
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > BODY_LIMIT) throw new SnsError(413, 'RequestEntityTooLarge', 'Request body is too large');
    chunks.push(chunk as Buffer);
  }
  const form = new URLSearchParams(new URL(req.url ?? '/', 'http://localhost').search);
  for (const [k, v] of new URLSearchParams(Buffer.concat(chunks).toString('utf8'))) form.set(k, v);
  return form;
}

/** `MessageAttributes.entry.N.{Name,Value.DataType,Value.StringValue,Value.BinaryValue}` -> SNS's delivery shape. */
export function messageAttributesOf(form: URLSearchParams): SnsNotification['MessageAttributes'] {
  const attributes: NonNullable<SnsNotification['MessageAttributes']> = {};
  for (let n = 1; form.has(`MessageAttributes.entry.${n}.Name`); n++) {
    const at = (field: string) => form.get(`MessageAttributes.entry.${n}.${field}`) ?? undefined;
    const name = at('Name') ?? '';
    const type = at('Value.DataType');
    const value = at('Value.StringValue') ?? at('Value.BinaryValue');
    if (!type) throw invalid(`The message attribute '${name}' must contain a non-empty attribute type.`);
    if (value === undefined) throw invalid(`The message attribute '${name}' must contain a non-empty value.`);
    attributes[name] = { Type: type, Value: value };
  }
  return Object.keys(attributes).length > 0 ? attributes : undefined;
}

/** The notification a valid Publish makes; an SnsError says what SNS would refuse. */
function notificationOf(form: URLSearchParams, topics: ReadonlySet<string>, now: number): SnsNotification {
  const topicArn = form.get('TopicArn') ?? form.get('TargetArn');
  if (!topicArn)
    throw invalid('TopicArn or TargetArn Reason: no value for required parameter (phone numbers are not stood in for)');
  if (!TOPIC_ARN.test(topicArn)) throw invalid(`TopicArn Reason: ${topicArn} is not an SNS topic ARN`);
  if (!topics.has(topicArn)) throw new SnsError(404, 'NotFound', 'Topic does not exist');
  const message = form.get('Message');
  if (!message) throw invalid('Message Reason: empty message');
  if (Buffer.byteLength(message) > MESSAGE_LIMIT) throw invalid('Message too long');
  const subject = form.get('Subject') ?? undefined;
  if (subject !== undefined && !SUBJECT.test(subject)) {
    throw invalid(
      'Subject Reason: must be printable ASCII, start with a letter, number or punctuation, hold no line break and be under 100 characters',
    );
  }
  const attributes = messageAttributesOf(form);
  return {
    Type: 'Notification',
    MessageId: randomUUID(),
    TopicArn: topicArn,
    ...(subject !== undefined ? { Subject: subject } : {}),
    Message: message,
    Timestamp: new Date(now).toISOString(),
    ...(attributes ? { MessageAttributes: attributes } : {}),
  };
}

export function topicNameOf(topicArn: string): string {
  const name = TOPIC_ARN.exec(topicArn)?.[1];
  if (!name) throw new Error(`${topicArn} is not an SNS topic ARN`);
  return name;
}

export async function startSnsServer(options: SnsServerOptions): Promise<SnsServer> {
  const host = options.host ?? '127.0.0.1';
  const dir = join(options.dataDir, SNS_DIR);
  const topics = new Set(options.topicArns);
  for (const arn of topics) topicNameOf(arn);
  const now = options.now ?? Date.now;
  const fileOf = (topicArn: string) => join(dir, `${topicNameOf(topicArn)}.jsonl`);
  // One append at a time: lines keep the order the messages were accepted in.
  let appending: Promise<unknown> = mkdir(dir, { recursive: true });

  async function handle(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
    if (req.method !== 'POST' && req.method !== 'GET') {
      throw new SnsError(405, 'InvalidAction', 'The SNS query API takes POST (or GET) requests');
    }
    const form = await readForm(req);
    const action = form.get('Action');
    if (action !== 'Publish') {
      throw new SnsError(
        400,
        'InvalidAction',
        `The action ${action ?? '(none)'} is not valid for this endpoint: the local SNS stands in for Publish only`,
      );
    }
    const notification = notificationOf(form, topics, now());
    const write = appending.then(() => appendFile(fileOf(notification.TopicArn), `${JSON.stringify(notification)}\n`));
    appending = write.catch(() => {});
    await write;
    options.onPublish?.(notification);
    sendXml(
      res,
      200,
      `<PublishResponse xmlns="${XMLNS}"><PublishResult><MessageId>${notification.MessageId}</MessageId></PublishResult>` +
        `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></PublishResponse>`,
      requestId,
    );
  }

  const server: Server = createServer((req, res) => {
    const requestId = randomUUID();
    handle(req, res, requestId).catch((error: Error) => {
      if (res.headersSent) return void res.destroy();
      sendError(res, error instanceof SnsError ? error : new SnsError(500, 'InternalError', error.message), requestId);
    });
  });
  const port = await listen(server, options.port ?? 0, host, 'local SNS');
  await appending;
  return {
    url: `http://${host}:${port}`,
    port,
    fileOf,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
