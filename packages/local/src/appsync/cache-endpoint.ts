/**
 * The local stand-in for AppSync's cache control plane (GetApiCache, FlushApiCache), served beside
 * the GraphQL endpoint for `pulse api-cache status|flush --local`: GET answers what is cached,
 * DELETE drops it all. Operators only, as in AWS: `Authorization: <token>` of a local Cognito user
 * in the `operators` group.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticate, type LocalCognitoUser } from './appsync-auth';
import type { ResolverCache } from './resolver-cache';

export const CACHE_PATH = '/local/api-cache';
const OPERATORS_GROUP = 'operators';

/** The status, body and headers that answer one request on CACHE_PATH. */
function answer(
  req: IncomingMessage,
  cache: ResolverCache | undefined,
  auth: { apiKey: string; users: readonly LocalCognitoUser[] },
): { status: number; body: unknown; headers?: Record<string, string> } {
  const headers = {
    get: (name: string) => {
      const value = req.headers[name.toLowerCase()];
      return typeof value === 'string' ? value : null;
    },
  };
  const authn = authenticate(headers, auth);
  if (!authn.ok) return { status: 401, body: { errorType: 'UnauthorizedException', message: authn.message } };
  if (authn.caller.mode !== 'AMAZON_COGNITO_USER_POOLS' || !authn.caller.groups.includes(OPERATORS_GROUP)) {
    return {
      status: 403,
      body: {
        errorType: 'AccessDeniedException',
        message: `the API cache is for the Cognito group "${OPERATORS_GROUP}" (send its token as Authorization)`,
      },
    };
  }
  if (!cache) {
    return {
      status: 404,
      body: { errorType: 'NotFoundException', message: 'this GraphQL server runs without a cache' },
    };
  }
  if (req.method === 'GET') return { status: 200, body: cache.status() };
  if (req.method === 'DELETE') return { status: 200, body: { flushed: cache.flush() } };
  return {
    status: 405,
    body: { errorType: 'MethodNotAllowed', message: `${req.method} is not allowed: GET or DELETE` },
    headers: { allow: 'GET, DELETE' },
  };
}

export function serveCacheRequest(
  req: IncomingMessage,
  res: ServerResponse,
  cache: ResolverCache | undefined,
  auth: { apiKey: string; users: readonly LocalCognitoUser[] },
): void {
  // The body is never read; drain it so the connection can be reused.
  req.resume();
  const { status, body, headers } = answer(req, cache, auth);
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(`${JSON.stringify(body)}\n`);
}
