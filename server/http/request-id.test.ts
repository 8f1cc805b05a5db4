import { describe, expect, it } from 'vitest';
import { ApiError, errorResponse } from '../protocol/errors';
import { requestIdOf, withRequestId } from './request-id';

describe('request ids', () => {
  it("keeps the caller's sane X-Request-Id, else makes one", () => {
    expect(requestIdOf(new Headers({ 'x-request-id': 'lb-7f3a.1' }))).toBe('lb-7f3a.1');
    expect(requestIdOf(new Headers({ 'x-request-id': 'has spaces <script>' }))).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestIdOf(new Headers({ 'x-request-id': 'x'.repeat(200) }))).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestIdOf(new Headers())).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('puts the id in the header of every answer and in the body of JSON errors', async () => {
    const ok = await withRequestId(Response.json({ fine: true }), 'req-1');
    expect(ok.headers.get('x-request-id')).toBe('req-1');
    expect(await ok.json()).toEqual({ fine: true });

    const error = await withRequestId(errorResponse(new ApiError('RATE_LIMITED', 'slow down')), 'req-2');
    expect(error.status).toBe(429);
    expect(error.headers.get('x-request-id')).toBe('req-2');
    expect(error.headers.get('retry-after')).toBe('1');
    expect(await error.json()).toEqual({ error: { code: 'RATE_LIMITED', message: 'slow down', requestId: 'req-2' } });
  });
});
