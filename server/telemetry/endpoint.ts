import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Telemetry } from './metrics';

/**
 * Who may read `/metrics`:
 * - `token`: callers presenting `Authorization: Bearer <METRICS_TOKEN>` (from anywhere);
 * - `open`: anyone who reaches the port (METRICS_PORT without a token: firewall that port);
 * - `loopback`: neither set: only direct connections from this machine (127.0.0.1, ::1) that did
 *   not come through a proxy (no Forwarded / X-Forwarded-For: a local reverse proxy would
 *   otherwise make every outside caller look local).
 */
export type MetricsAccess = { kind: 'token'; token: string } | { kind: 'open' } | { kind: 'loopback' };

export type AccessVerdict = 'ok' | 'unauthorized' | 'forbidden';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

export function metricsAccessVerdict(access: MetricsAccess, request: { remoteAddress: string | undefined; authorization: string | undefined; forwarded: boolean }): AccessVerdict {
  switch (access.kind) {
    case 'open':
      return 'ok';
    case 'loopback':
      return request.remoteAddress && LOOPBACK.has(request.remoteAddress) && !request.forwarded ? 'ok' : 'forbidden';
    case 'token': {
      const match = /^Bearer\s+(.+)$/i.exec(request.authorization ?? '');
      if (!match) return 'unauthorized';
      const given = Buffer.from(match[1]!.trim());
      const expected = Buffer.from(access.token);
      return given.length === expected.length && timingSafeEqual(given, expected) ? 'ok' : 'unauthorized';
    }
  }
}

function answerError(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify({ error: { code, message } }));
}

/** Serves GET /metrics (true) or leaves the request to the next handler (false). */
export function metricsHandler(telemetry: Telemetry, access: MetricsAccess): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/metrics') return false;
    const verdict = metricsAccessVerdict(access, {
      remoteAddress: req.socket.remoteAddress,
      authorization: req.headers.authorization,
      forwarded: req.headers['x-forwarded-for'] !== undefined || req.headers.forwarded !== undefined,
    });
    if (verdict === 'unauthorized') answerError(res, 401, 'UNAUTHORIZED', 'missing or wrong Authorization: Bearer <METRICS_TOKEN>', { 'www-authenticate': 'Bearer realm="metrics"' });
    else if (verdict === 'forbidden') answerError(res, 403, 'FORBIDDEN', '/metrics answers this machine only; set METRICS_TOKEN or METRICS_PORT to scrape from elsewhere');
    else if (req.method !== 'GET' && req.method !== 'HEAD') answerError(res, 405, 'VALIDATION_ERROR', 'use GET', { allow: 'GET, HEAD' });
    else if (!telemetry.enabled) answerError(res, 404, 'NOT_FOUND', 'metrics are off (METRICS=off)');
    else {
      telemetry.scrape().then(
        ({ contentType, body }) => {
          res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
          res.end(req.method === 'HEAD' ? undefined : body);
        },
        (error: unknown) => answerError(res, 500, 'INTERNAL', error instanceof Error ? error.message : 'scrape failed'),
      );
    }
    return true;
  };
}

/** A listener of its own for /metrics (METRICS_PORT); resolves once bound. */
export async function startMetricsServer(handler: (req: IncomingMessage, res: ServerResponse) => boolean, port: number, host: string): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    if (!handler(req, res)) answerError(res, 404, 'NOT_FOUND', 'only /metrics is served on this port');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : port };
}
