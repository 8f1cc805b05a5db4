import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type next from 'next';
import { Server as SocketServer } from 'socket.io';
import { CLIENT_IP_HEADER } from './rate-limit';

type NextApp = ReturnType<typeof next>;

/**
 * One HTTP server hosting Next.js (pages and REST routes) and Socket.IO (/fleet, /driver). The
 * client's address is passed to the routes in a header (REST rate limits). In development,
 * Next's hot reload keeps the WebSocket upgrades that Socket.IO does not own.
 */
export function createHost(nextApp: NextApp, dev: boolean, intercept?: (req: IncomingMessage, res: ServerResponse) => boolean): { httpServer: HttpServer; io: SocketServer } {
  const handle = nextApp.getRequestHandler();
  const httpServer = createServer((req, res) => {
    // Served before Next.js: /metrics (server/telemetry/endpoint.ts).
    if (intercept?.(req, res)) return;
    req.headers[CLIENT_IP_HEADER] = req.socket.remoteAddress ?? 'unknown';
    void handle(req, res);
  });
  const io = new SocketServer(httpServer, {
    serveClient: false,
    maxHttpBufferSize: 2e6,
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
