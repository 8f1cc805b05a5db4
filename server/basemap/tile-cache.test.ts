import { describe, expect, it } from 'vitest';
import { TileCache } from './tile-cache';

const bytes = (n: number) => new Uint8Array(n);

describe('TileCache', () => {
  it('returns what was stored and counts hits and misses', () => {
    const cache = new TileCache(10_000);
    cache.set('t1', 14, 1, 2, bytes(10));
    expect(cache.get('t1', 14, 1, 2)?.byteLength).toBe(10);
    expect(cache.get('t2', 14, 1, 2)).toBeUndefined();
    expect([cache.hits, cache.misses]).toEqual([1, 1]);
  });

  it('evicts the least recently used tile beyond its byte budget', () => {
    const cache = new TileCache(3 * (100 + 64));
    cache.set('t', 14, 0, 0, bytes(100));
    cache.set('t', 14, 0, 1, bytes(100));
    cache.set('t', 14, 0, 2, bytes(100));
    cache.get('t', 14, 0, 0); // now the most recent
    cache.set('t', 14, 0, 3, bytes(100));
    expect(cache.get('t', 14, 0, 1)).toBeUndefined();
    expect(cache.get('t', 14, 0, 0)).toBeDefined();
    expect(cache.size).toBe(3);
    expect(cache.byteSize).toBeLessThanOrEqual(3 * 164);
  });

  it('keeps empty tiles (outside the data) and replaces a tile in place', () => {
    const cache = new TileCache(1000);
    cache.set('t', 10, 0, 0, bytes(0));
    expect(cache.get('t', 10, 0, 0)?.byteLength).toBe(0);
    cache.set('t', 10, 0, 0, bytes(50));
    expect(cache.byteSize).toBe(114);
  });

  it('drops one tenant’s tiles on invalidation and keeps the others', () => {
    const cache = new TileCache(100_000);
    cache.set('a', 14, 1, 1, bytes(10));
    cache.set('a', 15, 2, 2, bytes(10));
    cache.set('ab', 14, 1, 1, bytes(10));
    cache.invalidateTenant('a');
    expect(cache.get('a', 14, 1, 1)).toBeUndefined();
    expect(cache.get('a', 15, 2, 2)).toBeUndefined();
    expect(cache.get('ab', 14, 1, 1)).toBeDefined();
    expect(cache.byteSize).toBe(74);
  });
});
