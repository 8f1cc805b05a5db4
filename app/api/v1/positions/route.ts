import { bearerToken } from '@/server/auth/tokens';
import { route } from '@/server/http/route';
import { ackAnswer, readBody } from '@/server/ingest/http-answer';
import { MAX_POSITIONS_PER_REQUEST } from '@/server/ingest/ingest-service';
import { ApiError } from '@/server/protocol/errors';

/**
 * POST /api/v1/positions: one position object or an array of at most 1000, with
 * `Authorization: Bearer <device token | JWT>` (same senders as Socket.IO /driver). Answers the
 * ack once stored: 200 when anything was accepted, else the refusal's status with `error`.
 */
export const POST = route(async (ctx) => {
  const sender = await ctx.services.ingest.senderForToken(bearerToken(ctx.request.headers.get('authorization')));
  const text = await readBody(ctx.request);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError('VALIDATION_ERROR', 'request body must be valid JSON: a position or an array of positions');
  }
  const inputs = Array.isArray(body) ? body : [body];
  if (inputs.length === 0 || inputs.length > MAX_POSITIONS_PER_REQUEST) {
    throw new ApiError('VALIDATION_ERROR', `send between 1 and ${MAX_POSITIONS_PER_REQUEST} positions per request`);
  }
  return ackAnswer(await ctx.services.ingest.submit(inputs, sender, 'rest'));
});
