import { z } from 'zod';

/**
 * Geofences over REST (`/api/v1/geofences`) and their events (`/api/v1/geofence-events`).
 *
 * Input is a GeoJSON Feature (RFC 7946: positions are [longitude, latitude]) whose geometry is a
 * Polygon or MultiPolygon (holes allowed), or a Point with `properties.radius` (meters) for a
 * circle. The checks here are structural (rings closed, ≥ 4 positions, coordinates in range);
 * PostGIS then decides validity (self-intersections, …) and answers INVALID_GEOMETRY.
 */

export const GEOFENCE_TYPES = ['DEPOT', 'CHECKPOINT', 'RESTRICTED_ZONE', 'SERVICE_AREA', 'CUSTOM'] as const;
export type GeofenceType = (typeof GEOFENCE_TYPES)[number];
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
/** Kinds accepted today. */
export const GEOFENCE_KINDS = ['static'] as const;
export type GeofenceKind = (typeof GEOFENCE_KINDS)[number];
/** Kinds planned (issue 4) but not evaluated yet: refused with a clear message. */
export const LATER_GEOFENCE_KINDS = ['dynamic', 'temporal', 'conditional', 'predictive'] as const;
export const GEOFENCE_EVENT_TYPES = ['enter', 'exit', 'cross', 'predicted_enter'] as const;
export type GeofenceEventType = (typeof GEOFENCE_EVENT_TYPES)[number];

export const MAX_GEOFENCE_POSITIONS = 10_000;
export const MAX_GEOFENCE_RINGS = 1_000;
export const MAX_CIRCLE_RADIUS_M = 500_000;
export const DEFAULT_MAX_ACCURACY_M = 100;
export const MAX_EVENTS_LIMIT = 10_000;
export const DEFAULT_EVENTS_LIMIT = 1_000;

const POSITION_MESSAGE = 'must be a position [longitude, latitude] (RFC 7946 order)';

/** [lng, lat] or [lng, lat, altitude]; errors name the position (e.g. `geometry.coordinates.0.3`). */
const position = z.unknown().transform((value, ctx): [number, number] => {
  if (!Array.isArray(value) || value.length < 2 || value.length > 3 || !value.every((n) => typeof n === 'number' && Number.isFinite(n))) {
    ctx.addIssue({ code: 'custom', message: POSITION_MESSAGE });
    return z.NEVER;
  }
  const [lng, lat] = value as [number, number];
  if (lng < -180 || lng > 180) {
    ctx.addIssue({ code: 'custom', message: `longitude ${lng} is out of range (-180 to 180; positions are [longitude, latitude])` });
    return z.NEVER;
  }
  if (lat < -90 || lat > 90) {
    ctx.addIssue({ code: 'custom', message: `latitude ${lat} is out of range (-90 to 90; positions are [longitude, latitude])` });
    return z.NEVER;
  }
  return [lng, lat];
});

const linearRing = z
  .array(position, { error: 'must be a linear ring: an array of positions' })
  .min(4, 'must be a linear ring of at least 4 positions (the last equal to the first)')
  .superRefine((ring, ctx) => {
    const first = ring[0]!;
    const last = ring[ring.length - 1]!;
    if (first[0] !== last[0] || first[1] !== last[1]) {
      ctx.addIssue({ code: 'custom', message: 'must be a closed ring: the last position must equal the first' });
    }
  });

const polygonCoordinates = z
  .array(linearRing, { error: 'must be an array of linear rings (the outer ring, then holes)' })
  .min(1, 'must hold at least the outer ring');

const countPositions = (rings: number[][][]) => rings.reduce((n, r) => n + r.length, 0);

const polygon = z.object({
  type: z.literal('Polygon'),
  coordinates: polygonCoordinates,
});
const multiPolygon = z.object({
  type: z.literal('MultiPolygon'),
  coordinates: z.array(polygonCoordinates, { error: 'must be an array of polygons' }).min(1, 'must hold at least one polygon'),
});
const point = z.object({
  type: z.literal('Point'),
  coordinates: position,
});

const GEOMETRY_MESSAGE = 'must be a GeoJSON Polygon, MultiPolygon, or Point (a circle, with properties.radius in meters)';

