import { describe, expect, it } from 'vitest';
import { haversineMeters } from '../geofence/geometry';
import { FleetSimulation } from './fleet-simulation';

const ids = Array.from({ length: 240 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
const T0 = Date.UTC(2026, 10, 23, 8, 0, 0);

describe('FleetSimulation', () => {
  it('keeps a steady mix of moving and stopped vehicles: they stop at different times', () => {
    const simulation = new FleetSimulation(ids);
    const stopped: number[] = [];
    for (let s = 0; s < 120; s += 10) stopped.push(simulation.positionsAt(T0 + s * 1000).filter((p) => p.speed === 0).length);
    expect(Math.min(...stopped)).toBeGreaterThan(0);
    expect(Math.max(...stopped)).toBeLessThan(ids.length / 4);
  });

  it('moves each vehicle continuously, no faster than its reported speed', () => {
    const simulation = new FleetSimulation(ids.slice(0, 40));
    let previous = simulation.positionsAt(T0);
    for (let s = 1; s <= 240; s++) {
      const now = simulation.positionsAt(T0 + s * 1000);
      now.forEach((p, i) => {
        const meters = haversineMeters(previous[i]!.lng, previous[i]!.lat, p.lng, p.lat);
        const fastest = Math.max(previous[i]!.speed, p.speed) / 3.6;
        expect(meters).toBeLessThanOrEqual(fastest + 0.5);
      });
      previous = now;
    }
  });
});
