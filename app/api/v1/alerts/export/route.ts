import { authenticate, FLEET_READERS, route } from '@/server/http/route';

/**
 * The tenant's alerts as CSV (everyone in the tenant), newest first, with the filters of GET
 * /api/v1/alerts (no limit; at most 100,000 rows, `X-Truncated: true` when more matched).
 */
export const GET = route(async (ctx) => {
  const principal = await authenticate(ctx, FLEET_READERS);
  const query = Object.fromEntries(new URL(ctx.request.url).searchParams);
  const { csv, rows, truncated } = await ctx.services.alerts.exportCsv(principal, query);
  const day = new Date().toISOString().slice(0, 10);
  return new Response(csv, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="alerts-${day}.csv"`,
      'x-rows': String(rows),
      'x-truncated': String(truncated),
    },
  });
});
