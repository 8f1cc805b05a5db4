import { describe, expect, it } from 'vitest';
import { SignedLinks } from './signed-link';

describe('signed download links', () => {
  const links = new SignedLinks('a'.repeat(32), 'https://fleet.example.com/');
  const id = '0193a7c4-1111-7000-8000-000000000001';
  const expires = Date.UTC(2026, 11, 14);
  const parts = (url: string) => {
    const u = new URL(url);
    return { path: u.pathname, expires: u.searchParams.get('expires'), signature: u.searchParams.get('signature') };
  };

  it('grants the file it names until it expires', () => {
    const { path, expires: e, signature } = parts(links.fileUrl(id, expires));
    expect(path).toBe(`/api/v1/report-files/${id}`);
    expect(links.problem(id, e, signature, expires - 1)).toBeNull();
    expect(links.problem(id, e, signature, expires)).toBe('expired');
  });

  it('refuses another file, a changed expiry, a forged or missing signature, another secret', () => {
    const { expires: e, signature } = parts(links.fileUrl(id, expires));
    const now = expires - 1000;
    expect(links.problem('0193a7c4-1111-7000-8000-000000000002', e, signature, now)).toBe('invalid');
    expect(links.problem(id, String(expires + 86_400_000), signature, now)).toBe('invalid');
    expect(links.problem(id, e, signature!.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')), now)).toBe('invalid');
    expect(links.problem(id, e, null, now)).toBe('invalid');
    expect(links.problem(id, 'soon', signature, now)).toBe('invalid');
    const other = new SignedLinks('b'.repeat(32), 'https://fleet.example.com/');
    expect(other.problem(id, e, signature, now)).toBe('invalid');
  });
});
