import { route } from '@/server/http/route';
import { handleOsmand } from '@/server/ingest/osmand-handler';

/**
 * OsmAnd protocol (Traccar Client and compatible) over the main port; the listener on
 * OSMAND_PORT answers the same through the same handler. The device identifies itself with
 * `id` (its vehicle's deviceId, or the device token).
 */
export const GET = route(async (ctx) => handleOsmand(ctx.request, ctx.services.ingest, ctx.services.config.OSMAND_MAX_QUERY_BYTES));
export const POST = GET;
