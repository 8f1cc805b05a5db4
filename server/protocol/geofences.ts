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
/** How a fence is evaluated (docs/geofencing.md, "Kinds"). */
export const GEOFENCE_KINDS = ['static', 'dynamic', 'temporal', 'conditional', 'predictive'] as const;
export type GeofenceKind = (typeof GEOFENCE_KINDS)[number];
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export const DEFAULT_PREDICTION_WINDOW_MIN = 10;
export const DEFAULT_CONFIDENCE_THRESHOLD = 0.6;
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
export const position = z.unknown().transform((value, ctx): [number, number] => {
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

const kind = z.enum(GEOFENCE_KINDS, { error: `must be one of ${GEOFENCE_KINDS.join(', ')}` });

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const localTime = z.string({ error: 'must be a local time "HH:MM"' }).regex(HHMM, 'must be a local time "HH:MM" (00:00–24:00)');

/** temporal: a weekly schedule in an IANA zone; a window whose end is before its start runs past midnight. */
export const weeklySchedule = z.object(
  {
    timezone: z.string({ error: 'must be an IANA time zone such as "Europe/Berlin"' }).min(1, 'is required'),
    windows: z
      .array(
        z.object(
          {
            days: z.array(z.enum(WEEKDAYS, { error: `must be one of ${WEEKDAYS.join(', ')}` }), { error: 'must be a list of days' }).min(1, 'must list at least one day'),
            start: localTime,
            end: localTime,
          },
          { error: 'must be an object {days, start, end}' },
        ),
        { error: 'must be a list of windows' },
      )
      .min(1, 'must hold at least one window')
      .max(100, 'may hold at most 100 windows'),
  },
  { error: (issue) => (issue.input === undefined ? 'is required' : 'must be an object {timezone, windows}') },
);
export type WeeklyScheduleInput = z.output<typeof weeklySchedule>;

/** The settings that belong to one kind only, and the kind each belongs to. */
const KIND_FIELDS = {
  followVehicleId: 'dynamic',
  schedule: 'temporal',
  rule: 'conditional',
  timezone: 'conditional',
  windowMinutes: 'predictive',
  confidenceThreshold: 'predictive',
} as const satisfies Record<string, GeofenceKind>;
export type KindField = keyof typeof KIND_FIELDS;
export const KIND_FIELD_NAMES = Object.keys(KIND_FIELDS) as KindField[];

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
    /** dynamic: the vehicle the circle follows. */
    followVehicleId: z.string({ error: 'must be a vehicle id' }).uuid('must be a vehicle id (uuid)').transform((s) => s.toLowerCase()).optional(),
    /** temporal. */
    schedule: weeklySchedule.optional(),
    /** conditional: a JSON Logic rule over speed, heading, battery, vehicleType, localTime, dayOfWeek, attributes.* */
    rule: z.record(z.string(), z.unknown(), { error: 'must be a JSON Logic rule (an object)' }).optional(),
    /** conditional: the zone of localTime and dayOfWeek (default UTC). */
    timezone: z.string({ error: 'must be an IANA time zone such as "Europe/Berlin"' }).min(1).optional(),
    /** predictive. */
    windowMinutes: meters('a number of minutes').gt(0, 'must be more than 0').max(120, 'must be at most 120').optional(),
    confidenceThreshold: meters('a number from 0 to 1').min(0, 'must be from 0 to 1').max(1, 'must be from 0 to 1').optional(),
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
    const k = f.properties.kind;
    for (const field of KIND_FIELD_NAMES) {
      if (f.properties[field] !== undefined && KIND_FIELDS[field] !== k) {
        ctx.addIssue({ code: 'custom', path: ['properties', field], message: `applies to ${KIND_FIELDS[field]} fences only (this one is ${k})` });
      }
    }
    const need = (field: KindField, what: string) => {
      if (f.properties[field] === undefined) ctx.addIssue({ code: 'custom', path: ['properties', field], message: `is required for a ${k} fence: ${what}` });
    };
    if (k === 'dynamic') {
      need('followVehicleId', 'the vehicle the circle follows');
      if (f.geometry.type !== 'Point') ctx.addIssue({ code: 'custom', path: ['geometry'], message: 'must be a Point (the circle\'s starting place, with properties.radius) for a dynamic fence' });
    }
    if (k === 'temporal') need('schedule', '{timezone, windows: [{days, start, end}]}');
    if (k === 'conditional') need('rule', 'a JSON Logic rule such as {">": [{"var": "speed"}, 50]}');
  })
  .transform((f) => ({
    geometry: f.geometry,
    properties: {
      ...f.properties,
      severity: f.properties.severity ?? (f.properties.type === 'RESTRICTED_ZONE' ? 'high' : 'medium'),
      ...(f.properties.kind === 'predictive'
        ? {
            windowMinutes: f.properties.windowMinutes ?? DEFAULT_PREDICTION_WINDOW_MIN,
            confidenceThreshold: f.properties.confidenceThreshold ?? DEFAULT_CONFIDENCE_THRESHOLD,
          }
        : {}),
    } as GeofenceInputProperties,
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
  followVehicleId?: string;
  schedule?: WeeklyScheduleInput;
  rule?: Record<string, unknown>;
  timezone?: string;
  windowMinutes?: number;
  confidenceThreshold?: number;
}
/** A validated fence: geometry as sent (Point = circle center) and complete properties. */
export interface GeofenceInput {
  geometry: GeofenceGeometryInput;
  properties: GeofenceInputProperties;
}

/**
 * A PATCH of a stored Feature (geofences, routes): `{geometry?, properties?}` merged over the
 * stored one, then validated as a whole Feature (so every rule of its kind applies to the result).
 */
export const featurePatch = z
  .object(
    {
      type: z.literal('Feature').optional(),
      geometry: z.unknown().optional(),
      properties: z.record(z.string(), z.unknown(), { error: 'must be an object' }).optional(),
    },
    { error: 'must be a JSON object' },
  )
  .refine((p) => p.geometry !== undefined || (p.properties !== undefined && Object.keys(p.properties).length > 0), 'nothing to update');
export type FeaturePatch = z.output<typeof featurePatch>;

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
/** An optional uuid query value (blank = absent), lower-cased; also used by alert filters. */
export const uuid = z.preprocess(
  blankToUndefined,
  z
    .string()
    .regex(UUID, 'must be a uuid')
    .transform((s) => s.toLowerCase())
    .optional(),
);
const INSTANT_MESSAGE = 'must be an ISO 8601 time such as 2026-11-22T10:00:00Z, or epoch milliseconds';
/** An optional time query value (blank = absent) as epoch ms; also used by alert filters. */
export const instant = z.preprocess(
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

/** Socket.IO events of the geofence capability on /fleet (server and dashboards alike). */
export const GEOFENCE_EVENTS = { event: 'geofence:event', changed: 'geofence:changed', removed: 'geofence:removed' } as const;

/** What dashboards receive in `geofence:event` lists: one membership event each. */
export interface GeofenceEventMessage {
  type: GeofenceEventType;
  geofenceId: string;
  vehicleId: string;
  /** Position time, epoch ms. */
  at: number;
  position: { lng: number; lat: number; speed: number | null; heading: number | null };
  /** predicted_enter only. */
  etaSeconds?: number;
  confidence?: number;
}

export interface GeofenceEventsResult {
  events: GeofenceEventDto[];
  /** More events matched than `limit`. */
  truncated: boolean;
}
