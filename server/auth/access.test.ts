import { describe, expect, it } from 'vitest';
import { UserAccess } from './access';
import { TokenService } from './tokens';

const SECRET = 'a-test-secret-that-is-long-enough-for-hs256';

describe('UserAccess with TokenService', () => {
  it('refuses a deactivated user at once, and tokens issued before a cut-off but not after it', async () => {
    const tokens = new TokenService(SECRET, '1h');
    const access = new UserAccess();
    tokens.useAccess(access);
    const principal = { userId: 'u1', tenantId: 't1', role: 'manager' as const };
    const before = await tokens.sign(principal);
    await expect(tokens.verify(before)).resolves.toEqual(principal);

    const revoked: string[] = [];
    access.onRevoked((id) => revoked.push(id));
    await new Promise((r) => setTimeout(r, 5));
    access.set('u1', true, new Date());
    expect(revoked).toEqual(['u1']);
    await expect(tokens.verify(before)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await new Promise((r) => setTimeout(r, 5));
    const after = await tokens.sign(principal, '15m');
    await expect(tokens.verify(after)).resolves.toEqual(principal);

    access.set('u1', false, new Date());
    await expect(tokens.verify(after)).rejects.toMatchObject({ code: 'UNAUTHORIZED', message: 'this user has been deactivated' });
    // Other users are untouched.
    await expect(tokens.verify(await tokens.sign({ ...principal, userId: 'u2' }))).resolves.toMatchObject({ userId: 'u2' });
  });
});
