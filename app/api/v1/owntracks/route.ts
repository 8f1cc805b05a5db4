import { route } from '@/server/http/route';
import { ackAnswer, readBody } from '@/server/ingest/http-answer';
import { basicCredentials, parseOwntracks } from '@/server/ingest/owntracks';
import { ApiError, errorResponse } from '@/server/protocol/errors';

const CHALLENGE = { 'WWW-Authenticate': 'Basic realm="GeoFleet"' };
const MAX_BODY_BYTES = 256 * 1024;

/**
 * OwnTracks HTTP mode. Basic auth: user = the vehicle's deviceId, password = its device token.
 * `location` messages are stored (200 `[]` once durable); other message types are ignored (200 `[]`).
 */
export const POST = route(async (ctx) => {
  const credentials = basicCredentials(ctx.request.headers.get('authorization'));
  if (!credentials) return errorResponse(new ApiError('UNAUTHORIZED', 'HTTP Basic authentication is required: user = device identifier, password = device token'), CHALLENGE);
  let vehicleId: string;
  try {
    vehicleId = ctx.services.ingest.deviceByCredentials(credentials.user, credentials.password).id;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'UNAUTHORIZED') {
      return errorResponse(new ApiError('UNAUTHORIZED', (error as Error).message), CHALLENGE);
    }
    throw error;
  }

  const text = await readBody(ctx.request, MAX_BODY_BYTES);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError('VALIDATION_ERROR', 'request body must be a valid JSON OwnTracks message');
  }
  const message = parseOwntracks(body);
  if (message.kind === 'ignored') return Response.json([]);
  const ack = await ctx.services.ingest.submit([message.input], { kind: 'device', vehicleId }, 'owntracks');
  return ackAnswer(ack, { fields: message.fields, success: [] });
});