export const geofenceGeometry = z
  .discriminatedUnion('type', [polygon, multiPolygon, point], {
    error: (issue) => (issue.input === undefined ? 'is required' : GEOMETRY_MESSAGE),
  })
  .superRefine((g, ctx) => {
    if (g.type === 'Point') return;
    const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
    const rings = polygons.reduce((n, p) => n + p.length, 0);
    const positions = polygons.reduce((n, p) => n + countPositions(p), 0);
    if (rings > MAX_GEOFENCE_RINGS) ctx.addIssue({ code: 'custom', path: ['coordinates'], message: `may hold at most ${MAX_GEOFENCE_RINGS} rings` });
    if (positions > MAX_GEOFENCE_POSITIONS) {
      ctx.addIssue({ code: 'custom', path: ['coordinates'], message: `may hold at most ${MAX_GEOFENCE_POSITIONS} positions in all` });
    }
  });
export type GeofenceGeometryInput = z.output<typeof geofenceGeometry>;

const meters = (what: string) => z.number({ error: `must be ${what}` }).finite(`must be ${what}`);

const kind = z.string({ error: `must be one of ${GEOFENCE_KINDS.join(', ')}` }).superRefine((value, ctx) => {
  if ((GEOFENCE_KINDS as readonly string[]).includes(value)) return;
  ctx.addIssue({
    code: 'custom',
    message: (LATER_GEOFENCE_KINDS as readonly string[]).includes(value)
      ? `kind "${value}" is not supported yet (it comes later); only "static" fences can be created now`
      : `must be one of ${GEOFENCE_KINDS.join(', ')} (${LATER_GEOFENCE_KINDS.join(', ')} come later)`,
  });
}).transform((v) => v as GeofenceKind);

/** Properties of a fence as clients send them; unknown keys (e.g. a DTO's `areaM2`) are ignored. */
export const geofenceProperties = z.object(
  {
    name: z.string({ error: 'must be a string' }).trim().min(1, 'is required').max(200),
    type: z.enum(GEOFENCE_TYPES, { error: `must be one of ${GEOFENCE_TYPES.join(', ')}` }).default('CUSTOM'),
    kind: kind.default('static'),
    /** Circle radius in meters (Point geometry only). */
    radius: meters(`a radius in meters, more than 0 and at most ${MAX_CIRCLE_RADIUS_M}`)
      .gt(0, `must be a radius in meters, more than 0 and at most ${MAX_CIRCLE_RADIUS_M}`)
      .max(MAX_CIRCLE_RADIUS_M, `must be at most ${MAX_CIRCLE_RADIUS_M} meters`)
      .optional(),
    alertOnEntry: z.boolean({ error: 'must be true or false' }).default(true),
    alertOnExit: z.boolean({ error: 'must be true or false' }).default(true),
    /** Default: high for RESTRICTED_ZONE, else medium. */
    severity: z.enum(SEVERITIES, { error: `must be one of ${SEVERITIES.join(', ')}` }).optional(),
    hysteresisMeters: meters('a distance in meters ≥ 0').min(0, 'must be ≥ 0').max(100_000, 'must be at most 100000').default(0),
    dwellSeconds: meters('a number of seconds ≥ 0').min(0, 'must be ≥ 0').max(7 * 86_400, 'must be at most 604800 (7 days)').default(0),
    maxAccuracyMeters: meters('a distance in meters > 0').gt(0, 'must be more than 0').default(DEFAULT_MAX_ACCURACY_M),
  },
  { error: (issue) => (issue.input === undefined ? 'is required' : 'must be an object') },
);

/** POST /api/v1/geofences and PUT /api/v1/geofences/:id: a GeoJSON Feature. */
export const geofenceFeature = z
  .object(
    {
      type: z.literal('Feature', { error: 'must be "Feature"' }),
      geometry: geofenceGeometry,
      properties: geofenceProperties,
    },
    { error: 'must be a GeoJSON Feature object' },
  )
  .superRefine((f, ctx) => {
    if (f.geometry.type === 'Point' && f.properties.radius === undefined) {
      ctx.addIssue({ code: 'custom', path: ['properties', 'radius'], message: 'is required for a circle (Point geometry): the radius in meters' });
    }
    if (f.geometry.type !== 'Point' && f.properties.radius !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['properties', 'radius'], message: 'applies to circles only (Point geometry); omit it for polygons' });
    }
  })
  .transform((f) => ({
    geometry: f.geometry,
    properties: { ...f.properties, severity: f.properties.severity ?? (f.properties.type === 'RESTRICTED_ZONE' ? 'high' : 'medium') } as GeofenceInputProperties,
  }));

export interface GeofenceInputProperties {
  name: string;
  type: GeofenceType;
  kind: GeofenceKind;
  radius?: number;
  alertOnEntry: boolean;
  alertOnExit: boolean;
  severity: Severity;
  hysteresisMeters: number;
  dwellSeconds: number;
  maxAccuracyMeters: number;
}
/** A validated fence: geometry as sent (Point = circle center) and complete properties. */
export interface GeofenceInput {
  geometry: GeofenceGeometryInput;
  properties: GeofenceInputProperties;
}

