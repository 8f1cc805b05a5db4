import { z } from 'zod';

/** One set of error codes for REST responses and socket acknowledgements alike. */
export const ERROR_CODES = [
  'VALIDATION_ERROR',
  'INVALID_GEOMETRY',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'RATE_LIMITED',
  'RECEPTION_DISABLED',
  'UNAVAILABLE',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const HTTP_STATUS: Record<ErrorCode, number> = {
  VALIDATION_ERROR: 400,
  /** Well-formed geometry that PostGIS finds invalid (self-intersection, …): reason and location. */
  INVALID_GEOMETRY: 422,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  RECEPTION_DISABLED: 503,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

export interface ApiErrorBody {
  error: { code: ErrorCode; message: string; field?: string; details?: Record<string, unknown>; /** REST only: the request's id (also in the X-Request-Id header). */ requestId?: string };
}

/** Thrown by server code; turned into a structured response at the edge (REST or socket ack). */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    /** Machine-readable specifics (e.g. the allowed next states of a refused transition). */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get status(): number {
    return HTTP_STATUS[this.code];
  }

  toBody(): ApiErrorBody {
    return {
      error: { code: this.code, message: this.message, ...(this.field ? { field: this.field } : {}), ...(this.details ? { details: this.details } : {}) },
    };
  }
}

/** Seconds a client should wait before retrying, for the codes where waiting helps. */
const RETRY_AFTER: Partial<Record<ErrorCode, string>> = { RECEPTION_DISABLED: '60', UNAVAILABLE: '5', RATE_LIMITED: '1' };

/** `{error: {code, message, field?}}` with the code's status and, where one applies, Retry-After. */
export function errorResponse(error: ApiError, headers: Record<string, string> = {}): Response {
  const retryAfter = RETRY_AFTER[error.code];
  return Response.json(error.toBody(), { status: error.status, headers: { ...(retryAfter ? { 'Retry-After': retryAfter } : {}), ...headers } });
}

/**
 * An ApiError, recognised by shape as well: errors cross the boundary between Next's bundle and
 * the custom server's modules, where the ApiError class is not the same object.
 */
export function asApiError(error: unknown): ApiError | null {
  if (error instanceof ApiError) return error;
  const e = error as { name?: unknown; code?: unknown; message?: unknown; field?: unknown; details?: unknown } | null;
  if (e && e.name === 'ApiError' && typeof e.code === 'string' && e.code in HTTP_STATUS) {
    const details = e.details && typeof e.details === 'object' ? (e.details as Record<string, unknown>) : undefined;
    return new ApiError(e.code as ErrorCode, String(e.message), typeof e.field === 'string' ? e.field : undefined, details);
  }
  return null;
}

/** The first zod issue as an ApiError naming the offending field (dotted path). */
export function validationError(error: z.ZodError): ApiError {
  const issue = error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : undefined;
  const message = issue ? (field ? `${field}: ${issue.message}` : issue.message) : 'invalid input';
  return new ApiError('VALIDATION_ERROR', message, field);
}

/** Parse with a schema or throw a VALIDATION_ERROR ApiError. */
export function parseOrThrow<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (!result.success) throw validationError(result.error);
  return result.data;
}
