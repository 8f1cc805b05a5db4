import { z } from 'zod';

/**
 * Parameters and results of the spatial queries (REST `/api/v1/spatial/*`,
 * `/api/v1/vehicles/:id/history` and the `/fleet` socket `query` event). Query-string values
 * arrive as strings and socket payloads as numbers: every numeric field accepts both.
 * Coordinates are WGS 84 longitude/latitude; distances are meters.
 */

export const MAX_WITHIN_LIMIT = 100_000;
export const DEFAULT_WITHIN_LIMIT = 10_000;
export const MAX_NEARBY_RADIUS_M = 100_000;
export const MAX_NEARBY_LIMIT = 10_000;
export const DEFAULT_NEARBY_LIMIT = 100;
export const MAX_NEAREST_K = 1000;
export const DEFAULT_NEAREST_K = 10;
export const MAX_HISTORY_LIMIT = 100_000;
export const DEFAULT_HISTORY_LIMIT = 10_000;
export const MAX_HISTORY_RANGE_DAYS = 31;
export const MAX_POLYGON_POSITIONS = 10_000;
export const MAX_POLYGON_RINGS = 100;

/** Query strings send "" for an empty field: treat it (and blanks) as missing. */
const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/** A number given as a number or a numeric string. */
function numeric(what: string) {
  return z.preprocess((v) => {
    if (typeof v !== 'string') return v;
    const n = Number(v.trim());
    return v.trim() === '' || Number.isNaN(n) ? v : n;
  }, z.number({ error: (issue) => (issue.input === undefined ? 'is required' : `must be ${what}`) }).finite(`must be ${what}`));
}

/** Required numeric parameter ("" counts as missing). */
function required(what: string) {
  return z.preprocess(blankToUndefined, numeric(what));
}
const lng = required('a longitude between -180 and 180').pipe(
  z.number().min(-180, 'must be a longitude between -180 and 180').max(180, 'must be a longitude between -180 and 180'),
);
const lat = required('a latitude between -90 and 90').pipe(
  z.number().min(-90, 'must be a latitude between -90 and 90').max(90, 'must be a latitude between -90 and 90'),
);

function count(max: number, fallback: number) {
  const message = `must be an integer from 1 to ${max}`;
  return z.preprocess(
    blankToUndefined,
    numeric(`an integer from 1 to ${max}`)
      .pipe(z.number().int(message).min(1, message).max(max, message))
      .optional()
      .transform((v) => v ?? fallback),
  );
}

export interface Bbox {
  west: number;
  south: number;
  east: number;
  north: number;
}

const BBOX_FORMAT = 'must be west,south,east,north in degrees (e.g. 13.3,52.4,13.5,52.6)';

/** `w,s,e,n` as a string (query string) or an array of four numbers (socket payload). */
export const bboxParam = z
  .union([z.string(), z.array(z.unknown())], { error: (issue) => (issue.input === undefined ? 'is required' : BBOX_FORMAT) })
  .transform((value, ctx): Bbox => {
    const parts = typeof value === 'string' ? value.split(',').map((s) => (s.trim() === '' ? NaN : Number(s))) : value;
    if (parts.length !== 4 || !parts.every((p) => typeof p === 'number' && Number.isFinite(p))) {
      ctx.addIssue({ code: 'custom', message: BBOX_FORMAT });
      return z.NEVER;
    }
    const [west, south, east, north] = parts as [number, number, number, number];
    const problem =
      [west, east].some((x) => x < -180 || x > 180)
        ? 'longitudes must be between -180 and 180'
        : [south, north].some((y) => y < -90 || y > 90)
          ? 'latitudes must be between -90 and 90'
          : west > east
            ? 'west must not be greater than east (boxes across the antimeridian are not supported)'
            : south > north
              ? 'south must not be greater than north'
              : null;
    if (problem) {
      ctx.addIssue({ code: 'custom', message: problem });
      return z.NEVER;
    }
    return { west, south, east, north };
  });

/** GET /api/v1/spatial/within?bbox=w,s,e,n[&limit=] */
export const withinBboxQuery = z.object({
  bbox: bboxParam,
  limit: count(MAX_WITHIN_LIMIT, DEFAULT_WITHIN_LIMIT),
});
export type WithinBboxQuery = z.output<typeof withinBboxQuery>;

