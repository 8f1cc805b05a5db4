import { readBody } from '../ingest/http-answer';
import type { RouteContext } from '../http/route';
import { ApiError } from '../protocol/errors';

/** A JSON body that may be absent (cancel, decline): empty → `{}`. */
export async function optionalJsonBody(ctx: RouteContext<unknown>): Promise<unknown> {
  const text = await readBody(ctx.request, ctx.services.config.HTTP_MAX_BODY_BYTES);
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError('VALIDATION_ERROR', 'request body must be valid JSON');
  }
}
