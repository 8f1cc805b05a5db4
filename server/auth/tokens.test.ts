import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './password';
import { bearerToken, requireRole, TokenService } from './tokens';

const SECRET = 'unit-test-secret-unit-test-secret-1234';
const principal = { userId: 'u1', tenantId: 't1', role: 'manager' as const };

describe('TokenService', () => {
  it('round-trips the principal', async () => {
    const tokens = new TokenService(SECRET, '1h');
    expect(await tokens.verify(await tokens.sign(principal))).toEqual(principal);
  });

  it('refuses a token signed with another secret', async () => {
    const token = await new TokenService('another-secret-another-secret-123456', '1h').sign(principal);
    await expect(new TokenService(SECRET, '1h').verify(token)).rejects.toMatchObject({ code: 'UNAUTHORIZED', message: 'token is invalid' });
  });

  it('refuses an expired token, saying so', async () => {
    const token = await new TokenService(SECRET, '-1s').sign(principal);
    await expect(new TokenService(SECRET, '1h').verify(token)).rejects.toMatchObject({ code: 'UNAUTHORIZED', message: 'token has expired' });
  });

  it('refuses garbage and a changed payload', async () => {
    const tokens = new TokenService(SECRET, '1h');
    await expect(tokens.verify('x.y.z')).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    const [h, , s] = (await tokens.sign(principal)).split('.');
    const payload = Buffer.from(JSON.stringify({ sub: 'u1', tid: 't2', role: 'admin', iss: 'geofleet', aud: 'geofleet' })).toString('base64url');
    await expect(tokens.verify(`${h}.${payload}.${s}`)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});

describe('roles and headers', () => {
  it('requireRole throws FORBIDDEN naming the needed roles', () => {
    expect(() => requireRole(principal, ['admin'], 'delete vehicles')).toThrow('role manager may not delete vehicles (needs admin)');
    expect(() => requireRole(principal, ['admin', 'manager'], 'x')).not.toThrow();
  });

  it('bearerToken reads only a well-formed Bearer header', () => {
    expect(bearerToken('Bearer abc.def')).toBe('abc.def');
    expect(bearerToken('bearer abc')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeNull();
    expect(bearerToken('Bearer a b')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });
});

describe('passwords', () => {
  it('verifies the right password only, with a salted hash', async () => {
    const a = await hashPassword('correct horse');
    const b = await hashPassword('correct horse');
    expect(a).not.toBe(b);
    expect(a.startsWith('scrypt$')).toBe(true);
    expect(await verifyPassword('correct horse', a)).toBe(true);
    expect(await verifyPassword('correct hors', a)).toBe(false);
    expect(await verifyPassword('anything', 'not-a-hash')).toBe(false);
  });
});
