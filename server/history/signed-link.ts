import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Download links that work without signing in (a scheduled report's file, sent to webhooks and by
 * e-mail): `<base>/api/v1/report-files/<id>?expires=<epoch ms>&signature=<HMAC-SHA256>`. Whoever
 * holds the link can download that one file until it expires, as with a cloud storage's presigned
 * URL; the key is derived from the server's JWT secret, so rotating that secret revokes every link.
 */
export class SignedLinks {
  private readonly key: Buffer;

  constructor(
    secret: string,
    private readonly baseUrl: string | (() => string),
  ) {
    this.key = createHmac('sha256', secret).update('geofleet report-file links v1').digest();
  }

  /** The link to file `id`, valid until `expiresAt` (epoch ms). */
  fileUrl(id: string, expiresAt: number): string {
    const url = new URL(`/api/v1/report-files/${encodeURIComponent(id)}`, typeof this.baseUrl === 'string' ? this.baseUrl : this.baseUrl());
    url.searchParams.set('expires', String(expiresAt));
    url.searchParams.set('signature', this.sign(id, expiresAt));
    return url.toString();
  }

  /** Why a link's parameters do not grant file `id` at `now`, or null when they do. */
  problem(id: string, expires: string | null, signature: string | null, now = Date.now()): 'invalid' | 'expired' | null {
    if (!expires || !signature || !/^\d{1,15}$/.test(expires)) return 'invalid';
    const expected = Buffer.from(this.sign(id, Number(expires)));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
    return Number(expires) <= now ? 'expired' : null;
  }

  private sign(id: string, expiresAt: number): string {
    return createHmac('sha256', this.key).update(`${id}.${expiresAt}`).digest('base64url');
  }
}
