import { ApiError } from '../protocol/errors';

export interface ConnectionQuota {
  /** e.g. `device:<vehicleId>`, `user:<id>`, `tenant:<id>`. */
  key: string;
  limit: number;
  /** For the refusal message: "this device token", "this tenant". */
  what: string;
}

/**
 * Open connections per key (device token, user, tenant). `acquire` takes a slot under every quota
 * or none: beyond a limit it throws RATE_LIMITED naming the quota. The returned release is
 * idempotent (disconnect handlers may run twice).
 */
export class ConnectionLimiter {
  private readonly open = new Map<string, number>();

  acquire(quotas: readonly ConnectionQuota[], enforce = true): () => void {
    if (enforce) {
      for (const q of quotas) {
        const count = this.open.get(q.key) ?? 0;
        if (count >= q.limit) {
          throw new ApiError('RATE_LIMITED', `too many connections for ${q.what}: ${count} open, at most ${q.limit}; close one first`, undefined, {
            limit: q.limit,
            open: count,
          });
        }
      }
    }
    for (const q of quotas) this.open.set(q.key, (this.open.get(q.key) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const q of quotas) {
        const left = (this.open.get(q.key) ?? 1) - 1;
        if (left > 0) this.open.set(q.key, left);
        else this.open.delete(q.key);
      }
    };
  }

  count(key: string): number {
    return this.open.get(key) ?? 0;
  }
}

/**
 * Messages per second per socket, as a token bucket (bursts of twice the rate). `take` is false
 * when the message must be refused.
 */
export class MessageBucket {
  private tokens: number;
  private at: number;

  constructor(
    private readonly perSecond: number,
    now = Date.now(),
  ) {
    this.tokens = perSecond * 2;
    this.at = now;
  }

  take(now = Date.now()): boolean {
    this.tokens = Math.min(this.perSecond * 2, this.tokens + ((now - this.at) / 1000) * this.perSecond);
    this.at = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
