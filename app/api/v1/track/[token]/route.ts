import { route } from '@/server/http/route';

type Params = { token: string };

/** The public rider view of a trip by its share token (no login; unknown or expired → 404). */
export const GET = route<Params>(async (ctx) => {
  const track = await ctx.services.trips.track(ctx.params.token);
  return Response.json({ track }, { headers: { 'Cache-Control': 'no-store' } });
});
