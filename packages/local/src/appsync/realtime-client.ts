/**
 * A minimal AppSync real-time client (the protocol of "Building a real-time WebSocket client"),
 * for tests and the bench: it works against the local endpoint and against AWS's
 * `wss://<id>.appsync-realtime-api.<region>.amazonaws.com/graphql` alike. Tooling only.
 */
import { WebSocket } from 'ws';
import { REALTIME_SUBPROTOCOL } from './appsync-realtime';

export interface RealtimeMessage {
  type: string;
  id?: string;
  payload?: {
    data?: unknown;
    errors?: { errorType?: string; message?: string; errorCode?: number }[];
    connectionTimeoutMs?: number;
  };
}

const base64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');

export class RealtimeClient {
  readonly messages: RealtimeMessage[] = [];
  private waiters: { match: (m: RealtimeMessage) => boolean; resolve: (m: RealtimeMessage) => void }[] = [];

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (raw) => {
      const message = JSON.parse(String(raw)) as RealtimeMessage;
      this.messages.push(message);
      this.waiters = this.waiters.filter((w) => {
        if (!w.match(message)) return true;
        w.resolve(message);
        return false;
      });
    });
  }

  /**
   * Open a connection authorised by `auth` (`{ 'x-api-key': ... }` or `{ Authorization: ... }`,
   * plus `host` for AWS); resolves once the socket is open (before any server message).
   */
  static async connect(url: string, auth: Record<string, string>): Promise<RealtimeClient> {
    const ws = new WebSocket(`${url}?header=${base64(auth)}&payload=${base64({})}`, [REALTIME_SUBPROTOCOL]);
    const client = new RealtimeClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return client;
  }

  /** connection_init, resolved with the connection_ack (or a connection_error). */
  init(): Promise<RealtimeMessage> {
    const ack = this.next((m) => m.type === 'connection_ack' || m.type === 'connection_error');
    this.ws.send(JSON.stringify({ type: 'connection_init' }));
    return ack;
  }

  /** `start`, resolved with its start_ack or error. */
  start(
    id: string,
    request: { query: string; variables?: Record<string, unknown> },
    authorization: Record<string, string>,
  ): Promise<RealtimeMessage> {
    const answer = this.next((m) => m.id === id && (m.type === 'start_ack' || m.type === 'error'));
    this.ws.send(
      JSON.stringify({
        id,
        type: 'start',
        payload: { data: JSON.stringify(request), extensions: { authorization } },
      }),
    );
    return answer;
  }

  /** `stop`, resolved with its complete. */
  stop(id: string): Promise<RealtimeMessage> {
    const complete = this.next((m) => m.id === id && m.type === 'complete');
    this.ws.send(JSON.stringify({ type: 'stop', id }));
    return complete;
  }

  send(message: unknown): void {
    this.ws.send(JSON.stringify(message));
  }

  /** The next message (already received, or to come) that matches; rejects after timeoutMs. */
  next(match: (m: RealtimeMessage) => boolean, timeoutMs = 10_000): Promise<RealtimeMessage> {
    const seen = this.messages.find(match);
    if (seen) {
      this.messages.splice(this.messages.indexOf(seen), 1);
      return Promise.resolve(seen);
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        match,
        resolve: (m: RealtimeMessage) => {
          clearTimeout(timer);
          this.messages.splice(this.messages.indexOf(m), 1);
          resolve(m);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`no matching real-time message within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** resolves when the server closes the socket */
  closed(): Promise<number> {
    if (this.ws.readyState === this.ws.CLOSED) return Promise.resolve(1000);
    return new Promise((resolve) => this.ws.once('close', (code) => resolve(code)));
  }

  close(): void {
    this.ws.close();
  }
}
