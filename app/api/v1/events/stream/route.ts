import { route } from '@/server/http/route';
import { openEventStream } from '@/server/events/stream/open';

/**
 * Server-Sent Events: the tenant's events as they happen, `?types=…`, resumable with
 * Last-Event-ID (or `?lastEventId=`). Authenticated by `?ticket=` (EventSource) or Bearer.
 */
export const GET = route(async (ctx) => openEventStream(ctx.services, ctx.request));
