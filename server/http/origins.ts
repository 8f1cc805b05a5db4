/**
 * Which browser origins may call us. A request without an Origin header is not a cross-site
 * browser request (devices, servers, curl, same-origin GETs) and always passes; one whose Origin
 * names the host it was sent to is same-origin; anything else must be listed in ALLOWED_ORIGINS
 * (`*` allows every origin).
 */
export class OriginPolicy {
  private readonly allowed: Set<string>;
  readonly any: boolean;

  constructor(allowed: readonly string[]) {
    this.allowed = new Set(allowed.map((o) => o.toLowerCase()));
    this.any = this.allowed.has('*');
  }

  /** `origin`: the Origin header (undefined when absent); `host`: the Host header the request was sent to. */
  allows(origin: string | undefined, host: string | undefined): boolean {
    if (origin === undefined || this.any) return true;
    const normalized = origin.toLowerCase();
    if (this.allowed.has(normalized)) return true;
    if (normalized === 'null') return false; // sandboxed frames, file:// pages
    try {
      return host !== undefined && new URL(normalized).host === host.toLowerCase();
    } catch {
      return false;
    }
  }

  /** Listed (not merely same-origin): gets CORS response headers. */
  listed(origin: string | undefined): boolean {
    return origin !== undefined && (this.any || this.allowed.has(origin.toLowerCase()));
  }
}

/** CORS response headers for a listed origin. */
export function corsHeaders(origin: string): Record<string, string> {
  return {
    'Access-Control-Allow-Origin': origin,
    Vary: 'Origin',
    'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
    'Access-Control-Allow-Headers': 'Authorization, Content-Type, Last-Event-ID',
    'Access-Control-Max-Age': '600',
  };
}
