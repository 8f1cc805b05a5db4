import { describe, expect, it } from 'vitest';
import type { LoginResponse } from '@/server/protocol/auth';
import { homeFor, loginUrl } from './session';

const as = (role: LoginResponse['user']['role']) => ({ token: 't', user: { id: 'u', email: 'e', name: 'n', role, tenantId: 't', tenantName: 'T' } }) as LoginResponse;

describe('where sign-in leads', () => {
  it('back to the page a session ended on, with the message flag', () => {
    expect(loginUrl('/admin/users?tab=2', true)).toBe('/login?next=%2Fadmin%2Fusers%3Ftab%3D2&ended=1');
    expect(loginUrl('/', false)).toBe('/login');
    expect(loginUrl('/login?next=%2Fmap', true)).toBe('/login?ended=1');
  });

  it('to a same-site next page only, else the role’s home', () => {
    expect(homeFor(as('manager'), '/admin/users')).toBe('/admin/users');
    expect(homeFor(as('manager'), null)).toBe('/map');
    expect(homeFor(as('driver'), null)).toBe('/driver');
    for (const unsafe of ['//evil.example/x', 'https://evil.example', '/login?next=/map', 'javascript:alert(1)']) expect(homeFor(as('viewer'), unsafe)).toBe('/map');
  });
});
