import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Delivery signatures (docs/webhooks.md): `X-GeoFleet-Signature: sha256=<hex>`, the HMAC-SHA256
 * with the webhook's secret of `<X-GeoFleet-Timestamp>.<raw body>`. Signing the timestamp with
 * the body lets receivers refuse replays of an old delivery.
 */
export function sign(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** What a receiver does (and our tests do): compare in constant time. */
export function verify(secret: string, timestamp: number | string, body: string, signature: string): boolean {
  const expected = Buffer.from(sign(secret, Number(timestamp), body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** A new webhook secret: 32 random bytes, prefixed so people recognise it in their vaults. */
export function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}
