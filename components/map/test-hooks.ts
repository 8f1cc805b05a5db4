import type { VehicleStore } from './vehicle-store';

/** Cheap read-only getters e2e tests poll through `window.__geofleet`. */
export interface GeoFleetTestHooks {
  vehicleCount(): number;
  positionsOf(): Array<[string, number, number]>;
  framesReceived(): number;
}

declare global {
  interface Window {
    __geofleet?: GeoFleetTestHooks;
  }
}

export function exposeTestHooks(store: VehicleStore): () => void {
  window.__geofleet = {
    vehicleCount: () => store.vehicleCount(),
    positionsOf: () => store.positionsOf(),
    framesReceived: () => store.framesReceived,
  };
  return () => {
    delete window.__geofleet;
  };
}
