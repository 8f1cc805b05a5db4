/**
 * When to retry a failed delivery: exponential back-off with full jitter (a uniformly random
 * wait between 0 and min(cap, base·2^(attempt−1))), so receivers coming back from an outage are
 * not hit by every webhook at the same instant.
 */
export interface Backoff {
  baseMs: number;
  capMs: number;
}

/** The wait after failed attempt number `attempt` (1, 2, …); `random` in [0, 1). */
export function retryDelayMs(attempt: number, { baseMs, capMs }: Backoff, random: () => number = Math.random): number {
  // 2^30 already exceeds any cap: stop doubling before the number does something silly.
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(Math.max(attempt - 1, 0), 30));
  return Math.floor(random() * ceiling);
}
