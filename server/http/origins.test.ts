import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config';
import { ConnectionLimiter, MessageBucket } from '../realtime/connection-limits';
import { OriginPolicy } from './origins';

describe('OriginPolicy', () => {
  it('default: same origin and requests without Origin only', () => {
    const policy = new OriginPolicy([]);
    expect(policy.allows(undefined, 'fleet.example.com')).toBe(true);
    expect(policy.allows('https://fleet.example.com', 'fleet.example.com')).toBe(true);
    expect(policy.allows('http://localhost:3000', 'localhost:3000')).toBe(true);
    expect(policy.allows('https://evil.example', 'fleet.example.com')).toBe(false);
    expect(policy.allows('http://localhost:3001', 'localhost:3000')).toBe(false);
    expect(policy.allows('null', 'fleet.example.com')).toBe(false);
    expect(policy.allows('not a url', 'fleet.example.com')).toBe(false);
  });

  it('listed origins and *', () => {
    const policy = new OriginPolicy(['https://ops.example.com']);
    expect(policy.allows('https://OPS.example.com', 'fleet.example.com')).toBe(true);
    expect(policy.listed('https://ops.example.com')).toBe(true);
    expect(policy.listed('https://fleet.example.com')).toBe(false);
    expect(new OriginPolicy(['*']).allows('https://anyone.example', 'x')).toBe(true);
  });
});

describe('ConnectionLimiter', () => {
  it('takes a slot under every quota or none, and releases once', () => {
    const limiter = new ConnectionLimiter();
    const quotas = (device: string) => [
      { key: `device:${device}`, limit: 2, what: 'this device token' },
      { key: 'tenant:t', limit: 3, what: 'this tenant' },
    ];
    const a1 = limiter.acquire(quotas('a'));
    limiter.acquire(quotas('a'));
    expect(() => limiter.acquire(quotas('a'))).toThrow(/this device token: 2 open, at most 2/);
    expect(limiter.count('tenant:t')).toBe(2);
    limiter.acquire(quotas('b'));
    expect(() => limiter.acquire(quotas('c'))).toThrow(/this tenant/);
    expect(limiter.count('device:c')).toBe(0);
    a1();
    a1();
    expect(limiter.count('device:a')).toBe(1);
    expect(limiter.count('tenant:t')).toBe(2);
  });
});

describe('MessageBucket', () => {
  it('bursts twice the rate, then refills at the rate', () => {
    const bucket = new MessageBucket(5, 0);
    expect(Array.from({ length: 12 }, () => bucket.take(0)).filter(Boolean)).toHaveLength(10);
    expect(bucket.take(100)).toBe(false);
    expect(bucket.take(200)).toBe(true);
  });
});

describe('ALLOWED_ORIGINS', () => {
  it('parses a comma list (trailing slashes dropped), *, and refuses anything that is not an origin', () => {
    expect(parseConfig({}).ALLOWED_ORIGINS).toEqual([]);
    expect(parseConfig({ ALLOWED_ORIGINS: 'https://ops.example.com/, http://localhost:5173' }).ALLOWED_ORIGINS).toEqual(['https://ops.example.com', 'http://localhost:5173']);
    expect(parseConfig({ ALLOWED_ORIGINS: '*' }).ALLOWED_ORIGINS).toEqual(['*']);
    expect(() => parseConfig({ ALLOWED_ORIGINS: 'ops.example.com' })).toThrow(/ALLOWED_ORIGINS/);
    expect(() => parseConfig({ ALLOWED_ORIGINS: 'https://ops.example.com/path' })).toThrow(/ALLOWED_ORIGINS/);
  });
});
