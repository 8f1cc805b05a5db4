/** Ways in for positions: governed by the per-vehicle limit, not the per-IP one. */
const INGEST_PATHS = ['/api/v1/positions', '/api/v1/osmand', '/api/v1/owntracks'];

/** Header the custom server sets from the socket's address (any client-sent value is replaced). */
export const CLIENT_IP_HEADER = 'x-geofleet-client-ip';

export function isIngestPath(pathname: string): boolean {
  return INGEST_PATHS.some((p) => pathname === p || pathname.startsWith(`${p}/`));
}

/**
 * Basemap tiles: one map view asks for dozens at once and more on every pan, so the per-IP REST
 * budget (60/min by default) would blank the map; they are cached reads and not limited.
 */
export function isTilePath(pathname: string): boolean {
  return pathname === '/basemap.pmtiles' || pathname.startsWith('/api/v1/tiles/') || /^\/api\/v1\/track\/[^/]+\/tiles\//.test(pathname);
}

/**
 * Requests per minute per client IP, as a token bucket (bursts up to the per-minute budget,
 * refilled continuously). Idle entries are swept so memory stays bounded.
 */
export class IpRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private lastSweep = 0;

  constructor(private readonly perMinute: number) {}

  /** Seconds to wait when over the limit, else 0 (and a token is taken). */
  take(ip: string, now = Date.now()): number {
    this.sweep(now);
    const rate = this.perMinute / 60_000;
    const bucket = this.buckets.get(ip) ?? { tokens: this.perMinute, at: now };
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.at) * rate);
    bucket.at = now;
    this.buckets.set(ip, bucket);
    if (bucket.tokens < 1) return Math.ceil((1 - bucket.tokens) / rate / 1000);
    bucket.tokens -= 1;
    return 0;
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    for (const [ip, bucket] of this.buckets) if (now - bucket.at > 60_000) this.buckets.delete(ip);
  }
}
