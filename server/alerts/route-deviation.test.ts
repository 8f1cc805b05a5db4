import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../protocol/events';
import { deviationSeverity, routeDeviationAlerts } from './route-deviation';

const deviated = (meters: number, routeId = 'r1'): DomainEvent =>
  ({
    id: 'e1',
    seq: 1,
    tenantId: 't1',
    type: 'route.deviated',
    aggregate: { type: 'vehicle', id: 'v1' },
    version: 1,
    at: '2026-12-07T10:00:00.000Z',
    actor: { kind: 'device', vehicleId: 'v1' },
    correlationId: null,
    causationId: null,
    data: { routeId, routeName: 'Harbor loop', deviationMeters: meters, position: { lng: 1, lat: 2 }, alongM: 10, leftAt: { lng: 1, lat: 1.99 } },
  }) as DomainEvent;

describe('route_deviation alerts', () => {
  const routes = new Map([
    ['r1', { name: 'Harbor loop', attributes: {} }],
    ['quiet', { name: 'Quiet', attributes: { deviationAlert: false } }],
    ['far', { name: 'Far', attributes: { deviationAlert: 500 } }],
  ]);
  const alerts = (events: DomainEvent[]) => routeDeviationAlerts(events, () => 'Van 12', (id) => routes.get(id) ?? null);

  it('one alert per route.deviated, naming the distance, severity by distance', () => {
    expect(alerts([deviated(312)])).toMatchObject([
      { type: 'route_deviation', severity: 'medium', message: 'Van 12 left route Harbor loop: 312 m off it', vehicleId: 'v1', causationId: 'e1', details: { deviationMeters: 312 } },
    ]);
    expect([deviationSeverity(120), deviationSeverity(300), deviationSeverity(1500)]).toEqual(['low', 'medium', 'high']);
  });

  it('per route: none when deviationAlert is false, only beyond a threshold when it is a number', () => {
    expect(alerts([deviated(2000, 'quiet')])).toEqual([]);
    expect(alerts([deviated(300, 'far')])).toEqual([]);
    expect(alerts([deviated(700, 'far')])).toHaveLength(1);
  });

  it('none for a route assigned where the vehicle is off it (caused by the system, not a position)', () => {
    expect(alerts([{ ...deviated(2000), actor: { kind: 'system' } }])).toEqual([]);
  });
});
