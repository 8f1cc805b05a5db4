import { ApiError, asApiError, errorResponse } from '../protocol/errors';
import type { IngestService } from './ingest-service';
import { ackAnswer, readBody } from './http-answer';
import { parseOsmand } from './osmand';

/** One OsmAnd request carries one position: a small body is plenty. */
export const MAX_OSMAND_BODY_BYTES = 64 * 1024;
/** A full OsmAnd query (id, lat, lon, timestamp, speed, bearing, altitude, accuracy, batt…) is ≈200 bytes. */
export const DEFAULT_OSMAND_MAX_QUERY_BYTES = 4096;

/**
 * request → ack → HTTP answer for the OsmAnd protocol, used by both the Next route
 * (/api/v1/osmand) and the plain listener on OSMAND_PORT, so they answer identically.
 * 200 with the ack when the position was stored; otherwise the structured error with the status
 * of ackStatus (400, 404, 409, 429, 503 + Retry-After). Unexpected errors are rethrown for the
 * caller to log and answer 500.
 */
export async function handleOsmand(
  request: Request,
  ingest: Pick<IngestService, 'submit' | 'deviceByIdentifier'>,
  maxQueryBytes = DEFAULT_OSMAND_MAX_QUERY_BYTES,
): Promise<Response> {
  try {
    const query = new URL(request.url).search;
    if (Buffer.byteLength(query) > maxQueryBytes + 1) {
      throw new ApiError('VALIDATION_ERROR', `query string is longer than ${maxQueryBytes} bytes (OSMAND_MAX_QUERY_BYTES)`, 'query');
    }
    if (request.method !== 'GET' && request.method !== 'POST') {
      return errorResponse(new ApiError('VALIDATION_ERROR', `method ${request.method} is not allowed; use GET or POST`), { Allow: 'GET, POST' });
    }
    const body = request.method === 'POST' ? await readBody(request, MAX_OSMAND_BODY_BYTES) : '';
    const { deviceIdentifier, input, fields } = parseOsmand({
      method: request.method,
      searchParams: new URL(request.url).searchParams,
      body,
      contentType: request.headers.get('content-type'),
    });
    let vehicle;
    try {
      vehicle = ingest.deviceByIdentifier(deviceIdentifier);
    } catch (error) {
      const apiError = asApiError(error);
      if (apiError?.field === 'id' && fields.id) throw new ApiError(apiError.code, apiError.message, fields.id);
      throw error;
    }
    const ack = await ingest.submit([input], { kind: 'device', vehicleId: vehicle.id }, 'osmand');
    return ackAnswer(ack, { fields });
  } catch (error) {
    const apiError = asApiError(error);
    if (apiError) return errorResponse(apiError);
    throw error;
  }
}
