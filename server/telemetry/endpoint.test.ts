import { describe, expect, it } from 'vitest';
import { metricsAccessVerdict } from './endpoint';

const call = (remoteAddress: string, authorization?: string, forwarded = false) => ({ remoteAddress, authorization, forwarded });

describe('metricsAccessVerdict', () => {
  it('with a token: the right bearer token from anywhere, else 401', () => {
    const access = { kind: 'token', token: 'metrics-token-0123456789' } as const;
    expect(metricsAccessVerdict(access, call('10.0.0.5', 'Bearer metrics-token-0123456789'))).toBe('ok');
    expect(metricsAccessVerdict(access, call('127.0.0.1'))).toBe('unauthorized');
    expect(metricsAccessVerdict(access, call('127.0.0.1', 'Bearer metrics-token-01234567890'))).toBe('unauthorized');
    expect(metricsAccessVerdict(access, call('127.0.0.1', 'Basic abc'))).toBe('unauthorized');
  });

  it('without one: loopback callers only, and none that came through a proxy', () => {
    const access = { kind: 'loopback' } as const;
    expect(metricsAccessVerdict(access, call('127.0.0.1'))).toBe('ok');
    expect(metricsAccessVerdict(access, call('::1'))).toBe('ok');
    expect(metricsAccessVerdict(access, call('::ffff:127.0.0.1'))).toBe('ok');
    expect(metricsAccessVerdict(access, call('192.168.1.20'))).toBe('forbidden');
    expect(metricsAccessVerdict(access, call('127.0.0.1', undefined, true))).toBe('forbidden');
  });

  it('on a port of its own without a token: open', () => {
    expect(metricsAccessVerdict({ kind: 'open' }, call('10.0.0.5'))).toBe('ok');
  });
});
