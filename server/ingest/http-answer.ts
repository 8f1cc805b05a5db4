import { ApiError, HTTP_STATUS, type ErrorCode } from '../protocol/errors';
import type { PositionsAck } from '../protocol/position';
import { ackStatus } from './ingest-service';

/**
 * HTTP edges of the ingest pipeline (REST, OsmAnd, OwnTracks): reading a bounded body and turning
 * an ack or a refusal into a response. Shared by Next route handlers and the OsmAnd listener.
 */

/** Largest request body a way in reads (1000 positions of REST JSON fit comfortably). */
export const MAX_INGEST_BODY_BYTES = 2_000_000;

/** Maps the pipeline's field names (lat, lng, timestamp…) to the names a wire format used. */
export type FieldNames = Partial<Record<string, string>>;

/**
 * The answer to an ingestion request: status from ackStatus. On success the body is `success`
 * (default: the ack). When nothing was accepted the body is the ack plus the structured `error`
 * of the refusal that decided the status, so clients reading either shape understand it.
 */
export function ackAnswer(ack: PositionsAck, options: { fields?: FieldNames; success?: unknown } = {}): Response {
  const renamed: PositionsAck = {
    accepted: ack.accepted,
    rejected: ack.rejected.map((r) => (r.field && options.fields?.[r.field] ? { ...r, field: options.fields[r.field] } : r)),
  };
  const { status, retryAfter } = ackStatus(renamed);
  const headers: Record<string, string> = retryAfter ? { 'Retry-After': retryAfter } : {};
  if (status < 400) return Response.json(options.success === undefined ? renamed : options.success, { status, headers });
  const decisive = renamed.rejected.find((r) => HTTP_STATUS[r.code as ErrorCode] === status) ?? renamed.rejected[0];
  const error = decisive
    ? { code: decisive.code, message: decisive.message, ...(decisive.field ? { field: decisive.field } : {}) }
    : { code: 'VALIDATION_ERROR', message: 'no position' };
  return Response.json({ ...renamed, error }, { status, headers });
}

/**
 * The request body as text, refusing (VALIDATION_ERROR) more than `limit` bytes without reading
 * them all into memory.
 */
export async function readBody(request: Request, limit = MAX_INGEST_BODY_BYTES): Promise<string> {
  const tooLarge = () => new ApiError('VALIDATION_ERROR', `request body is larger than ${limit} bytes`);
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
