import type { NewAlert } from '../db/sql/alerts';
import { ALERT_SEVERITIES, type AlertSeverity } from '../protocol/alerts';
import type { GeofenceDto, GeofenceEventType, GeofenceProperties, GeofenceType } from '../protocol/geofences';

/** A vehicle's membership event (from the log) with its fence as evaluated. */
export interface FenceCrossing {
  tenantId: string;
  /** The domain event's id: the alert's cause. */
  eventId: string;
  type: GeofenceEventType;
  vehicleId: string;
  at: number;
  position: { lng: number; lat: number };
  fence: GeofenceDto;
}

const TYPE_LABEL: Record<GeofenceType, string | null> = {
  DEPOT: 'depot',
  CHECKPOINT: 'checkpoint',
  RESTRICTED_ZONE: 'restricted zone',
  SERVICE_AREA: 'service area',
  CUSTOM: null,
};

const VERB: Record<GeofenceEventType, string> = {
  enter: 'entered',
  exit: 'left',
  cross: 'passed through',
  predicted_enter: 'is expected to enter',
};

/** One step less severe, never below low. */
export function lowerSeverity(severity: AlertSeverity): AlertSeverity {
  return ALERT_SEVERITIES[Math.max(0, ALERT_SEVERITIES.indexOf(severity) - 1)]!;
}

/**
 * Whether a fence event becomes an alert and how severe: enter and cross when the fence has
 * `alertOnEntry`, exit when `alertOnExit`, at the fence's severity (RESTRICTED_ZONE defaults to
 * high); a predicted entry when `alertOnEntry`, one step less severe than an actual entry.
 */
export function fenceAlertSeverity(type: GeofenceEventType, fence: Pick<GeofenceProperties, 'alertOnEntry' | 'alertOnExit' | 'severity'>): AlertSeverity | null {
  switch (type) {
    case 'enter':
    case 'cross':
      return fence.alertOnEntry ? fence.severity : null;
    case 'exit':
      return fence.alertOnExit ? fence.severity : null;
    case 'predicted_enter':
      return fence.alertOnEntry ? lowerSeverity(fence.severity) : null;
  }
}

/** geofence_violation alerts for a batch of fence events, e.g. "Van 12 entered Airport apron (restricted zone)". */
export function geofenceAlerts(events: readonly FenceCrossing[], nameOf: (vehicleId: string) => string): NewAlert[] {
  const alerts: NewAlert[] = [];
  for (const { tenantId, eventId, fence, ...event } of events) {
    const p = fence.properties;
    const severity = fenceAlertSeverity(event.type, p);
    if (severity === null) continue;
    const label = TYPE_LABEL[p.type];
    alerts.push({
      tenantId,
      type: 'geofence_violation',
      severity,
      message: `${nameOf(event.vehicleId)} ${VERB[event.type]} ${p.name}${label ? ` (${label})` : ''}`,
      vehicleId: event.vehicleId,
      geofenceId: fence.id,
      at: event.at,
      position: { lng: event.position.lng, lat: event.position.lat },
      details: { event: event.type, fenceName: p.name, fenceType: p.type },
      causationId: eventId,
    });
  }
  return alerts;
}
