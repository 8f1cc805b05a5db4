/** Positions with a timestamp older than this are replays of stored history, not live. */
export const LIVE_WINDOW_MS = 60_000;

/** Burst a vehicle may use up at once (absorbs jitter in a steady 1 Hz device). */
const BURST = 2;

/**
 * Token bucket per vehicle for live positions: `rate` per second on average, bursts of up to
 * two. Replayed history (older than LIVE_WINDOW_MS) is exempt and costs nothing.
 */
export class VehicleRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  /** True when the position may pass; consumes a token when it does. */
  allow(vehicleId: string, positionTs: number, rate: number, now: number): boolean {
    if (positionTs < now - LIVE_WINDOW_MS) return true;
    const capacity = Math.max(BURST, rate);
    const bucket = this.buckets.get(vehicleId);
    if (!bucket) {
      this.buckets.set(vehicleId, { tokens: capacity - 1, at: now });
      return true;
    }
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.at) / 1000) * rate);
    bucket.at = now;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  forget(vehicleId: string): void {
    this.buckets.delete(vehicleId);
  }
}
