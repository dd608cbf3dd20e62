/**
 * The dashboard (packages/web) served by the local stack on the GraphQL port: `/` and the built
 * bundle from packages/web/dist, and `/config.json`, which in AWS the deploy writes. Locally the
 * config names the API on the host the browser asked (same origin, so no CORS), the real-time
 * endpoint beside it, the stack's key and its NSW source label (`sample` shows the banner).
 * Tooling only: never bundled into a Lambda.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

export interface WebSiteOptions {
  /** packages/web/dist */
  distDir: string;
  apiKey: string;
  /** the stack's NSW source label */
  source: 'sample' | 'live' | 'custom';
  /** optional online tiles (the dashboard draws its offline NSW outline without them) */
  tiles?: { url: string; attribution: string };
}

export const CONFIG_PATH = '/config.json';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
};

/** The same headers the deployed site sends that make sense on http://127.0.0.1. */
const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'strict-origin-when-cross-origin',
};

/** A request handler: true when it answered (a dashboard path), false to let the API answer. */
export function webSiteHandler(
  options: WebSiteOptions,
): (paths: { graphql: string; realtime: string }) => (req: IncomingMessage, res: ServerResponse) => boolean {
  const root = normalize(options.distDir);
  return (paths) => (req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/');
    if (path === paths.graphql || path.startsWith(`${paths.graphql}/`)) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    if (path === CONFIG_PATH) {
      const host = req.headers.host ?? '127.0.0.1';
      const body = JSON.stringify({
        graphqlUrl: `http://${host}${paths.graphql}`,
        realtimeUrl: `ws://${host}${paths.realtime}`,
        apiKey: options.apiKey,
        source: options.source,
        ...(options.tiles ? { tiles: options.tiles } : {}),
      });
      res.writeHead(200, { 'content-type': TYPES['.json'], 'cache-control': 'no-store', ...SECURITY_HEADERS });
      res.end(req.method === 'HEAD' ? undefined : body);
      return true;
    }
    const file = normalize(join(root, path === '/' ? 'index.html' : path));
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
      if (path !== '/') return false;
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('The dashboard is not built: run `pnpm -F @opendata-pulse/web build` (pnpm install builds it).\n');
      return true;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
      ...SECURITY_HEADERS,
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
    return true;
  };
}
