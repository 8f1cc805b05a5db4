import { authenticate, route } from '@/server/http/route';
import { readBody } from '@/server/ingest/http-answer';

/**
 * Bulk import from a CSV file (the body, text/csv): every row is checked first; any bad row
 * refuses the whole file (400, `error.details.errors`: [{row, column, message}]) and nothing is
 * created. Columns: server/protocol/admin.ts VEHICLE_CSV_COLUMNS.
 */
export const POST = route(async (ctx) => {
  const principal = await authenticate(ctx, ['admin']);
  const text = await readBody(ctx.request, ctx.services.config.HTTP_MAX_BODY_BYTES);
  const vehicles = await ctx.services.vehicles.importCsv(principal, text);
  return Response.json({ vehicles, imported: vehicles.length }, { status: 201 });
});
