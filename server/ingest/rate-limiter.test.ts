import { describe, expect, it } from 'vitest';
import { IpRateLimiter } from '../http/rate-limit';
import { LIVE_WINDOW_MS, VehicleRateLimiter } from './rate-limiter';

describe('VehicleRateLimiter', () => {
  const T = 1_800_000_000_000;

  it('allows a burst of two, then the configured rate', () => {
    const limiter = new VehicleRateLimiter();
    expect([0, 1, 2].map((i) => limiter.allow('v', T, 1, T + i))).toEqual([true, true, false]);
    expect(limiter.allow('v', T, 1, T + 999)).toBe(false);
    expect(limiter.allow('v', T, 1, T + 1002)).toBe(true);
    expect(limiter.allow('v', T, 1, T + 1500)).toBe(false);
  });

  it('keeps a steady 1 Hz device with jitter under a limit of 1/s', () => {
    const limiter = new VehicleRateLimiter();
    const arrivals = [0, 980, 2010, 2990, 4000, 4970, 6020, 7000];
    expect(arrivals.every((ms) => limiter.allow('v', T + ms, 1, T + ms))).toBe(true);
  });

  it('counts per vehicle and honours higher tenant rates', () => {
    const limiter = new VehicleRateLimiter();
    expect(limiter.allow('a', T, 1, T)).toBe(true);
    expect(limiter.allow('b', T, 1, T)).toBe(true);
    const fast = Array.from({ length: 10 }, (_, i) => limiter.allow('c', T, 10, T + i * 100));
    expect(fast.every(Boolean)).toBe(true);
  });

  it('lets replays of history through without spending tokens', () => {
    const limiter = new VehicleRateLimiter();
    const old = T - LIVE_WINDOW_MS - 1;
    expect(Array.from({ length: 50 }, () => limiter.allow('v', old, 1, T)).every(Boolean)).toBe(true);
    expect(limiter.allow('v', T, 1, T)).toBe(true);
    expect(limiter.allow('v', T, 1, T)).toBe(true);
    expect(limiter.allow('v', T, 1, T)).toBe(false);
  });
  it('lets a phone replay its queued 1 Hz fixes in one batch, but not fixes closer than the rate', () => {
    const limiter = new VehicleRateLimiter();
    // 40 fixes taken 1 s apart while offline, all arriving at once when the phone is back
    const queued = Array.from({ length: 40 }, (_, i) => T - 45_000 + i * 1000);
    expect(queued.every((ts) => limiter.allow('phone', ts, 1, T))).toBe(true);
    // ten fixes 100 ms apart by their own clock: a burst, then refused
    const fast = Array.from({ length: 10 }, (_, i) => limiter.allow('fast', T - 5000 + i * 100, 1, T));
    expect(fast.filter(Boolean)).toHaveLength(2);
  });

  it('buys no tokens with timestamps that jump back and forth', () => {
    const limiter = new VehicleRateLimiter();
    const results = Array.from({ length: 20 }, (_, i) => limiter.allow('v', i % 2 ? T + 200_000 : T - 50_000, 1, T));
    // the first jump ahead refills the bucket once (to its capacity); going back and forth again adds nothing
    expect(results.filter(Boolean)).toHaveLength(3);
  });
});

describe('IpRateLimiter', () => {
  it('allows the per-minute budget, then says how long to wait, then refills', () => {
    const limiter = new IpRateLimiter(60);
    const t = 1_000_000;
    for (let i = 0; i < 60; i++) expect(limiter.take('1.2.3.4', t)).toBe(0);
    expect(limiter.take('1.2.3.4', t)).toBe(1);
    expect(limiter.take('5.6.7.8', t)).toBe(0); // other clients are not affected
    expect(limiter.take('1.2.3.4', t + 1000)).toBe(0);
    expect(limiter.take('1.2.3.4', t + 1000)).toBe(1);
  });
});
