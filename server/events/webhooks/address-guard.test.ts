import { describe, expect, it } from 'vitest';
import { BlockedAddressError, checkTarget, isPrivateAddress } from './address-guard';

describe('isPrivateAddress', () => {
  it.each([
    '127.0.0.1',
    '127.255.255.254',
    '10.0.0.1',
    '10.255.255.255',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '100.127.255.255',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    '[::1]',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.1.2.3',
    '::ffff:169.254.169.254',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    'febf::1',
    'ff02::1',
  ])('refuses %s', (address) => expect(isPrivateAddress(address)).toBe(true));

  it.each(['8.8.8.8', '1.1.1.1', '172.15.255.255', '172.32.0.1', '100.63.255.255', '100.128.0.1', '169.253.0.1', '192.167.1.1', '2606:4700::1111', '::ffff:8.8.8.8', 'fec0::1', 'example.com'])(
    'allows %s',
    (address) => expect(isPrivateAddress(address)).toBe(false),
  );
});

describe('checkTarget', () => {
  const dns = (table: Record<string, string[]>) => async (host: string) => {
    const addresses = table[host];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return addresses;
  };
  const resolver = dns({ 'hooks.example.com': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'], 'sneaky.example.com': ['93.184.215.14', '10.0.0.7'], 'v6.example.com': ['fd00::7'] });

  it('refuses literal private hosts however they are written', async () => {
    for (const url of ['http://127.0.0.1/x', 'http://2130706433/', 'http://0x7f.1/', 'https://[::1]:8443/', 'http://[::ffff:127.0.0.1]/', 'http://169.254.169.254/latest/meta-data', 'http://0.0.0.0:3000/']) {
      await expect(checkTarget(url, resolver), url).rejects.toBeInstanceOf(BlockedAddressError);
    }
  });

  it('refuses a name when any address it resolves to is private', async () => {
    await expect(checkTarget('https://sneaky.example.com/hook', resolver)).rejects.toThrow(/sneaky\.example\.com resolves to 10\.0\.0\.7/);
    await expect(checkTarget('https://v6.example.com/hook', resolver)).rejects.toThrow(/fd00::7/);
  });

  it('lets public hosts and names through, and names that do not resolve (yet)', async () => {
    await expect(checkTarget('https://hooks.example.com/geofleet', resolver)).resolves.toBeUndefined();
    await expect(checkTarget('https://8.8.8.8/', resolver)).resolves.toBeUndefined();
    await expect(checkTarget('https://not-yet.example.com/', resolver)).resolves.toBeUndefined();
  });
});
