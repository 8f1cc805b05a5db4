import { tileResponse } from '@/server/basemap/tile-response';
import { route } from '@/server/http/route';

type Params = { token: string; z: string; x: string; y: string };

/** The rider page's basemap tiles: the trip's tenant's, while its share link works (no login). */
export const GET = route<Params>(async (ctx) => {
  const { token, z, x, y } = ctx.params;
  const tenantId = await ctx.services.trips.shareTenant(token);
  return tileResponse(await ctx.services.tiles.tileAt(tenantId, z, x, y));
});
