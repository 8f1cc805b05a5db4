import type { Feature, Geometry } from 'geojson';
import { circlePolygon } from '@/server/geofence/geometry';
import type { GeofenceDto, GeofenceType } from '@/server/protocol/geofences';

/** Fence colors by type (RGB); the legend shows the same. */
export const FENCE_COLORS: Record<GeofenceType, readonly [number, number, number]> = {
  DEPOT: [37, 99, 235],
  CHECKPOINT: [124, 58, 237],
  RESTRICTED_ZONE: [220, 38, 38],
  SERVICE_AREA: [13, 148, 136],
  CUSTOM: [71, 85, 105],
};

export const FENCE_LABELS: Record<GeofenceType, string> = {
  DEPOT: 'Depot',
  CHECKPOINT: 'Checkpoint',
  RESTRICTED_ZONE: 'Restricted',
  SERVICE_AREA: 'Service area',
  CUSTOM: 'Custom',
};

/** How long a fence flashes after a breach (enter, exit or cross). */
export const FLASH_MS = 3_000;

/**
 * Fence id → when its last breach was seen (performance.now()): written by the socket, read by
 * the fences layer per animation frame. Listeners hear of new flashes without React.
 */
export class FenceFlashes {
  readonly started = new Map<string, number>();
  private readonly listeners = new Set<() => void>();

  flash(ids: Iterable<string>, now = performance.now()): void {
    for (const id of ids) this.started.set(id, now);
    this.listeners.forEach((listener) => listener());
  }

  onFlash(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export type FenceFeature = Feature<Geometry, GeofenceDto['properties'] & { id: string }>;

/** Circles (center + radius) become polygons for drawing; polygons stay as they are. */
export function drawableFences(fences: readonly GeofenceDto[]): FenceFeature[] {
  return fences.map((fence) => ({
    type: 'Feature',
    id: fence.id,
    geometry:
      fence.geometry.type === 'Point'
        ? circlePolygon({ type: 'Circle', center: fence.geometry.coordinates, radiusMeters: fence.properties.radius ?? 0 })
        : fence.geometry,
    properties: { ...fence.properties, id: fence.id },
  }));
}

/** 0 … 1 … 0 three times over FLASH_MS after a breach, else 0. */
export function flashLevel(startedAt: number | undefined, now: number): number {
  if (startedAt === undefined) return 0;
  const t = (now - startedAt) / FLASH_MS;
  return t < 0 || t >= 1 ? 0 : Math.abs(Math.sin(t * Math.PI * 3));
}
