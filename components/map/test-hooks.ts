import type { PositionsFrame, VehicleSnapshot } from '@/server/protocol/fleet';
import { recordSpan } from './live-perf';
import type { VehicleReading, VehicleStore } from './vehicle-store';

/** Cheap getters for e2e journeys, and the store's own input calls for the map benchmark, on `window.__geofleet`. */
export interface GeoFleetTestHooks {
  vehicleCount(): number;
  /** Whether the vehicle is drawn (placed, and let through by the toolbar's filters). */
  isShown(id: string): boolean;
  positionsOf(): Array<[string, number, number]>;
  framesReceived(): number;
  /** The store's current reading of a vehicle (what the panel shows), or null. */
  readingOf(id: string): VehicleReading | null;
  /** Screen pixel of a vehicle's drawn position, or null (not on the map / no map yet). */
  screenPointOf(id: string): [number, number] | null;
  /** Screen pixel of a [lng, lat] on the live map, or null (no map yet). */
  screenPointAt(lngLat: [number, number]): [number, number] | null;
  /** Benchmark input: the same store calls the socket handlers make. */
  loadSnapshot(vehicles: VehicleSnapshot[]): void;
  applyFrame(frame: PositionsFrame): void;
}

declare global {
  interface Window {
    __geofleet?: GeoFleetTestHooks;
  }
}

let project: ((lngLat: [number, number]) => [number, number]) | null = null;

/** MapView registers the map's projection here while it exists. */
export function setTestProjection(fn: typeof project): void {
  project = fn;
}

export function exposeTestHooks(store: VehicleStore): () => void {
  window.__geofleet = {
    vehicleCount: () => store.vehicleCount(),
    isShown: (id) => store.isShown(id),
    positionsOf: () => store.positionsOf(),
    framesReceived: () => store.framesReceived,
    readingOf: (id) => store.read(store.slotOf(id)),
    screenPointOf: (id) => {
      const slot = store.slotOf(id);
      return slot === undefined || !project ? null : project(store.drawnAt(slot));
    },
    screenPointAt: (lngLat) => (project ? project(lngLat) : null),
    loadSnapshot: (vehicles) => store.loadSnapshot(vehicles),
    applyFrame: (frame) => {
      const start = performance.now();
      store.applyFrame(frame);
      recordSpan('apply', start);
    },
  };
  return () => {
    delete window.__geofleet;
  };
}
