/**
 * A real HTTP server in the NSW Air Quality Data API's shape, serving the sample dataset. Tests
 * use it as the upstream (with faults on demand); the local stack serves it when the real API is
 * out of reach.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { NswObservation } from '@opendata-pulse/shared/nsw';
import { DAY_MS, latestCompleteHour, nswHourToUtc, utcToNswHour } from '@opendata-pulse/shared/time';
import { generateSampleDataset, type SampleDataset, type SampleOptions } from './sample-data';

export type FakeNswFault =
  | { kind: 'status'; status: number; body?: string; headers?: Record<string, string> }
  /** accept the request and never answer */
  | { kind: 'hang' }
  /** answer 200 with the body cut in half */
  | { kind: 'truncated' }
  /** answer 200 with observations whose fields were renamed (Site_Id -> SiteId) */
  | { kind: 'schema-change' }
  /** destroy the connection without an answer */
  | { kind: 'reset' }
  /** answer the `{"Values": [...]}` envelope some clients report */
  | { kind: 'values-envelope' };

export interface FakeNswRequest {
  method: string;
  path: string;
  body: string;
}

export interface FakeNsw {
  /** base URL to use as NSW_API_ENDPOINT, e.g. http://127.0.0.1:5123/api/Data */
  endpoint: string;
  dataset: SampleDataset;
  requests: FakeNswRequest[];
  /** queue faults; each is used by one request, in order */
  inject(...faults: FakeNswFault[]): void;
  /** set the clock the snapshot reads */
  setNow(now: () => number): void;
  close(): Promise<void>;
}

export interface FakeNswOptions extends SampleOptions {
  port?: number;
  host?: string;
  now?: () => number;
}

const BASE_PATH = '/api/Data';

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** UTC start of an NSW (date, hour) label; a label inside the daylight-saving gap counts as its date's start. */
function hourStartOf(date: string, hour: number, timeZone: string): number {
  try {
    return Date.parse(nswHourToUtc(date, hour, timeZone));
  } catch {
    return Date.parse(nswHourToUtc(date, 1, timeZone));
  }
}

export async function startFakeNsw(options: FakeNswOptions = {}): Promise<FakeNsw> {
  const dataset = generateSampleDataset(options);
  const timeZone = options.timeZone ?? 'Australia/Sydney';
  let now = options.now ?? (() => Date.now());
  const faults: FakeNswFault[] = [];
  const requests: FakeNswRequest[] = [];
  const sockets = new Set<Socket>();

  function observations(body: string): NswObservation[] {
    if (body.trim() === '') {
      const { date, hour } = utcToNswHour(latestCompleteHour(now()), timeZone);
      return dataset.observationsFor(date, hour);
    }
    const query = JSON.parse(body) as {
      StartDate: string;
      EndDate: string;
      Sites?: number[];
      Parameters?: string[];
    };
    const out: NswObservation[] = [];
    const end = query.EndDate > query.StartDate ? query.EndDate : addDays(query.StartDate, 1);
    // Like NSW, a dated query answers only hours that have ended (a day asked for today is partial).
    const latest = latestCompleteHour(now());
    for (let date = query.StartDate; date < end; date = addDays(date, 1)) {
      for (let hour = 1; hour <= 24; hour++) {
        if (hourStartOf(date, hour, timeZone) > latest) continue;
        out.push(...dataset.observationsFor(date, hour));
      }
    }
    return out.filter(
      (o) =>
        (!query.Sites?.length || query.Sites.includes(o.Site_Id)) &&
        (!query.Parameters?.length || query.Parameters.includes(o.Parameter.ParameterCode)),
    );
  }

  function send(res: ServerResponse, status: number, payload: unknown) {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(typeof payload === 'string' ? payload : JSON.stringify(payload));
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const body = await readBody(req);
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    requests.push({ method: req.method ?? 'GET', path, body });
    const fault = faults.shift();
    if (fault?.kind === 'hang') return;
    if (fault?.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'status') {
      res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
      res.end(fault.body ?? JSON.stringify({ message: `injected ${fault.status}` }));
      return;
    }
    const op = path.startsWith(`${BASE_PATH}/`) ? path.slice(BASE_PATH.length + 1) : '';
    let payload: unknown;
    if (op === 'get_SiteDetails' && req.method === 'GET') payload = dataset.sites;
    else if (op === 'get_ParameterDetails' && req.method === 'GET') payload = dataset.parameters;
    else if (op === 'get_Observations' && req.method === 'POST') {
      try {
        payload = observations(body);
      } catch {
        return send(res, 400, { message: 'The request body is not a valid observation query' });
      }
    } else return send(res, 404, { message: `No such operation: ${req.method} ${path}` });

    if (fault?.kind === 'schema-change' && Array.isArray(payload)) {
      payload = (payload as Record<string, unknown>[]).map(({ Site_Id, ...rest }) => ({ SiteId: Site_Id, ...rest }));
    }
    if (fault?.kind === 'values-envelope') payload = { Values: payload };
    const text = JSON.stringify(payload);
    if (fault?.kind === 'truncated') {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(text.slice(0, Math.floor(text.length / 2)));
      return;
    }
    send(res, 200, text);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => send(res, 500, { message: error.message }));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://${host}:${port}${BASE_PATH}`,
    dataset,
    requests,
    inject: (...f) => faults.push(...f),
    setNow: (fn) => {
      now = fn;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
