/** Which deck.gl layers are drawn. */
export interface LayerToggles {
  vehicles: boolean;
  geofences: boolean;
  routes: boolean;
  trails: boolean;
  /** Today's driving events (harsh manoeuvres, speeding, idling). */
  drivingEvents: boolean;
}

export const DEFAULT_TOGGLES: LayerToggles = { vehicles: true, geofences: true, routes: true, trails: true, drivingEvents: false };

/** Trail lengths offered in the vehicle panel, minutes. */
export const TRAIL_MINUTES = [15, 60, 240] as const;
