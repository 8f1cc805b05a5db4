import { describe, expect, it } from 'vitest';
import { NodeStore } from './node-store';

describe('NodeStore', () => {
  it('finds nodes added in id order, at OSM precision (1e-7°)', () => {
    const store = new NodeStore();
    for (let i = 0; i < 5000; i++) store.add(10 + i * 3, -76.6 + i * 1e-5, 39.2 + i * 1e-5);
    store.finish();
    expect(store.size).toBe(5000);
    const ix = store.indexOf(10 + 4321 * 3);
    expect(store.lon(ix)).toBeCloseTo(-76.6 + 4321e-5, 7);
    expect(store.lat(ix)).toBeCloseTo(39.2 + 4321e-5, 7);
    expect(store.indexOf(11)).toBe(-1);
    expect(store.indexOf(9)).toBe(-1);
    expect(store.indexOf(10 + 5000 * 3)).toBe(-1);
  });

  it('sorts nodes added out of order, a repeated id keeping its last coordinates; negative ids work', () => {
    const store = new NodeStore();
    store.add(5, 5, 5);
    store.add(-2, -2, -2);
    store.add(3, 3, 3);
    store.add(5, 50, 50);
    store.add(8_000_000_000, 8, 8);
    store.finish();
    expect(store.size).toBe(4);
    expect(store.lon(store.indexOf(5))).toBe(50);
    expect(store.lat(store.indexOf(-2))).toBe(-2);
    expect(store.lon(store.indexOf(8_000_000_000))).toBe(8);
    expect(store.indexOf(4)).toBe(-1);
  });
});
