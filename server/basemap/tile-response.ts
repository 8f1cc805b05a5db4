/**
 * The HTTP answer for one tile: the MVT bytes, or 204 No Content where the tenant has no data
 * (MapLibre draws nothing there and the Natural Earth world shows through). Tiles are per tenant
 * and behind a login, so caches may keep them privately for a few minutes; a re-import shows
 * after that at the latest (the server's own cache is dropped at once).
 */
export const TILE_CACHE_CONTROL = 'private, max-age=300';

export function tileResponse(tile: Uint8Array): Response {
  const headers = { 'Cache-Control': TILE_CACHE_CONTROL, 'Content-Type': 'application/vnd.mapbox-vector-tile' };
  if (tile.byteLength === 0) return new Response(null, { status: 204, headers });
  return new Response(tile as Uint8Array<ArrayBuffer>, { headers: { ...headers, 'Content-Length': String(tile.byteLength) } });
}
