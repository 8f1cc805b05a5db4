import { z } from 'zod';
import { bearerToken, type Principal } from '../../auth/tokens';
import { lastSeq, queryEvents } from '../../db/sql/events';
import { FLEET_READERS } from '../../http/route';
import { ApiError, parseOrThrow } from '../../protocol/errors';
import { typeList } from '../../protocol/events';
import type { Services } from '../../services';
import { EventStreamSession } from './session';

const SEQ = /^\d{1,15}$/;
const SEQ_MESSAGE = 'must be an event seq (a non-negative integer)';

/** `GET /api/v1/events/stream` query: `types`, `lastEventId` (for clients that cannot set Last-Event-ID), `ticket`. */
export const streamQuery = z
  .object({
    types: typeList,
    lastEventId: z.string().regex(SEQ, SEQ_MESSAGE).transform(Number).optional(),
    ticket: z.string().min(1).max(200).optional(),
  })
  .strict();

export const STREAM_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  // no-transform also keeps Next's gzip (and proxies') from buffering the stream.
  'Cache-Control': 'no-cache, no-transform',
  Connection: 'keep-alive',
  'X-Accel-Buffering': 'no',
} as const;

/**
 * Opens the caller's tenant's event stream: validates the query and the cursor, authenticates
 * (a single-use ticket, or Authorization: Bearer), then streams until the client goes away.
 * The ticket is spent only once every check passed, so a typo in the query does not cost it.
 */
export async function openEventStream(services: Services, request: Request): Promise<Response> {
  const query = parseOrThrow(streamQuery, Object.fromEntries(new URL(request.url).searchParams));
  const header = request.headers.get('last-event-id');
  if (header !== null && !SEQ.test(header.trim())) throw new ApiError('VALIDATION_ERROR', `Last-Event-ID: ${SEQ_MESSAGE}`, 'Last-Event-ID');
  // The header wins: EventSource sets it on its own reconnects, after the URL was written.
  const cursor = header !== null ? Number(header.trim()) : query.lastEventId;
  const field = header !== null ? 'Last-Event-ID' : 'lastEventId';

  const principal = await streamPrincipal(services, request, query.ticket);
  const last = await lastSeq(services.db.prisma, principal.tenantId);
  // Without a cursor the stream starts now (a client that wants the whole log asks for 0).
  const after = cursor ?? last;
  if (after > last) throw new ApiError('VALIDATION_ERROR', `${field}: ${after} is beyond this tenant's last event (${last})`, field);
  if (query.ticket !== undefined) services.streamTickets.redeem(query.ticket);

  const started = Date.now();
  const session = new EventStreamSession({
    tenantId: principal.tenantId,
    types: query.types,
    after,
    read: (from, before, limit) => queryEvents(services.db.prisma, principal.tenantId, { types: query.types, after: from, before }, 'asc', limit),
    subscribe: (handler) => services.bus.subscribe(handler),
    onClose: (summary) => services.log.info({ tenantId: principal.tenantId, userId: principal.userId, ms: Date.now() - started, ...summary }, 'event stream closed'),
  });
  request.signal.addEventListener('abort', () => session.close('client disconnected'), { once: true });
  session.start();
  return new Response(session.stream, { headers: STREAM_HEADERS });
}

async function streamPrincipal(services: Services, request: Request, ticket: string | undefined): Promise<Principal> {
  let principal: Principal;
  if (ticket !== undefined) principal = services.streamTickets.principalOf(ticket);
  else {
    const token = bearerToken(request.headers.get('authorization'));
    if (!token) throw new ApiError('UNAUTHORIZED', 'missing ticket (POST /api/v1/events/stream-ticket) or Authorization: Bearer token');
    principal = await services.tokens.verify(token);
  }
  if (!FLEET_READERS.includes(principal.role)) throw new ApiError('FORBIDDEN', `role ${principal.role} may not read the event stream (needs ${FLEET_READERS.join(' or ')})`);
  return principal;
}
