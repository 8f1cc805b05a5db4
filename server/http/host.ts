import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type next from 'next';
import { Server as SocketServer } from 'socket.io';
import { ApiError } from '../protocol/errors';
import { corsHeaders, type OriginPolicy } from './origins';
import { CLIENT_IP_HEADER } from './rate-limit';

type NextApp = ReturnType<typeof next>;

/**
 * One HTTP server hosting Next.js (pages and REST routes) and Socket.IO (/fleet, /driver). The
 * client's address is passed to the routes in a header (REST rate limits). In development,
 * Next's hot reload keeps the WebSocket upgrades that Socket.IO does not own.
 */
export interface HostLimits {
  origins: OriginPolicy;
  /** Largest REST body (Content-Length); the road-network import streams and is exempt. */
  maxBodyBytes: number;
  /** Socket.IO maxHttpBufferSize: a larger message closes the connection. */
  maxSocketMessageBytes: number;
}

/** Streamed uploads with their own limits. */
const STREAMED_UPLOADS = ['/api/v1/road-network'];

/** Largest refused body still read to its end before the answer (see guardRequest). */
const DRAIN_MAX_BYTES = 32 * 1024 * 1024;

function refuse(res: ServerResponse, status: number, error: ApiError, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(error.toBody()));
}

/**
 * The edge checks for REST (before Next sees the request): browser origins (CORS preflight,
 * Origin check; requests without Origin — devices, servers — pass) and the declared body size.
 * Answers and returns true when it refused or answered the request itself.
 */
export function guardRequest(req: IncomingMessage, res: ServerResponse, limits: HostLimits): boolean {
  const pathname = (req.url ?? '/').split('?')[0]!;
  if (!pathname.startsWith('/api/')) return false;
  const origin = req.headers.origin;
  const cors = origin !== undefined && limits.origins.listed(origin) ? corsHeaders(origin) : {};
  if (!limits.origins.allows(origin, req.headers.host)) {
    refuse(res, 403, new ApiError('FORBIDDEN', `origin ${origin} is not allowed (ALLOWED_ORIGINS)`, 'origin'));
    return true;
  }
  if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
    res.writeHead(204, cors);
    res.end();
    return true;
  }
  for (const [name, value] of Object.entries(cors)) res.setHeader(name, value);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limits.maxBodyBytes && !STREAMED_UPLOADS.includes(pathname)) {
    const tooLarge = () => refuse(res, 400, new ApiError('VALIDATION_ERROR', `request body is larger than ${limits.maxBodyBytes} bytes (HTTP_MAX_BODY_BYTES)`, 'body'), { Connection: 'close' });
    req.resume(); // read and discard: nothing of it is kept
    // Answering while the client still sends makes the close reset the connection under it
    // (fetch then fails with EPIPE and never sees the answer): a body of a sane size is read to
    // its end first; beyond DRAIN_MAX_BYTES the answer goes at once and the connection with it.
    if (declared <= DRAIN_MAX_BYTES) {
      req.once('end', tooLarge);
      req.once('error', () => res.destroy());
    } else tooLarge();
    return true;
  }
  return false;
}

export function createHost(
  nextApp: NextApp,
  dev: boolean,
  limits: HostLimits,
  intercept?: (req: IncomingMessage, res: ServerResponse) => boolean,
): { httpServer: HttpServer; io: SocketServer } {
  const handle = nextApp.getRequestHandler();
  const httpServer = createServer((req, res) => {
    // Served before Next.js: /metrics (server/telemetry/endpoint.ts).
    if (intercept?.(req, res)) return;
    req.headers[CLIENT_IP_HEADER] = req.socket.remoteAddress ?? 'unknown';
    if (guardRequest(req, res, limits)) return;
    void handle(req, res);
  });
  // Node closes an idle keep-alive connection after 5 s; a client reusing it at that instant gets
  // ECONNRESET (an e2e API call did). Idle connections stay open longer than the usual 60 s of
  // load balancers and clients instead; shutdown closes them all anyway (closeAllConnections).
  httpServer.keepAliveTimeout = 65_000;
  httpServer.headersTimeout = 66_000;
  const io = new SocketServer(httpServer, {
    serveClient: false,
    maxHttpBufferSize: limits.maxSocketMessageBytes,
    // Browsers from origins other than ours and ALLOWED_ORIGINS cannot open a socket (403 at the handshake).
    allowRequest: (req, callback) => callback(null, limits.origins.allows(req.headers.origin, req.headers.host)),
    cors: { origin: (origin, callback) => callback(null, origin !== undefined && limits.origins.listed(origin) ? origin : false) },
    // Short drops resume where they left off (missed frames replayed); longer ones re-subscribe.
    // Every broadcast is kept this long for replay: it bounds memory as much as it helps clients.
    connectionStateRecovery: { maxDisconnectionDuration: 20_000, skipMiddlewares: true },
  });
  if (dev) {
    const upgrade = nextApp.getUpgradeHandler();
    httpServer.on('upgrade', (req, socket, head) => {
      if (!req.url?.startsWith('/socket.io/')) void upgrade(req, socket, head);
    });
  }
  return { httpServer, io };
}

/** Listens on the configured address; resolves with the bound port (PORT=0 picks a free one). */
export async function listen(httpServer: HttpServer, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(port, host, resolve);
  });
  const address = httpServer.address();
  return typeof address === 'object' && address ? address.port : port;
}