/**
 * PATCH /api/v1/geofences/:id: `{geometry?, properties?}` merged over the stored fence, then
 * validated as a whole Feature (so every rule above applies to the result).
 */
export const geofencePatch = z
  .object(
    {
      type: z.literal('Feature').optional(),
      geometry: z.unknown().optional(),
      properties: z.record(z.string(), z.unknown(), { error: 'must be an object' }).optional(),
    },
    { error: 'must be a JSON object' },
  )
  .refine((p) => p.geometry !== undefined || (p.properties !== undefined && Object.keys(p.properties).length > 0), 'nothing to update');
export type GeofencePatch = z.output<typeof geofencePatch>;

// ── results ─────────────────────────────────────────────────────────────────────────────────

/** A stored fence's properties: what was sent (complete), plus what the server derives. */
export interface GeofenceProperties extends GeofenceInputProperties {
  /** Area in square meters on the WGS 84 spheroid (PostGIS ST_Area on geography). */
  areaM2: number;
  createdAt: string;
  updatedAt: string;
}

export type GeofenceDtoGeometry =
  | { type: 'Polygon'; coordinates: number[][][] }
  | { type: 'MultiPolygon'; coordinates: number[][][][] }
  | { type: 'Point'; coordinates: [number, number] };

/**
 * A fence as REST returns it: a GeoJSON Feature. Polygons come back as stored by PostGIS (a
 * single polygon as Polygon, several as MultiPolygon); a circle as its center Point with
 * `properties.radius`.
 */
export interface GeofenceDto {
  type: 'Feature';
  id: string;
  geometry: GeofenceDtoGeometry;
  properties: GeofenceProperties;
}

// ── events ──────────────────────────────────────────────────────────────────────────────────

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const uuid = z.preprocess(
  blankToUndefined,
  z
    .string()
    .regex(UUID, 'must be a uuid')
    .transform((s) => s.toLowerCase())
    .optional(),
);
const INSTANT_MESSAGE = 'must be an ISO 8601 time such as 2026-11-22T10:00:00Z, or epoch milliseconds';
const instant = z.preprocess(
  blankToUndefined,
  z
    .union([z.string(), z.number()], { error: INSTANT_MESSAGE })
    .transform((v, ctx) => {
      const s = typeof v === 'string' ? v.trim() : '';
      const ms =
        typeof v === 'number' ? v : z.iso.datetime({ offset: true }).safeParse(s).success ? Date.parse(s) : /^\d{1,15}$/.test(s) ? Number(s) : NaN;
      if (!Number.isFinite(ms) || !Number.isInteger(ms) || ms < 0 || ms > 8.64e15) {
        ctx.addIssue({ code: 'custom', message: INSTANT_MESSAGE });
        return z.NEVER;
      }
      return ms;
    })
    .optional(),
);

/** GET /api/v1/geofence-events?geofenceId&vehicleId&from&to&limit — `from` inclusive, `to` exclusive. */
export const geofenceEventsQuery = z
  .object({
    geofenceId: uuid,
    vehicleId: uuid,
    from: instant,
    to: instant,
    limit: z.preprocess(
      (v) => {
        const b = blankToUndefined(v);
        return typeof b === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(b) ? Number(b) : b;
      },
      z
        .number({ error: `must be an integer from 1 to ${MAX_EVENTS_LIMIT}` })
        .int(`must be an integer from 1 to ${MAX_EVENTS_LIMIT}`)
        .min(1, `must be an integer from 1 to ${MAX_EVENTS_LIMIT}`)
        .max(MAX_EVENTS_LIMIT, `must be an integer from 1 to ${MAX_EVENTS_LIMIT}`)
        .default(DEFAULT_EVENTS_LIMIT),
    ),
  })
  .superRefine((q, ctx) => {
    if (q.from !== undefined && q.to !== undefined && q.from >= q.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be later than from' });
  });
export type GeofenceEventsQuery = z.output<typeof geofenceEventsQuery>;

/** One geofence event as REST returns it (newest first). */
export interface GeofenceEventDto {
  id: string;
  type: GeofenceEventType;
  geofenceId: string;
  vehicleId: string;
  /** Position time, ISO 8601. */
  at: string;
  position: { lng: number; lat: number };
  etaSeconds?: number;
  confidence?: number;
  createdAt: string;
}

export interface GeofenceEventsResult {
  events: GeofenceEventDto[];
  /** More events matched than `limit`. */
  truncated: boolean;
}
