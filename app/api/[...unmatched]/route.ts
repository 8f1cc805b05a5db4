import { ApiError, errorResponse } from '@/server/protocol/errors';

/**
 * Any /api path no route serves: the structured NOT_FOUND instead of Next's HTML 404 page (the
 * specific routes always win over this catch-all). Not an operation: the OpenAPI coverage check
 * skips it by name.
 */
function notFound(request: Request): Response {
  return errorResponse(new ApiError('NOT_FOUND', `no API route ${request.method} ${new URL(request.url).pathname}`));
}

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
