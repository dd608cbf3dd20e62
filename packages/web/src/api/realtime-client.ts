/**
 * A subscription over AppSync's real-time WebSocket protocol (packages/api/README.md, "Live
 * updates"), in the browser: the auth headers and an empty payload go base64-encoded in the URL
 * with the subprotocol `graphql-ws`; `connection_init` -> `connection_ack` (with the keep-alive
 * timeout) -> `start` -> `start_ack`, then `data` messages and `ka` keep-alives. A dropped or
 * silent connection reconnects with backoff; `onReconnect` lets the caller catch up on what it
 * missed meanwhile.
 */
import type { DashboardConfig } from '../config';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting';

export interface SubscriptionOptions<T> {
  query: string;
  variables?: Record<string, unknown>;
  onData(data: T): void;
  onStatus?(status: LiveStatus, detail?: string): void;
  /** called after a reconnect is acknowledged: updates may have been missed */
  onReconnect?(): void;
}

const SUBPROTOCOL = 'graphql-ws';
const MAX_BACKOFF_MS = 30_000;

function base64Json(value: unknown): string {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

export function subscribe<T>(
  config: Pick<DashboardConfig, 'graphqlUrl' | 'realtimeUrl' | 'apiKey'>,
  options: SubscriptionOptions<T>,
): { close(): void } {
  // AppSync checks the key against the API's GraphQL host, not the real-time one.
  const auth = { host: new URL(config.graphqlUrl).host, 'x-api-key': config.apiKey };
  const url = `${config.realtimeUrl}?header=${encodeURIComponent(base64Json(auth))}&payload=${encodeURIComponent(base64Json({}))}`;
  let ws: WebSocket | undefined;
  let closed = false;
  let attempts = 0;
  let everAcked = false;
  let keepAlive: ReturnType<typeof setTimeout> | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;

  const armKeepAlive = (ms: number) => {
    clearTimeout(keepAlive);
    keepAlive = setTimeout(() => ws?.close(), ms);
  };

  const connect = () => {
    options.onStatus?.(attempts === 0 ? 'connecting' : 'reconnecting');
    const socket = new WebSocket(url, [SUBPROTOCOL]);
    ws = socket;
    let timeoutMs = 300_000;
    socket.onopen = () => socket.send(JSON.stringify({ type: 'connection_init' }));
    socket.onmessage = (event) => {
      const message = JSON.parse(String(event.data)) as {
        type: string;
        id?: string;
        payload?: { data?: T; errors?: { message?: string; errorType?: string }[]; connectionTimeoutMs?: number };
      };
      switch (message.type) {
        case 'connection_ack':
          timeoutMs = message.payload?.connectionTimeoutMs ?? timeoutMs;
          armKeepAlive(timeoutMs);
          socket.send(
            JSON.stringify({
              id: 'dashboard',
              type: 'start',
              payload: {
                data: JSON.stringify({ query: options.query, variables: options.variables ?? {} }),
                extensions: { authorization: auth },
              },
            }),
          );
          break;
        case 'start_ack':
          attempts = 0;
          options.onStatus?.('live');
          if (everAcked) options.onReconnect?.();
          everAcked = true;
          break;
        case 'ka':
          armKeepAlive(timeoutMs);
          break;
        case 'data':
          if (message.payload?.data) options.onData(message.payload.data);
          break;
        case 'error':
        case 'connection_error':
          options.onStatus?.('reconnecting', message.payload?.errors?.[0]?.message ?? message.type);
          socket.close();
          break;
      }
    };
    socket.onclose = () => {
      clearTimeout(keepAlive);
      if (closed) return;
      attempts++;
      options.onStatus?.('reconnecting');
      retry = setTimeout(connect, Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(attempts - 1, 5)));
    };
  };
  connect();
  return {
    close() {
      closed = true;
      clearTimeout(keepAlive);
      clearTimeout(retry);
      ws?.close();
    },
  };
}
