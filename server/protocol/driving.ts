/**
 * Driving behaviour: the events the detector raises (driving.* in the event log), their
 * evidence, the thresholds per vehicle type, the daily scores and the REST queries
 * (`GET /api/v1/driving-events`, `GET /api/v1/scores`). Shared by server/driving and the UI.
 */
import { z } from 'zod';

export const DRIVING_KINDS = ['harsh_brake', 'harsh_acceleration', 'harsh_corner', 'speeding', 'idle', 'possible_collision'] as const;
export type DrivingKind = (typeof DRIVING_KINDS)[number];
export const DRIVING_EVENT_TYPES = DRIVING_KINDS.map((k) => `driving.${k}` as const);
export type DrivingEventType = `driving.${DrivingKind}`;

export const DRIVING_SEVERITIES = ['low', 'medium', 'high'] as const;
export type DrivingSeverity = (typeof DRIVING_SEVERITIES)[number];

/** One sample of the few seconds around an event. g: + forward / left, − braking / right. */
export const evidenceSample = z.object({
  at: z.string(),
  speedKmh: z.number().nullable(),
  heading: z.number().nullable(),
  /** Longitudinal g from GPS speed change (+ accelerating, − braking). */
  longG: z.number().nullable(),
  /** Lateral g from heading rate × speed (magnitude). */
  latG: z.number().nullable(),
  /** Horizontal g measured by the phone (gravity removed), when it sent an accelerometer. */
  imuG: z.number().nullable(),
});
export type EvidenceSample = z.infer<typeof evidenceSample>;

const point = z.object({ lng: z.number(), lat: z.number() });

/** What every driving event carries. */
export const drivingEventBase = z.object({
  vehicleId: z.string(),
  /** The user assigned to the vehicle when it happened. */
  driverId: z.string().nullable(),
  severity: z.enum(DRIVING_SEVERITIES),
  position: point,
  /** The matched road's name, when known. */
  road: z.string().nullable(),
  speedKmh: z.number().nullable(),
  evidence: z.array(evidenceSample),
});

/** Harsh braking, acceleration, cornering: the peak against the threshold, from/to speed. */
export const harshEventData = drivingEventBase.extend({
  peakG: z.number(),
  thresholdG: z.number(),
  /** gps: from speed/heading between fixes; imu: confirmed by the phone's accelerometer. */
  source: z.enum(['gps', 'imu']),
  fromSpeedKmh: z.number().nullable(),
  toSpeedKmh: z.number().nullable(),
  durationS: z.number(),
});
export const speedingEventData = drivingEventBase.extend({
  startedAt: z.string(),
  endedAt: z.string(),
  durationS: z.number(),
  maxSpeedKmh: z.number(),
  limitKmh: z.number(),
  maxOverKmh: z.number(),
  /** road: the matched road's posted limit; vehicle: the vehicle's or tenant's limit. */
  limitSource: z.enum(['road', 'vehicle']),
});
export const idleEventData = drivingEventBase.extend({ startedAt: z.string(), durationS: z.number() });
export const collisionEventData = drivingEventBase.extend({ peakG: z.number(), fromSpeedKmh: z.number().nullable() });

export type HarshEventData = z.infer<typeof harshEventData>;
export type SpeedingEventData = z.infer<typeof speedingEventData>;
export type IdleEventData = z.infer<typeof idleEventData>;
export type CollisionEventData = z.infer<typeof collisionEventData>;
export type DrivingEventData = HarshEventData | SpeedingEventData | IdleEventData | CollisionEventData;

/** One driving event as REST lists it (a domain event narrowed to what the scorecard shows). */
export interface DrivingEventDto {
  id: string;
  type: DrivingEventType;
  at: string;
  data: DrivingEventData & Partial<HarshEventData & SpeedingEventData & IdleEventData>;
}

// ── thresholds ──────────────────────────────────────────────────────────────────────────────

export const drivingThresholds = z.object({
  brakeG: z.number().positive().max(2),
  accelG: z.number().positive().max(2),
  cornerG: z.number().positive().max(2),
  /** Below this speed nothing is harsh (GPS speed and heading are unreliable when slow). */
  minSpeedKmh: z.number().min(0).max(100),
  /** Fixes further apart are not differentiated (and end every episode). */
  maxGapS: z.number().positive().max(60),
  /** Fixes less accurate than this are not differentiated. */
  maxAccuracyM: z.number().positive(),
  /** An episode ends when its g falls under threshold × this (hysteresis). */
  releaseRatio: z.number().min(0.3).max(1),
  speedingToleranceKmh: z.number().min(0).max(50),
  speedingMinS: z.number().min(0).max(600),
  idleMinutes: z.number().positive().max(240),
  /** A stationary vehicle silent longer than this stopped reporting: its idle clock restarts. */
  idleMaxGapS: z.number().positive().max(3600),
  idleSpeedKmh: z.number().min(0).max(10),
  /** Horizontal g from the phone that, followed by a stop, is a possible collision. */
  collisionG: z.number().positive().max(20),
});
export type DrivingThresholds = z.infer<typeof drivingThresholds>;

const COMMON = {
  minSpeedKmh: 10,
  maxGapS: 6,
  maxAccuracyM: 30,
  releaseRatio: 0.8,
  speedingToleranceKmh: 5,
  speedingMinS: 10,
  idleMinutes: 5,
  idleMaxGapS: 120,
  idleSpeedKmh: 3,
  collisionG: 2.5,
} satisfies Partial<DrivingThresholds>;

