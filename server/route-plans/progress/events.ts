import type { NewEvent } from '../../protocol/events';
import type { ProgressTransition } from './tracker';

/**
 * Progress transitions as domain events of the vehicle: route.deviated / .rejoined / .completed /
 * .stop_reached. `cause` is the device for transitions seen in positions (at the position's
 * time), the system for a route changed under a vehicle (now).
 */
export function progressEvents(
  transitions: readonly ProgressTransition[],
  deps: { tenantOf: (vehicleId: string) => string | undefined; routeNameOf: (routeId: string) => string | undefined; cause: 'device' | 'system'; now?: number },
): NewEvent[] {
  const events: NewEvent[] = [];
  for (const t of transitions) {
    const tenantId = deps.tenantOf(t.vehicleId);
    if (!tenantId) continue;
    const routeName = deps.routeNameOf(t.routeId);
    const base = {
      tenantId,
      aggregateId: t.vehicleId,
      at: deps.cause === 'device' ? t.at : (deps.now ?? Date.now()),
      actor: deps.cause === 'device' ? ({ kind: 'device', vehicleId: t.vehicleId } as const) : ({ kind: 'system' } as const),
    };
    const common = { routeId: t.routeId, ...(routeName ? { routeName } : {}), position: { lng: t.lng, lat: t.lat } };
    switch (t.kind) {
      case 'deviated':
        events.push({ ...base, type: 'route.deviated', data: { ...common, deviationMeters: t.deviationMeters, alongM: t.alongM, leftAt: t.leftAt } });
        break;
      case 'rejoined':
        events.push({
          ...base,
          type: 'route.rejoined',
          data: { ...common, distanceMeters: Number.isFinite(t.distanceMeters) ? t.distanceMeters : 0, alongM: t.alongM, offForSeconds: Math.round(t.offForS), maxDeviationMeters: t.maxDeviationMeters, reason: t.reason },
        });
        break;
      case 'completed':
        events.push({ ...base, type: 'route.completed', data: { ...common, lengthM: t.lengthM } });
        break;
      case 'stop_reached':
        events.push({ ...base, type: 'route.stop_reached', data: { ...common, stopIndex: t.stopIndex, stopName: t.stopName, alongM: t.alongM } });
        break;
    }
  }
  return events;
}
