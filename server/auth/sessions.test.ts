import { describe, expect, it } from 'vitest';
import { hashRefreshToken, refreshCookie, refreshCookieOf, ttlMs } from './sessions';

describe('refresh cookie', () => {
  it('is httpOnly, strict, scoped to the auth routes, Secure over HTTPS, and cleared with Max-Age=0', () => {
    const expires = new Date('2027-01-01T00:00:00Z');
    expect(refreshCookie('abc', expires, true)).toBe('geofleet_refresh=abc; Path=/api/v1/auth; HttpOnly; SameSite=Strict; Secure; Expires=Fri, 01 Jan 2027 00:00:00 GMT');
    expect(refreshCookie(null, null, false)).toBe('geofleet_refresh=; Path=/api/v1/auth; HttpOnly; SameSite=Strict; Max-Age=0');
  });

  it('is read from a Cookie header among others', () => {
    expect(refreshCookieOf('a=1; geofleet_refresh=x-y_z; b=2')).toBe('x-y_z');
    expect(refreshCookieOf('a=1')).toBeNull();
    expect(refreshCookieOf(null)).toBeNull();
  });

  it('is stored as a hash that does not contain it', () => {
    const hash = hashRefreshToken('secret-value');
    expect(hash).toHaveLength(43);
    expect(hash).not.toContain('secret');
    expect(hashRefreshToken('secret-value')).toBe(hash);
  });
});

describe('ttlMs', () => {
  it('reads the JWT_TTL format', () => {
    expect(ttlMs('30s')).toBe(30_000);
    expect(ttlMs('15m')).toBe(900_000);
    expect(ttlMs('12h')).toBe(43_200_000);
    expect(ttlMs('7d')).toBe(604_800_000);
    expect(() => ttlMs('soon')).toThrow();
  });
});
