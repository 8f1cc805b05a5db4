import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { Logger } from '../log';
import { ApiError, errorResponse } from '../protocol/errors';
import type { IngestService } from './ingest-service';
import { handleOsmand } from './osmand-handler';

export interface OsmandListener {
  port: number;
  close(): Promise<void>;
}

/**
 * The OsmAnd protocol on a port of its own (Traccar Client's default is 5055), answering at any
 * path exactly as /api/v1/osmand does: each Node request becomes a Web Request for handleOsmand.
 */
export async function startOsmandServer(options: {
  port: number;
  host: string;
  ingest: Pick<IngestService, 'submit' | 'deviceByIdentifier'>;
  log: Logger;
  /** OSMAND_MAX_QUERY_BYTES. */
  maxQueryBytes?: number;
}): Promise<OsmandListener> {
  const { ingest, log } = options;
  const server = createServer((req, res) => {
    answer(req, ingest, options.maxQueryBytes)
      .catch((error: unknown) => {
        log.error({ err: error, url: req.url }, 'OsmAnd request failed');
        return errorResponse(new ApiError('INTERNAL', 'internal error'));
      })
      .then((response) => send(response, res))
      .catch((error: unknown) => {
        log.warn({ err: error }, 'OsmAnd answer could not be sent');
        res.destroy();
      });
  });
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;

  await new Promise<void>((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`OSMAND_PORT ${options.port} is in use: choose another port, or set OSMAND_PORT=0 to turn the OsmAnd listener off`) : error);
    server.once('error', failed);
    server.listen(options.port, options.host, () => {
      server.off('error', failed);
      resolve();
    });
  });
  server.on('error', (error) => log.error({ err: error }, 'OsmAnd listener error'));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  log.info({ port }, `OsmAnd protocol listening on port ${port}`);

  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function answer(req: IncomingMessage, ingest: Pick<IngestService, 'submit' | 'deviceByIdentifier'>, maxQueryBytes?: number): Promise<Response> {
  const method = req.method ?? 'GET';
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const hasBody = method !== 'GET' && method !== 'HEAD';
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://osmand.local');
  } catch {
    url = new URL('http://osmand.local/');
  }
  const request = new Request(url, {
    method,
    headers,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: 'half' } : {}),
  } as RequestInit);
  return handleOsmand(request, ingest, maxQueryBytes);
}

async function send(response: Response, res: ServerResponse): Promise<void> {
  res.statusCode = response.status;
  response.headers.forEach((value, name) => res.setHeader(name, value));
  const body = Buffer.from(await response.arrayBuffer());
  res.setHeader('content-length', body.byteLength);
  res.end(body);
}
