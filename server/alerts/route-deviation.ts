import type { NewAlert } from '../db/sql/alerts';
import type { AlertSeverity } from '../protocol/alerts';
import type { DomainEvent } from '../protocol/events';

/** A route's alert settings, from its attributes: `deviationAlert: false` (none) or a number (meters). */
export function deviationAlertThreshold(attributes: Record<string, unknown> | undefined): number | null {
  const setting = attributes?.deviationAlert;
  if (setting === false) return null;
  return typeof setting === 'number' && Number.isFinite(setting) && setting > 0 ? setting : 0;
}

/** Farther off the route, more severe: ≥ 1 km high, ≥ 300 m medium, else low. */
export function deviationSeverity(meters: number): AlertSeverity {
  return meters >= 1000 ? 'high' : meters >= 300 ? 'medium' : 'low';
}

/**
 * route_deviation: one alert per `route.deviated` event a position caused (the tracker emits one per episode), e.g.
 * "Van 12 left route Harbor loop: 312 m off it". A route whose attributes say
 * `deviationAlert: false` raises none; `deviationAlert: 500` only when the vehicle was at least
 * 500 m off when it was judged off route.
 */
export function routeDeviationAlerts(
  events: readonly DomainEvent[],
  nameOf: (vehicleId: string) => string,
  routeOf: (routeId: string) => { name: string; attributes: Record<string, unknown> } | null,
): NewAlert[] {
  const alerts: NewAlert[] = [];
  for (const e of events) {
    // Only a vehicle that drove off: a route (re)assigned far from where the vehicle stands is off
    // route on the dashboard and in the log (actor system), but nobody left anything.
    if (e.type !== 'route.deviated' || e.actor.kind !== 'device') continue;
    const d = e.data as DomainEvent<'route.deviated'>['data'];
    const route = routeOf(d.routeId);
    const threshold = deviationAlertThreshold(route?.attributes);
    if (threshold === null || d.deviationMeters < threshold) continue;
    const routeName = d.routeName ?? route?.name ?? 'its route';
    alerts.push({
      tenantId: e.tenantId,
      type: 'route_deviation',
      severity: deviationSeverity(d.deviationMeters),
      message: `${nameOf(e.aggregate.id)} left route ${routeName}: ${Math.round(d.deviationMeters)} m off it`,
      vehicleId: e.aggregate.id,
      at: Date.parse(e.at),
      position: d.position,
      details: { routeId: d.routeId, routeName, deviationMeters: d.deviationMeters, alongM: d.alongM, leftAt: d.leftAt },
      causationId: e.id,
    });
  }
  return alerts;
}