const position = z
  .array(z.unknown(), { error: 'must be a position [longitude, latitude]' })
  .min(2, 'must be a position [longitude, latitude]')
  .max(3, 'must be a position [longitude, latitude] or [longitude, latitude, altitude]')
  .pipe(
    z.tuple(
      [
        z.number({ error: 'must be a longitude between -180 and 180' }).finite().min(-180, 'must be a longitude between -180 and 180').max(180, 'must be a longitude between -180 and 180'),
        z.number({ error: 'must be a latitude between -90 and 90' }).finite().min(-90, 'must be a latitude between -90 and 90').max(90, 'must be a latitude between -90 and 90'),
      ],
      z.number().finite(),
    ),
  );

const linearRing = z
  .array(position, { error: 'must be a linear ring: an array of positions' })
  .min(4, 'must be a linear ring of at least 4 positions (first = last)')
  .superRefine((ring, ctx) => {
    const first = ring[0]!;
    const last = ring[ring.length - 1]!;
    if (first[0] !== last[0] || first[1] !== last[1]) {
      ctx.addIssue({ code: 'custom', message: 'must be a closed ring: the last position must equal the first' });
    }
  });

/** A GeoJSON Polygon: an outer ring and optional holes, each closed, ≥ 4 positions. */
export const geoJsonPolygon = z
  .object(
    {
      type: z.literal('Polygon', { error: 'must be "Polygon"' }),
      coordinates: z
        .array(linearRing, { error: 'must be an array of linear rings' })
        .min(1, 'must hold at least the outer ring')
        .max(MAX_POLYGON_RINGS, `may hold at most ${MAX_POLYGON_RINGS} rings`)
        .refine((rings) => rings.reduce((n, r) => n + r.length, 0) <= MAX_POLYGON_POSITIONS, `may hold at most ${MAX_POLYGON_POSITIONS} positions in all`),
      bbox: z.array(z.number()).optional(),
    },
    { error: (issue) => (issue.input === undefined ? 'is required' : 'must be a GeoJSON Polygon object') },
  );
export type GeoJsonPolygon = z.output<typeof geoJsonPolygon>;

/** POST /api/v1/spatial/within body. */
export const withinPolygonRequest = z
  .object({
    polygon: geoJsonPolygon,
    limit: count(MAX_WITHIN_LIMIT, DEFAULT_WITHIN_LIMIT),
  })
  .strict();
export type WithinPolygonRequest = z.output<typeof withinPolygonRequest>;

/** GET /api/v1/spatial/nearby?lng=&lat=&radius=&limit= */
export const nearbyQuery = z.object({
  lng,
  lat,
  radius: required(`a distance in meters, more than 0 and at most ${MAX_NEARBY_RADIUS_M}`).pipe(
    z
      .number()
      .gt(0, `must be a distance in meters, more than 0 and at most ${MAX_NEARBY_RADIUS_M}`)
      .max(MAX_NEARBY_RADIUS_M, `must be at most ${MAX_NEARBY_RADIUS_M} meters`),
  ),
  limit: count(MAX_NEARBY_LIMIT, DEFAULT_NEARBY_LIMIT),
});
export type NearbyQuery = z.output<typeof nearbyQuery>;

/** GET /api/v1/spatial/nearest?lng=&lat=&k= */
export const nearestQuery = z.object({
  lng,
  lat,
  k: count(MAX_NEAREST_K, DEFAULT_NEAREST_K),
});
export type NearestQuery = z.output<typeof nearestQuery>;

/** ISO 8601 with an offset (Z or ±hh:mm), or epoch milliseconds. */
const instant = z
  .union([z.string(), z.number()], { error: (issue) => (issue.input === undefined ? 'is required' : 'must be an ISO 8601 time such as 2026-11-22T10:00:00Z') })
  .transform((v, ctx) => {
    const ms =
      typeof v === 'number'
        ? v
        : z.iso.datetime({ offset: true }).safeParse(v.trim()).success
          ? Date.parse(v.trim())
          : /^\d{1,15}$/.test(v.trim())
            ? Number(v.trim())
            : NaN;
    if (!Number.isFinite(ms) || !Number.isInteger(ms) || ms < 0 || ms > 8.64e15) {
      ctx.addIssue({ code: 'custom', message: 'must be an ISO 8601 time such as 2026-11-22T10:00:00Z' });
      return z.NEVER;
    }
    return ms;
  });

/**
 * GET /api/v1/vehicles/:id/history?from=&to=&limit=[&matched=true] — `from` inclusive, `to`
 * exclusive; `matched=true` snaps the track to the tenant's roads (map matching).
 */
