/**
 * The live map's state in the page URL, so a reload (or a shared link) opens the same view:
 * `?at=lng,lat,zoom&vehicle=<id>&status=moving,idle&type=van,truck&group=North%20depot&dispatch=ONLINE`. Parameters at their
 * default are left out; anything malformed is ignored (the default applies).
 */
import { DRIVER_STATUSES, type DriverStatus } from '@/server/protocol/dispatch';
import { STATUSES, type VehicleFilter } from './vehicle-store';

export interface MapView {
  center: [number, number];
  zoom: number;
}

export interface MapUrlState {
  view: MapView | null;
  vehicleId: string | null;
  filter: VehicleFilter;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parseMapUrl(search: string): MapUrlState {
  const q = new URLSearchParams(search);
  let view: MapView | null = null;
  const at = q.get('at')?.split(',').map(Number);
  if (at && at.length === 3 && at.every(Number.isFinite) && Math.abs(at[0]!) <= 180 && Math.abs(at[1]!) <= 85 && at[2]! >= 0 && at[2]! <= 22) {
    view = { center: [at[0]!, at[1]!], zoom: at[2]! };
  }
  const vehicle = q.get('vehicle');
  const statuses = q.get('status');
  const shown = statuses === null ? STATUSES : STATUSES.filter((s) => statuses.split(',').includes(s));
  const types = q.get('type')?.split(',').map((t) => t.trim()).filter(Boolean) ?? [];
  const dispatch = q.get('dispatch');
  return {
    view,
    vehicleId: vehicle && UUID.test(vehicle) ? vehicle.toLowerCase() : null,
    filter: {
      statuses: new Set(shown),
      types: new Set(types),
      ...(q.get('group') ? { group: q.get('group')! } : {}),
      ...(dispatch && (DRIVER_STATUSES as readonly string[]).includes(dispatch) ? { dispatch: dispatch as DriverStatus } : {}),
    },
  };
}

/** The query string for a state (with `?`, or '' when everything is at its default), keeping other parameters of `base`. */
export function mapUrlSearch(state: MapUrlState, base = ''): string {
  const q = new URLSearchParams(base);
  for (const key of ['at', 'vehicle', 'status', 'type', 'group', 'dispatch']) q.delete(key);
  if (state.view) {
    const digits = Math.max(0, Math.min(7, Math.ceil(state.view.zoom * 0.3) + 2));
    q.set('at', `${state.view.center[0].toFixed(digits)},${state.view.center[1].toFixed(digits)},${state.view.zoom.toFixed(2)}`);
  }
  if (state.vehicleId) q.set('vehicle', state.vehicleId);
  if (state.filter.statuses.size !== STATUSES.length) q.set('status', STATUSES.filter((s) => state.filter.statuses.has(s)).join(','));
  if (state.filter.types.size > 0) q.set('type', [...state.filter.types].sort().join(','));
  if (state.filter.group) q.set('group', state.filter.group);
  if (state.filter.dispatch) q.set('dispatch', state.filter.dispatch);
  const text = q.toString().replace(/%2C/g, ',');
  return text ? `?${text}` : '';
}
