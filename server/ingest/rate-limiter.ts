/** Positions with a timestamp older than this are replays of stored history, not live. */
export const LIVE_WINDOW_MS = 60_000;

/** Burst a vehicle may use up at once (absorbs jitter in a steady 1 Hz device). */
const BURST = 2;

/**
 * Token bucket per vehicle for live positions: `rate` per second on average, bursts of up to
 * two. Replayed history (older than LIVE_WINDOW_MS) is exempt and costs nothing.
 *
 * The bucket refills with whichever clock moved further since the last position: arrival time,
 * or the positions' own timestamps (the newest seen). A phone that was offline for a minute and
 * replays its queued 1 Hz fixes in one batch therefore passes, while a device sending faster than
 * the rate (by its own timestamps) is still limited. Timestamps cannot buy more than their span
 * (at most LIVE_WINDOW_MS back and 5 minutes ahead) beyond real time: only the newest counts.
 */
export class VehicleRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number; newestTs: number }>();

  /** True when the position may pass; consumes a token when it does. */
  allow(vehicleId: string, positionTs: number, rate: number, now: number): boolean {
    if (positionTs < now - LIVE_WINDOW_MS) return true;
    const capacity = Math.max(BURST, rate);
    const bucket = this.buckets.get(vehicleId);
    if (!bucket) {
      this.buckets.set(vehicleId, { tokens: capacity - 1, at: now, newestTs: positionTs });
      return true;
    }
    const elapsed = Math.max(now - bucket.at, positionTs - bucket.newestTs, 0);
    bucket.tokens = Math.min(capacity, bucket.tokens + (elapsed / 1000) * rate);
    bucket.at = Math.max(bucket.at, now);
    bucket.newestTs = Math.max(bucket.newestTs, positionTs);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  forget(vehicleId: string): void {
    this.buckets.delete(vehicleId);
  }
}