export const historyQuery = z
  .object({
    from: instant,
    to: instant,
    limit: count(MAX_HISTORY_LIMIT, DEFAULT_HISTORY_LIMIT),
    matched: z.preprocess(
      blankToUndefined,
      z
        .union([z.boolean(), z.enum(['true', 'false', '1', '0'], { error: 'must be true or false' })])
        .optional()
        .transform((v) => (v === undefined ? undefined : v === true || v === 'true' || v === '1')),
    ),
  })
  .superRefine((q, ctx) => {
    if (q.from >= q.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be later than from' });
    else if (q.to - q.from > MAX_HISTORY_RANGE_DAYS * 86_400_000) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: `must be at most ${MAX_HISTORY_RANGE_DAYS} days after from` });
    }
  });
export type HistoryQuery = z.output<typeof historyQuery>;

/** Payload of the `/fleet` socket `query` event: one of the queries above, by `type`. */
export const spatialSocketQuery = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('within'), bbox: z.unknown().optional(), polygon: z.unknown().optional(), limit: z.unknown().optional() }),
    z.object({ type: z.literal('nearby'), lng: z.unknown(), lat: z.unknown(), radius: z.unknown(), limit: z.unknown().optional() }),
    z.object({ type: z.literal('nearest'), lng: z.unknown(), lat: z.unknown(), k: z.unknown().optional() }),
    z.object({ type: z.literal('history'), vehicleId: z.unknown(), from: z.unknown(), to: z.unknown(), limit: z.unknown().optional() }),
  ],
  { error: 'must be one of within, nearby, nearest, history, route_status' },
);
export type SpatialSocketQuery = z.input<typeof spatialSocketQuery>;

// ── results ─────────────────────────────────────────────────────────────────────────────────

/** A vehicle found by a spatial query, with its last known state. `ts` is ISO 8601. */
export interface SpatialVehicle {
  id: string;
  name: string;
  plate: string | null;
  type: string;
  lng: number;
  lat: number;
  speed: number | null;
  heading: number | null;
  battery: number | null;
  ts: string;
  /** nearby / nearest: great-circle distance from the query point in meters. */
  distanceMeters?: number;
}

/** Result of within / nearby / nearest. `truncated`: more vehicles matched than `limit`. */
export interface SpatialVehiclesResult {
  vehicles: SpatialVehicle[];
  truncated: boolean;
}

export interface HistoryPointProperties {
  kind: 'position';
  ts: string;
  speed: number | null;
  heading: number | null;
  battery: number | null;
  accuracy: number | null;
  /** matched=true: where the device said it was (the geometry is then the matched point). */
  raw?: [number, number];
  /** matched=true: the road it was matched to, null when unmatched (the geometry stays raw). */
  road?: HistoryRoad | null;
  /** m/s² and rad/s, only on positions sent with them. */
  accelerometer?: { x: number; y: number; z: number };
  gyroscope?: { x: number; y: number; z: number };
}

/** A road of a matched history position. */
export interface HistoryRoad {
  segmentId: number;
  name: string | null;
  ref: string | null;
  class: string;
  /** Posted limit (km/h), null when none. */
  limitKmh: number | null;
  /** Meters from the reported position to the matched point. */
  distanceM: number;
}

export interface HistoryTrackProperties {
  kind: 'track';
  vehicleId: string;
  from: string;
  to: string;
  count: number;
  /** More positions were in the range than `limit`: the track holds the first `limit`. */
  truncated: boolean;
  /** matched=true: the track follows the roads between matched positions. */
  matched?: boolean;
  /** matched=true: positions matched to a road. */
  matchedCount?: number;
  /** matched=true: road meters between the matched positions. */
  lengthM?: number;
}

/**
 * A vehicle's history as GeoJSON: the first feature is the track (a LineString, or a null
 * geometry when the range holds fewer than two positions), then one Point per position, in time
 * order.
 */
export interface HistoryFeatureCollection {
  type: 'FeatureCollection';
  features: [
    { type: 'Feature'; geometry: { type: 'LineString'; coordinates: Array<[number, number]> } | null; properties: HistoryTrackProperties },
    ...Array<{ type: 'Feature'; geometry: { type: 'Point'; coordinates: [number, number] }; properties: HistoryPointProperties }>,
  ];
}

export type SpatialQueryResult = SpatialVehiclesResult | HistoryFeatureCollection;
