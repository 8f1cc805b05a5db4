'use client';

import { authFetch } from '@/components/session';
import type { ApiErrorBody, ErrorCode } from '@/server/protocol/errors';

/**
 * A failed REST call: the server's structured error (`{error:{code,message,field?}}`), or what
 * went wrong on the way: `NETWORK` (status 0) when there was no answer, `HTTP` when the answer
 * carried no error body.
 */
export class RequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'NETWORK' | 'HTTP',
    message: string,
    /** The offending input, as a dotted path such as `properties.name`. */
    readonly field?: string,
    /** Machine-readable specifics (e.g. a CSV import's errors by row and column). */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

/** A request: `body` is sent as JSON; without a method, a body means POST and none GET. */
export type ApiRequest = Omit<RequestInit, 'body'> & { body?: unknown };

/** JSON from a REST route with the session's token; failures become a RequestError with the server's message. */
export async function apiJson<T>(path: string, { body, ...init }: ApiRequest = {}): Promise<T> {
  let response: Response;
  try {
    response = await authFetch(path, {
      ...init,
      method: init.method ?? (body === undefined ? 'GET' : 'POST'),
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...init.headers } }),
    });
  } catch {
    throw new RequestError(0, 'NETWORK', 'Cannot reach the server. Check your connection and try again.');
  }
  const text = await response.text().catch(() => '');
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: handled below
  }
  if (!response.ok) {
    const error = (parsed as Partial<ApiErrorBody> | null)?.error;
    throw error?.message
      ? new RequestError(response.status, error.code ?? 'HTTP', error.message, error.field, error.details)
      : new RequestError(response.status, 'HTTP', `The server answered ${response.status}.`);
  }
  return parsed as T;
}

/** The message for a field path such as `properties.hysteresisMeters`, without the path prefix. */
export function fieldMessage(error: RequestError): string {
  return error.field && error.message.startsWith(`${error.field}: `) ? error.message.slice(error.field.length + 2) : error.message;
}