/**
 * Presets per vehicle type, in g. Published industry defaults are roughly 0.30–0.45 g for
 * braking/acceleration and 0.30–0.50 g for cornering, lower for heavier vehicles (a loaded
 * truck cannot brake or corner as hard, and the same g is more dangerous). See docs/driving.md.
 */
export const THRESHOLD_PRESETS: Record<string, DrivingThresholds> = {
  car: { ...COMMON, brakeG: 0.4, accelG: 0.35, cornerG: 0.4 },
  van: { ...COMMON, brakeG: 0.35, accelG: 0.3, cornerG: 0.35 },
  truck: { ...COMMON, brakeG: 0.3, accelG: 0.25, cornerG: 0.3 },
  bus: { ...COMMON, brakeG: 0.3, accelG: 0.25, cornerG: 0.3 },
  motorcycle: { ...COMMON, brakeG: 0.45, accelG: 0.45, cornerG: 0.5 },
  bicycle: { ...COMMON, brakeG: 0.45, accelG: 0.4, cornerG: 0.5 },
  other: { ...COMMON, brakeG: 0.35, accelG: 0.3, cornerG: 0.35 },
};

/** Per-tenant driving settings (tenants.driving_settings). */
export const drivingSettings = z.object({
  /** Which driving events raise a driver_event alert. */
  alertOn: z.array(z.enum(DRIVING_KINDS)).default(['harsh_brake', 'harsh_corner', 'possible_collision']),
  /** Overrides of every preset, e.g. {brakeG: 0.3}. Vehicles override again in attributes.drivingThresholds. */
  thresholds: drivingThresholds.partial().default({}),
  /** Score weights: points lost per event per 100 km, and per % of driving time speeding. */
  weights: z
    .object({
      harsh_brake: z.number().min(0),
      harsh_acceleration: z.number().min(0),
      harsh_corner: z.number().min(0),
      possible_collision: z.number().min(0),
      idle: z.number().min(0),
      speedingPercent: z.number().min(0),
    })
    .partial()
    .default({}),
});
export type DrivingSettings = z.infer<typeof drivingSettings>;

/**
 * PUT /api/v1/driving-settings: the settings to keep (omitted parts take their defaults). Unknown
 * keys are refused, at every level, and so is an empty object: it would silently reset every
 * setting, which is never what a typo or a truncated body meant.
 */
export const drivingSettingsRequest = z
  .record(z.string(), z.unknown(), { error: 'must be an object {alertOn, thresholds, weights}' })
  .refine((o) => Object.keys(o).length > 0, 'must set alertOn, thresholds or weights (an empty object would reset every setting)')
  .pipe(
    z.strictObject({
      alertOn: drivingSettings.shape.alertOn,
      thresholds: drivingThresholds.partial().strict().default({}),
      weights: drivingSettings.shape.weights.unwrap().strict().default({}),
    }),
  );

// ── scores ──────────────────────────────────────────────────────────────────────────────────

/** The counters of one subject over one period, and the score from them. */
export interface ScoreDto {
  subject: { kind: 'driver' | 'vehicle'; id: string; name: string };
  /** First day of the period (UTC, YYYY-MM-DD). */
  period: string;
  score: number | null;
  band: 'excellent' | 'good' | 'fair' | 'poor' | null;
  distanceKm: number;
  drivingMinutes: number;
  speedingPercent: number;
  idleMinutes: number;
  events: Record<DrivingKind, number>;
}

export interface ScoresResult {
  period: 'day' | 'week' | 'month';
  from: string;
  to: string;
  /** One row per subject and period (day, ISO week or month), oldest first: sparklines. */
  scores: ScoreDto[];
  /** One row per subject over the whole range (period = from), best score first: the ranking. */
  totals: ScoreDto[];
}

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const day = z.preprocess(blank, z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day such as 2026-12-07').optional());
const instant = z.preprocess(
  blank,
  z
    .string()
    .refine((s) => /^\d{1,15}$/.test(s) || Number.isFinite(Date.parse(s)), 'must be an ISO 8601 time or epoch milliseconds')
    .transform((s) => (/^\d{1,15}$/.test(s) ? Number(s) : Date.parse(s)))
    .optional(),
);
const uuid = z.preprocess(blank, z.string().uuid('must be a uuid').optional());

export const scoresQuery = z.object({
  period: z.preprocess(blank, z.enum(['day', 'week', 'month']).default('day')),
  from: day,
  to: day,
  subject: z.preprocess(blank, z.enum(['driver', 'vehicle']).default('driver')),
  driverId: uuid,
  vehicleId: uuid,
});

export const drivingEventsQuery = z.object({
  driverId: uuid,
  vehicleId: uuid,
  types: z.preprocess(
    blank,
    z
      .string()
      .transform((s) => s.split(',').map((t) => t.trim().replace(/^driving\./, '')).filter(Boolean))
      .pipe(z.array(z.enum(DRIVING_KINDS, { message: `each type must be one of ${DRIVING_KINDS.join(', ')}` })))
      .optional(),
  ),
  from: instant,
  to: instant,
  limit: z.preprocess(blank, z.coerce.number().int().min(1).max(1000).default(200)),
});
