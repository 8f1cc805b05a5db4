import { describe, expect, it } from 'vitest';
import { retryDelayMs } from './backoff';

const policy = { baseMs: 1000, capMs: 600_000 };

describe('webhook retry back-off', () => {
  it('doubles the ceiling from 1 s with each failed attempt', () => {
    const almostOne = () => 0.999999;
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, policy, almostOne))).toEqual([999, 1999, 3999, 7999, 15999]);
  });

  it('never waits longer than the cap, however many attempts', () => {
    const almostOne = () => 0.999999;
    expect(retryDelayMs(10, policy, almostOne)).toBe(511_999);
    expect(retryDelayMs(11, policy, almostOne)).toBe(599_999);
    expect(retryDelayMs(5000, policy, almostOne)).toBe(599_999);
    expect(retryDelayMs(3, { baseMs: 50, capMs: 100 }, almostOne)).toBe(99);
  });

  it('is full jitter: anywhere from 0 up to the ceiling', () => {
    expect(retryDelayMs(4, policy, () => 0)).toBe(0);
    expect(retryDelayMs(4, policy, () => 0.5)).toBe(4000);
    const waits = Array.from({ length: 500 }, () => retryDelayMs(4, policy));
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...waits)).toBeLessThan(8000);
    expect(new Set(waits).size).toBeGreaterThan(100);
  });

  it('sums to about a day of retries before giving up at the default cap', () => {
    // With a 600 s cap the expected wait settles at 300 s: ≈290 attempts in 24 h.
    let total = 0;
    let attempts = 0;
    while (total < 24 * 3_600_000) total += retryDelayMs(++attempts, policy, () => 0.5);
    expect(attempts).toBeGreaterThan(250);
    expect(attempts).toBeLessThan(320);
  });
});
