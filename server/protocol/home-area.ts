import { z } from 'zod';

/**
 * A tenant's home area: the box [west, south, east, north] (WGS 84 degrees) its fleet works in,
 * set by an admin (tenant settings). Every map opens on it; trip and dispatch points far outside
 * it are refused (a swapped "lat, lng" lands in another continent, not in the next town).
 * Shared by the server (validation, the point check) and the maps and settings (types).
 */
export type HomeArea = [west: number, south: number, east: number, north: number];

/** How far outside the box a point may still be (a trip to the airport past the city's edge). */
export const HOME_MARGIN_M = 25_000;
const M_PER_DEG = 111_320;

export const homeArea = z
  .tuple([z.number().min(-180).max(180), z.number().min(-85).max(85), z.number().min(-180).max(180), z.number().min(-85).max(85)], {
    error: 'must be [west, south, east, north] in degrees',
  })
  .refine(([w, , e]) => w < e, 'west must be west of east (a box across the 180th meridian is not supported)')
  .refine(([, s, , n]) => s < n, 'south must be south of north');

/** Whether (lng, lat) is within the box widened by HOME_MARGIN_M on every side. */
export function nearHome(area: HomeArea, lng: number, lat: number): boolean {
  const [w, s, e, n] = area;
  const dLat = HOME_MARGIN_M / M_PER_DEG;
  // The margin in longitude at the box's edge nearest the pole, so it is never narrower than promised.
  const cos = Math.max(Math.cos((Math.max(Math.abs(s), Math.abs(n)) * Math.PI) / 180), 0.01);
  const dLng = HOME_MARGIN_M / (M_PER_DEG * cos);
  return lat >= s - dLat && lat <= n + dLat && lng >= w - dLng && lng <= e + dLng;
}

/** "39.19…39.38° N, 76.72…76.52° W": a box as people read it. */
export function describeArea([w, s, e, n]: HomeArea): string {
  const deg = (v: number) => Math.abs(v).toFixed(2);
  const span = (a: number, b: number, pos: string, neg: string) =>
    a >= 0 ? `${deg(a)}…${deg(b)}° ${pos}` : b <= 0 ? `${deg(b)}…${deg(a)}° ${neg}` : `${deg(a)}° ${neg}…${deg(b)}° ${pos}`;
  return `${span(s, n, 'N', 'S')}, ${span(w, e, 'E', 'W')}`;
}

/**
 * Why a point is refused, or null when it is near home: says where home is, and when the point
 * with latitude and longitude swapped would be near home, says that they look swapped.
 */
export function homeProblem(area: HomeArea | null, point: { lng: number; lat: number }): string | null {
  if (!area || nearHome(area, point.lng, point.lat)) return null;
  const where = `is outside the fleet's home area (${describeArea(area)}, with ${HOME_MARGIN_M / 1000} km around it)`;
  return nearHome(area, point.lat, point.lng) ? `${where}: latitude and longitude look swapped` : where;
}
