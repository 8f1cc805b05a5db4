import { randomUUID } from 'node:crypto';

export const REQUEST_ID_HEADER = 'x-request-id';

/** What a caller's X-Request-Id may look like to be kept (a proxy's or a client's id); else one is made. */
const ACCEPTED = /^[A-Za-z0-9._:-]{1,128}$/;

/** The request's id: the caller's X-Request-Id when it is sane, else a new uuid. */
export function requestIdOf(headers: Headers): string {
  const given = headers.get(REQUEST_ID_HEADER);
  return given && ACCEPTED.test(given) ? given : randomUUID();
}

/**
 * The response with the request id: in the `X-Request-Id` header, and in the body of a JSON error
 * (`{error: {code, message, requestId}}`) so a user can quote it from an error message.
 */
export async function withRequestId(response: Response, requestId: string): Promise<Response> {
  const isJsonError = response.status >= 400 && (response.headers.get('content-type') ?? '').includes('application/json');
  if (!isJsonError) {
    try {
      response.headers.set(REQUEST_ID_HEADER, requestId);
      return response;
    } catch {
      // immutable headers (a fetched response passed through): copy below
    }
  }
  let body: BodyInit | null = response.body;
  if (isJsonError) {
    const text = await response.text();
    body = text;
    try {
      const parsed = JSON.parse(text) as { error?: unknown };
      if (parsed && typeof parsed.error === 'object' && parsed.error !== null) {
        body = JSON.stringify({ ...parsed, error: { ...(parsed.error as object), requestId } });
      }
    } catch {
      // not JSON after all: passed on as it was
    }
  }
  const headers = new Headers(response.headers);
  headers.set(REQUEST_ID_HEADER, requestId);
  headers.delete('content-length');
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}
