import { describe, expect, it } from 'vitest';
import { BERLIN_PATHS } from './berlin-paths';
import { FleetSimulation } from './fleet-simulation';
import { bearingDegrees, haversineMeters, PathWalker } from './path-walker';

describe('geodesy', () => {
  it('haversine matches a known distance (Brandenburger Tor – Alexanderplatz ≈ 2.4 km)', () => {
    expect(haversineMeters([13.3777, 52.5163], [13.4132, 52.5219])).toBeGreaterThan(2350);
    expect(haversineMeters([13.3777, 52.5163], [13.4132, 52.5219])).toBeLessThan(2550);
  });

  it('bearings point the right way', () => {
    expect(bearingDegrees([13, 52], [13, 53])).toBeCloseTo(0, 5);
    expect(bearingDegrees([13, 52], [14, 52])).toBeGreaterThan(89);
    expect(bearingDegrees([13, 52], [14, 52])).toBeLessThan(91);
    expect(bearingDegrees([13, 52], [13, 51])).toBeCloseTo(180, 5);
  });
});

describe('PathWalker', () => {
  const open = new PathWalker({ name: 'line', loop: false, points: [[13, 52], [13, 52.01], [13.01, 52.01]] });

  it('walks an open path forth and back, turning the heading around', () => {
    expect(open.at(0)).toMatchObject({ lng: 13, lat: 52 });
    expect(open.at(open.length)).toMatchObject({ lng: 13.01, lat: 52.01 });
    expect(open.at(open.length * 2).lat).toBeCloseTo(52, 9);
    expect(open.at(10).heading).toBeCloseTo(0, 3);
    expect(open.at(open.length * 2 - 10).heading).toBeCloseTo(180, 3);
  });

  it('moves continuously: a metre further is about a metre away', () => {
    for (const d of [5, 500, 1111, 1600, open.length + 300]) {
      const a = open.at(d);
      const b = open.at(d + 1);
      expect(haversineMeters([a.lng, a.lat], [b.lng, b.lat])).toBeCloseTo(1, 1);
    }
  });

  it('wraps a loop back to its start', () => {
    const ring = new PathWalker(BERLIN_PATHS[0]!);
    const start = ring.at(0);
    const around = ring.at(ring.length * 3);
    expect(around.lng).toBeCloseTo(start.lng, 6);
    expect(around.lat).toBeCloseTo(start.lat, 6);
  });
});

describe('FleetSimulation', () => {
  it('is deterministic per vehicle id and keeps vehicles near Berlin', () => {
    const ids = Array.from({ length: 50 }, (_, i) => `vehicle-${i}`);
    const a = new FleetSimulation(ids).positionsAt(1_800_000_000_000);
    const b = new FleetSimulation([...ids].reverse()).positionsAt(1_800_000_000_000);
    expect(b.find((p) => p.vehicleId === 'vehicle-7')).toEqual(a.find((p) => p.vehicleId === 'vehicle-7'));
    for (const p of a) {
      expect(p.lng).toBeGreaterThan(13.1);
      expect(p.lng).toBeLessThan(13.6);
      expect(p.lat).toBeGreaterThan(52.3);
      expect(p.lat).toBeLessThan(52.6);
      expect(p.heading).toBeGreaterThanOrEqual(0);
      expect(p.heading).toBeLessThan(360);
    }
  });

  it('moving vehicles cover distance matching their speed', () => {
    const sim = new FleetSimulation(['x', 'y', 'z']);
    const t = 1_800_000_000_000;
    const [a] = sim.slice(0, 1, t);
    const [b] = sim.slice(0, 1, t + 1000);
    if (a!.speed > 0 && b!.speed > 0) {
      const meters = haversineMeters([a!.lng, a!.lat], [b!.lng, b!.lat]);
      expect(meters).toBeCloseTo(a!.speed / 3.6, 0);
    }
  });
});
