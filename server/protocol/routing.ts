import { z } from 'zod';

/**
 * The routing API (`GET /api/v1/routing/route`): query parameters and the answer. Coordinates
 * are WGS 84 `lng,lat`; vias are `lng,lat;lng,lat;…`, visited in order.
 */

export const MAX_VIAS = 25;
export const OPTIMIZE = ['time', 'distance'] as const;
export type RouteOptimize = (typeof OPTIMIZE)[number];

export const POINT_FORMAT = 'must be lng,lat in degrees (e.g. -76.61,39.29)';

/** `lng,lat` → a point, or the message saying what is wrong with it. */
export function parsePoint(text: string): { lng: number; lat: number } | string {
  const parts = text.split(',');
  if (parts.length !== 2 || parts.some((p) => p.trim() === '')) return POINT_FORMAT;
  const [lng, lat] = parts.map((p) => Number(p.trim())) as [number, number];
  if (!Number.isFinite(lng) || !Number.isFinite(lat)) return POINT_FORMAT;
  if (lng < -180 || lng > 180) return 'longitude must be between -180 and 180';
  if (lat < -90 || lat > 90) return 'latitude must be between -90 and 90';
  return { lng, lat };
}

const point = z
  .string({ error: (issue) => (issue.input === undefined ? 'is required' : POINT_FORMAT) })
  .transform((text, ctx) => {
    const p = parsePoint(text);
    if (typeof p === 'string') {
      ctx.addIssue({ code: 'custom', message: p });
      return z.NEVER;
    }
    return p;
  });

const vias = z
  .string({ error: `must be lng,lat;lng,lat;… (at most ${MAX_VIAS})` })
  .optional()
  .transform((text, ctx) => {
    if (text === undefined || text.trim() === '') return [];
    const parts = text.split(';');
    if (parts.length > MAX_VIAS) {
      ctx.addIssue({ code: 'custom', message: `at most ${MAX_VIAS} vias` });
      return z.NEVER;
    }
    const out: { lng: number; lat: number }[] = [];
    for (const [i, part] of parts.entries()) {
      const p = parsePoint(part);
      if (typeof p === 'string') {
        ctx.addIssue({ code: 'custom', message: `via[${i}] ${p}` });
        return z.NEVER;
      }
      out.push(p);
    }
    return out;
  });

export const routeQuery = z.object({
  from: point,
  to: point,
  via: vias,
  optimize: z
    .preprocess((v) => (v === '' ? undefined : v), z.enum(OPTIMIZE, { error: 'must be time or distance' }).optional())
    .transform((v) => v ?? 'time'),
});
export type RouteQuery = z.infer<typeof routeQuery>;

export interface RouteStepDto {
  /** Street name; null for unnamed roads. */
  name: string | null;
  ref: string | null;
  distanceM: number;
  durationS: number;
}

/** The answer: one GeoJSON LineString Feature. */
export interface RouteResponse {
  type: 'Feature';
  geometry: { type: 'LineString'; coordinates: [number, number][] };
  properties: {
    distanceM: number;
    durationS: number;
    optimize: RouteOptimize;
    steps: RouteStepDto[];
    /** Where each given point (from, via[i], to) joined the network. */
    snapped: { label: string; lng: number; lat: number; distanceM: number }[];
  };
}

/** `details.reason` of the errors the routing API answers with (besides plain validation). */
export type RoutingErrorReason = 'NO_ROAD_NETWORK' | 'ROAD_GRAPH_BUILDING' | 'OFF_NETWORK' | 'UNREACHABLE';
