import { compileShape, covers, type Shape } from '@/server/geofence/geometry';
import type { GeofenceDto } from '@/server/protocol/geofences';

export interface CompiledFence {
  fence: GeofenceDto;
  shape: Shape;
}

/** Fences compiled once for point tests (the geofence engine's geometry; circles exact). */
export function compileFences(fences: readonly GeofenceDto[]): CompiledFence[] {
  const compiled: CompiledFence[] = [];
  for (const fence of fences) {
    const g = fence.geometry;
    try {
      const shape = compileShape(g.type === 'Point' ? { type: 'Circle', center: g.coordinates, radiusMeters: fence.properties.radius ?? 0 } : g);
      compiled.push({ fence, shape });
    } catch {
      // a fence the engine cannot evaluate is not evaluated here either
    }
  }
  return compiled;
}

/**
 * The fences covering a position (boundary included), by name. This is where the vehicle is
 * now, without the engine's hysteresis and dwell time, which decide when events fire.
 */
export function fencesAt(compiled: readonly CompiledFence[], lng: number, lat: number): GeofenceDto[] {
  return compiled
    .filter(({ shape }) => covers(shape, lng, lat))
    .map(({ fence }) => fence)
    .sort((a, b) => a.properties.name.localeCompare(b.properties.name));
}
