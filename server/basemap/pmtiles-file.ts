import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { parseRange } from './byte-range';

/**
 * Serves the MAP_PMTILES archive as a static file with HTTP range requests: MapLibre's pmtiles
 * protocol reads the header and directories and then each tile by byte range, so one file on disk
 * is a whole basemap without a tile server. Public (the same world for every tenant) and
 * cacheable; the ETag changes when the file is replaced.
 */
export async function pmtilesResponse(path: string, request: Request): Promise<Response> {
  const info = await stat(path);
  const etag = `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
  const common = { 'Accept-Ranges': 'bytes', ETag: etag, 'Cache-Control': 'public, max-age=3600', 'Content-Type': 'application/vnd.pmtiles' };
  // If-Range with another validator: the file changed, send it whole.
  const ifRange = request.headers.get('if-range');
  const range = ifRange && ifRange !== etag ? { kind: 'full' as const } : parseRange(request.headers.get('range'), info.size);
  if (range.kind === 'unsatisfiable') {
    return new Response(null, { status: 416, headers: { ...common, 'Content-Range': `bytes */${info.size}` } });
  }
  if (range.kind === 'full' && request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers: common });
  const body = (start: number, end: number) =>
    request.method === 'HEAD' ? null : (Readable.toWeb(createReadStream(path, { start, end })) as ReadableStream<Uint8Array>);
  if (range.kind === 'full') {
    return new Response(body(0, Math.max(0, info.size - 1)), { status: 200, headers: { ...common, 'Content-Length': String(info.size) } });
  }
  return new Response(body(range.start, range.end), {
    status: 206,
    headers: { ...common, 'Content-Length': String(range.end - range.start + 1), 'Content-Range': `bytes ${range.start}-${range.end}/${info.size}` },
  });
}
