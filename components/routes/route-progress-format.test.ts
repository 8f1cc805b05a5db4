import { describe, expect, it } from 'vitest';
import type { VehicleRouteProgress } from '@/server/protocol/route-progress';
import { distance, duration, progressLine } from './route-progress-format';

const p = (fields: Partial<VehicleRouteProgress>): VehicleRouteProgress => ({
  vehicleId: 'v', routeId: 'r', progress: 0.5, status: 'IN_TRANSIT', distanceFromRouteM: 4, remainingM: 3200, etaS: 720, nextStop: null, snapped: null, bearing: null, at: null, ...fields,
});

describe('route progress text', () => {
  it('durations and distances read naturally', () => {
    expect([duration(45), duration(720), duration(3900)]).toEqual(['45 s', '12 min', '1 h 05 min']);
    expect([distance(850), distance(3240), distance(12_400)]).toEqual(['850 m', '3.2 km', '12 km']);
  });

  it('says what matters for the status', () => {
    expect(progressLine(p({}), Date.UTC(2026, 0, 1, 12, 0))).toMatch(/^3.2 km left · ETA \d?\d:\d\d.* \(12 min\)$/);
    expect(progressLine(p({ status: 'OFF_ROUTE', distanceFromRouteM: 312 }), 0)).toBe('312 m off the route · 3.2 km left');
    expect(progressLine(p({ status: 'COMPLETED' }), 0)).toBe('Route completed');
  });
});
