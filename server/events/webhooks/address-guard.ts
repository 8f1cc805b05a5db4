import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * SSRF protection: webhooks may not reach into the server's own network. Private, loopback,
 * link-local, shared (CGNAT), unspecified, multicast and reserved ranges are refused, for IPv4
 * and IPv6 alike (IPv4-mapped IPv6 such as ::ffff:127.0.0.1 is checked as the IPv4 it is).
 * The host is checked twice: its literal form when a webhook is saved, and every address DNS
 * gives it at connect time (`guardedLookup`), so a name that later resolves to 10.0.0.1 (DNS
 * rebinding) is refused on the very connection it would have used.
 */
const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 96], // unspecified, loopback and the deprecated IPv4-compatible form
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}

/** Whether an IP address (v4 or v6, brackets allowed) is one a webhook may not target. Not an IP: false. */
export function isPrivateAddress(address: string): boolean {
  const ip = address.replace(/^\[(.*)\]$/, '$1');
  const family = isIP(ip);
  if (family === 0) return false;
  return blocked.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

export class BlockedAddressError extends Error {
  constructor(readonly host: string, readonly address: string) {
    super(address === host ? `${host} is a private, loopback or link-local address` : `${host} resolves to ${address}, a private, loopback or link-local address`);
    this.name = 'BlockedAddressError';
  }
}

export type Resolve = (host: string) => Promise<string[]>;

/** Every address of `host` (A and AAAA, as the OS resolver gives them). */
export const resolveAll: Resolve = (host) =>
  new Promise((resolve, reject) => dnsLookup(host, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses.map((a) => a.address)))));

/**
 * Throws BlockedAddressError when `url`'s host is, or resolves to, a blocked address. A name that
 * does not resolve passes (the receiver may simply not exist yet; its deliveries will fail and be
 * retried, each connection checked again by `guardedLookup`).
 */
export async function checkTarget(url: string, resolve: Resolve = resolveAll): Promise<void> {
  const host = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host)) {
    if (isPrivateAddress(host)) throw new BlockedAddressError(host, host);
    return;
  }
  let addresses: string[];
  try {
    addresses = await resolve(host);
  } catch {
    return;
  }
  const bad = addresses.find(isPrivateAddress);
  if (bad) throw new BlockedAddressError(host, bad);
}

/** A `lookup` for http.request that refuses to connect to a blocked address. */
export const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, '', 0);
    const bad = addresses.find((a) => isPrivateAddress(a.address));
    if (bad) return callback(Object.assign(new BlockedAddressError(hostname, bad.address), { code: 'EBLOCKED' }), '', 0);
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    const first = addresses[0]!;
    callback(null, first.address, first.family);
  });
};
