import type { GeofenceInputProperties, GeofenceDtoGeometry, GeofenceGeometryInput } from '../protocol/geofences';
import type { GeofenceDefinition } from './semantics';

/**
 * A stored (or about to be stored) fence as the engine takes it. Circles are evaluated exactly
 * (center and radius), not as their stored polygon.
 */
export function toDefinition(
  tenantId: string,
  fence: { id: string; geometry: GeofenceDtoGeometry | GeofenceGeometryInput; properties: GeofenceInputProperties },
): GeofenceDefinition {
  const { geometry, properties: p } = fence;
  return {
    id: fence.id,
    tenantId,
    kind: p.kind,
    geometry:
      geometry.type === 'Point'
        ? { type: 'Circle', center: [geometry.coordinates[0], geometry.coordinates[1]], radiusMeters: p.radius ?? 0 }
        : geometry,
    hysteresisMeters: p.hysteresisMeters,
    dwellSeconds: p.dwellSeconds,
    maxAccuracyMeters: p.maxAccuracyMeters,
    followVehicleId: p.followVehicleId,
    schedule: p.schedule,
    rule: p.rule,
    timezone: p.timezone,
    windowMinutes: p.windowMinutes,
    confidenceThreshold: p.confidenceThreshold,
  };
}
