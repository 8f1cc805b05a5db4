/**
 * At most one of each key per window (e.g. one system_error per tenant and message a minute).
 * Keys older than the window are pruned as new ones arrive, so memory stays bounded by the
 * number of distinct keys within one window.
 */
export class SystemErrorThrottle {
  private readonly last = new Map<string, number>();

  constructor(private readonly windowMs: number) {}

  /** Keys remembered. */
  get size(): number {
    return this.last.size;
  }

  allow(key: string, now: number): boolean {
    const previous = this.last.get(key);
    if (previous !== undefined && now - previous < this.windowMs) return false;
    if (this.last.size >= 1000) {
      for (const [k, at] of this.last) if (now - at >= this.windowMs) this.last.delete(k);
    }
    this.last.set(key, now);
    return true;
  }
}
