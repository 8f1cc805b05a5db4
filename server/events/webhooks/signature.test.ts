import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newSecret, sign, verify } from './signature';

describe('webhook signature', () => {
  const body = '{"type":"vehicle.created","seq":7}';

  it('is sha256= and the hex HMAC-SHA256 of "timestamp.body" with the secret', () => {
    const expected = createHmac('sha256', 'whsec_test').update(`1765000000.${body}`).digest('hex');
    expect(sign('whsec_test', 1765000000, body)).toBe(`sha256=${expected}`);
  });

  it('verifies only the same secret, timestamp and body', () => {
    const signature = sign('whsec_test', 1765000000, body);
    expect(verify('whsec_test', '1765000000', body, signature)).toBe(true);
    expect(verify('whsec_other', 1765000000, body, signature)).toBe(false);
    expect(verify('whsec_test', 1765000001, body, signature)).toBe(false);
    expect(verify('whsec_test', 1765000000, body.replace('7', '8'), signature)).toBe(false);
    expect(verify('whsec_test', 1765000000, body, 'sha256=00')).toBe(false);
  });

  it('makes a new, long secret each time', () => {
    const a = newSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(newSecret()).not.toBe(a);
  });
});
