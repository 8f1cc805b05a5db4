import type { ReverseGeocodeResponse } from '@/server/protocol/geocode';

const BOUND = ['northbound', 'eastbound', 'southbound', 'westbound'] as const;

/** Smallest angle between two bearings, 0..180. */
export function angleBetween(a: number, b: number): number {
  const d = Math.abs((((a - b) % 360) + 360) % 360);
  return d > 180 ? 360 - d : d;
}

/** "eastbound" for a bearing near 90°, and so on (quarters centred on the four directions). */
export function boundOf(bearing: number): (typeof BOUND)[number] {
  return BOUND[Math.round((((bearing % 360) + 360) % 360) / 90) % 4]!;
}

/**
 * The direction a vehicle drives along the street: the street's direction of travel on a one-way
 * street; otherwise whichever of the street's two directions is closer to the vehicle's heading;
 * null when there is neither (a two-way street and no heading).
 */
export function travelBearing(street: { bearing: number; oneway: boolean }, heading: number | null): number | null {
  if (street.oneway) return street.bearing;
  if (heading === null || !Number.isFinite(heading)) return null;
  return angleBetween(heading, street.bearing) <= 90 ? street.bearing : (street.bearing + 180) % 360;
}

/** "Pratt St, eastbound" — the street a vehicle is on, or null when it is on none nearby. */
export function streetLabel(reverse: ReverseGeocodeResponse | undefined, heading: number | null): string | null {
  const street = reverse?.street;
  if (!street) return null;
  const name = street.name ?? street.ref ?? 'Unnamed road';
  const bearing = travelBearing(street, heading);
  return bearing === null ? name : `${name}, ${boundOf(bearing)}`;
}

/** Meters between two points (equirectangular: for "has it moved 30 m"). */
export function metersBetween(lng1: number, lat1: number, lng2: number, lat2: number): number {
  const kx = Math.cos(((lat1 + lat2) / 2) * (Math.PI / 180));
  return Math.hypot((lng2 - lng1) * kx, lat2 - lat1) * 111_195;
}
