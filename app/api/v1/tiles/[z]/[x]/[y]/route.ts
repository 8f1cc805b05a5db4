import { tileResponse } from '@/server/basemap/tile-response';
import { authenticate, route } from '@/server/http/route';

type Params = { z: string; x: string; y: string };

/** A street basemap vector tile of the caller's tenant: `/api/v1/tiles/{z}/{x}/{y}.mvt` (or .pbf). */
export const GET = route<Params>(async (ctx) => {
  const principal = await authenticate(ctx);
  const { z, x, y } = ctx.params;
  return tileResponse(await ctx.services.tiles.tileAt(principal.tenantId, z, x, y));
});
