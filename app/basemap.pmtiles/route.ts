import { pmtilesResponse } from '@/server/basemap/pmtiles-file';
import { route } from '@/server/http/route';
import { ApiError } from '@/server/protocol/errors';

/** MAP_PMTILES, with HTTP range requests (206); 404 when no archive is configured. */
const serve = route(async (ctx) => {
  const path = ctx.services.config.MAP_PMTILES;
  if (!path) throw new ApiError('NOT_FOUND', 'no PMTiles basemap is configured (MAP_PMTILES)');
  return pmtilesResponse(path, ctx.request);
});

export const GET = serve;
export const HEAD = serve;
