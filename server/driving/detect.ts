import type { DrivingKind, DrivingSeverity, DrivingThresholds, EvidenceSample } from '../protocol/driving';
import type { Position, Vector3 } from '../protocol/position';

/**
 * The pure driving-behaviour detector: one vehicle's committed positions in order → findings
 * (harsh braking/acceleration/cornering, speeding episodes, prolonged idling, possible
 * collisions) and the day's usage (distance, driving, speeding and idle time). No clock, no I/O:
 * time is the positions' time. See docs/driving.md for the method and its limits.
 *
 * GPS: longitudinal g = Δspeed/Δt between fixes, lateral g = heading rate × speed; fixes too far
 * apart, too inaccurate or too slow are not differentiated. IMU (when the phone sends its
 * accelerometer): the horizontal magnitude with a slowly tracked gravity removed confirms GPS
 * episodes (a GPS spike the phone did not feel is dropped) and detects impacts.
 */

const G = 9.80665;
const KMH = 1 / 3.6;
/** Seconds of samples kept for evidence before an event. */
const EVIDENCE_S = 6;
/**
 * Faster than any road vehicle: a fix reporting this, or this far from the last one for the time
 * between them, is a GPS jump or a device sent somewhere else (a test, a replaced phone), not
 * driving. It is neither evidence (no harsh event or speeding from it or the fix after it) nor
 * distance driven.
 */
const MAX_PLAUSIBLE_KMH = 250;
/** After an impact, how long the vehicle has to come to a stop for a possible collision. */
const COLLISION_STOP_S = 10;
const COLLISION_STOP_KMH = 5;
/** Weight of a new accelerometer sample in the gravity estimate. */
const GRAVITY_ALPHA = 0.05;
/** A GPS episode the phone felt at less than this share of the threshold is a GPS artefact. */
const IMU_VETO_RATIO = 0.4;
/** GPS share of a threshold that lets the phone's peak stand for the manoeuvre's g. */
const IMU_AGREE_RATIO = 0.5;

export interface Finding {
  kind: DrivingKind;
  vehicleId: string;
  /** Epoch ms: the end of a harsh episode or speeding, the moment idling passed its minimum. */
  at: number;
  severity: DrivingSeverity;
  lng: number;
  lat: number;
  speedKmh: number | null;
  evidence: EvidenceSample[];
  /** Kind-specific fields (see protocol/driving.ts). */
  details: Record<string, unknown>;
}

/** The posted limit where a vehicle is (map matching), or null: the vehicle's own limit applies. */
export type LimitAt = (vehicleId: string) => { kmh: number; road: string | null } | null;

export interface DetectorOptions {
  thresholdsOf: (vehicleId: string) => DrivingThresholds;
  /** The matched road's posted limit, when known. */
  limitAt: LimitAt;
  /** The vehicle's or tenant's limit (attributes.speedLimitKmh, else SPEED_LIMIT_KMH). */
  vehicleLimitKmh: (vehicleId: string) => number;
}

/** What a position added to its vehicle's day. */
export interface Usage {
  distanceM: number;
  drivingS: number;
  speedingS: number;
  idleS: number;
}

interface Sample {
  ts: number;
  kmh: number | null;
  heading: number | null;
  longG: number | null;
  latG: number | null;
  imuG: number | null;
  lng: number;
  lat: number;
}

interface Harsh {
  kind: 'harsh_brake' | 'harsh_acceleration' | 'harsh_corner';
  startTs: number;
  fromKmh: number | null;
  peakG: number;
  peakImuG: number | null;
  peak: Sample;
  threshold: number;
}

interface Speeding {
  startTs: number;
  lastTs: number;
  maxKmh: number;
  limitKmh: number;
  maxOver: number;
  road: string | null;
  limitSource: 'road' | 'vehicle';
  at: Sample;
}

interface VehicleState {
  last: Sample | null;
  recent: Sample[];
  harsh: Harsh | null;
  speeding: Speeding | null;
  idleStart: number | null;
  idleRaised: boolean;
  gravity: Vector3 | null;
  impact: { ts: number; g: number; fromKmh: number | null } | null;
}

export function severityOf(peak: number, threshold: number): DrivingSeverity {
  const ratio = peak / threshold;
  return ratio >= 1.6 ? 'high' : ratio >= 1.25 ? 'medium' : 'low';
}

/** Shortest signed angle from a to b in degrees (−180, 180]. */
export function headingDelta(a: number, b: number): number {
  let d = (b - a) % 360;
  if (d > 180) d -= 360;
  else if (d <= -180) d += 360;
  return d;
}

/** Great-circle distance in meters (haversine). */
export function distanceM(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const toRad = Math.PI / 180;
  const dLat = (lat2 - lat1) * toRad;
  const dLng = (lng2 - lng1) * toRad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * toRad) * Math.cos(lat2 * toRad) * Math.sin(dLng / 2) ** 2;
  return 12_742_000 * Math.asin(Math.min(1, Math.sqrt(a)));
}

const round = (v: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
};

function toEvidence(s: Sample): EvidenceSample {
  return {
    at: new Date(s.ts).toISOString(),
    speedKmh: s.kmh === null ? null : round(s.kmh, 1),
    heading: s.heading === null ? null : round(s.heading, 1),
    longG: s.longG === null ? null : round(s.longG, 3),
    latG: s.latG === null ? null : round(s.latG, 3),
    imuG: s.imuG === null ? null : round(s.imuG, 3),
  };
}

export class DrivingDetector {
  private readonly vehicles = new Map<string, VehicleState>();

  constructor(private readonly options: DetectorOptions) {}

  forget(vehicleId: string): void {
    this.vehicles.delete(vehicleId);
  }

  /**
   * One committed position (each vehicle's in time order; older ones are ignored). Pushes its
   * findings onto `out` and returns what it added to the vehicle's day.
   */
  observe(p: Position, out: Finding[], usage: Usage): void {
    usage.distanceM = 0;
    usage.drivingS = 0;
    usage.speedingS = 0;
    usage.idleS = 0;
    let v = this.vehicles.get(p.vehicleId);
    if (!v) {
      v = { last: null, recent: [], harsh: null, speeding: null, idleStart: null, idleRaised: false, gravity: null, impact: null };
      this.vehicles.set(p.vehicleId, v);
    }
    const last = v.last;
    if (last && p.ts <= last.ts) return;
    const t = this.options.thresholdsOf(p.vehicleId);
    const dt = last ? (p.ts - last.ts) / 1000 : Infinity;
    const accurate = p.accuracy === null || p.accuracy <= t.maxAccuracyM;
    const moved = last ? distanceM(last.lat, last.lng, p.lat, p.lng) : 0;
    // Speed: as reported, else from the distance since the last fix when it is close enough;
    // none when the fix is implausible (a jump).
    const impliedKmh = last && dt >= 0.5 ? moved / dt / KMH : null;
    const plausible = (p.speed === null || p.speed <= MAX_PLAUSIBLE_KMH) && (impliedKmh === null || impliedKmh <= MAX_PLAUSIBLE_KMH);
    const kmh = plausible ? (p.speed ?? (last && dt <= t.maxGapS && impliedKmh !== null ? impliedKmh : null)) : null;
    const valid = last !== null && dt >= 0.5 && dt <= t.maxGapS && accurate && last.kmh !== null && kmh !== null;

    let longG: number | null = null;
    let latG: number | null = null;
    if (valid) {
      const fast = Math.max(kmh!, last.kmh!) >= t.minSpeedKmh;
      if (fast) longG = ((kmh! - last.kmh!) * KMH) / dt / G;
      if (p.heading !== null && last.heading !== null && Math.min(kmh!, last.kmh!) >= t.minSpeedKmh) {
        const yawRate = (headingDelta(last.heading, p.heading) * Math.PI) / 180 / dt;
        latG = Math.abs(yawRate * ((kmh! + last.kmh!) / 2) * KMH) / G;
      }
    }
    const imuG = p.accel ? this.horizontalG(v, p.accel) : null;
    const sample: Sample = { ts: p.ts, kmh, heading: p.heading, longG, latG, imuG, lng: p.lng, lat: p.lat };

    // Evidence window: the last few seconds.
    v.recent.push(sample);
    while (v.recent.length > 1 && v.recent[0]!.ts < p.ts - EVIDENCE_S * 1000) v.recent.shift();

    if (last && dt <= 300 && plausible) usage.distanceM = moved;
    if (valid && kmh! > t.idleSpeedKmh) usage.drivingS = dt;

    this.harsh(p, v, t, sample, valid, out);
    this.speed(p, v, t, sample, valid, dt, out, usage);
    this.idle(p, v, t, sample, dt, out, usage);
    this.collision(p, v, t, sample, out);
    v.last = sample;
  }

  /** Horizontal acceleration in g with the tracked gravity removed (the phone may or may not include it). */
  private horizontalG(v: VehicleState, a: Vector3): number {
    const g = v.gravity;
    if (!g) {
      // First sample: a phone reporting gravity shows ≈ 1 g; one reporting linear acceleration ≈ 0.
      const m = Math.hypot(a.x, a.y, a.z);
      v.gravity = Math.abs(m - G) < 2 ? { x: a.x, y: a.y, z: a.z } : { x: 0, y: 0, z: 0 };
      return Math.abs(m - G) < 2 ? 0 : m / G;
    }
    const dx = a.x - g.x;
    const dy = a.y - g.y;
    const dz = a.z - g.z;
    g.x += GRAVITY_ALPHA * dx;
    g.y += GRAVITY_ALPHA * dy;
    g.z += GRAVITY_ALPHA * dz;
    return Math.hypot(dx, dy, dz) / G;
  }

  private harsh(p: Position, v: VehicleState, t: DrivingThresholds, s: Sample, valid: boolean, out: Finding[]): void {
    let kind: Harsh['kind'] | null = null;
    let g = 0;
    let threshold = 0;
    if (valid) {
      // The strongest of the three relative to its threshold.
      let best = 0;
      if (s.longG !== null && -s.longG / t.brakeG > best) [best, kind, g, threshold] = [-s.longG / t.brakeG, 'harsh_brake', -s.longG, t.brakeG];
      if (s.longG !== null && s.longG / t.accelG > best) [best, kind, g, threshold] = [s.longG / t.accelG, 'harsh_acceleration', s.longG, t.accelG];
      if (s.latG !== null && s.latG / t.cornerG > best) [best, kind, g, threshold] = [s.latG / t.cornerG, 'harsh_corner', s.latG, t.cornerG];
      // GPS averages over the fix interval; the phone's peak does not. When GPS saw a clear
      // manoeuvre of this kind (IMU_AGREE_RATIO of its threshold, less over longer intervals, which
      // dilute a short manoeuvre), the phone's peak measures it.
      if (kind && s.imuG !== null && s.imuG > g && best >= IMU_AGREE_RATIO * Math.min(1, 2000 / (s.ts - v.last!.ts))) g = s.imuG;
    }
    const current = v.harsh;
    if (current) {
      // Goes on while the same kind stays above the release level (hysteresis).
      const same = valid && (current.kind === 'harsh_brake' ? -(s.longG ?? 0) : current.kind === 'harsh_acceleration' ? (s.longG ?? 0) : (s.latG ?? 0));
      if (same !== false && same >= current.threshold * t.releaseRatio) {
        if (same > current.peakG) {
          current.peakG = same;
          current.peak = s;
        }
        if (s.imuG !== null) current.peakImuG = Math.max(current.peakImuG ?? 0, s.imuG);
        return;
      }
      v.harsh = null;
      this.endHarsh(p, v, current, s, out);
      // The interval that ended an episode cannot start another of its kind (its peak is the old one's tail).
      if (kind === current.kind) return;
    }
    if (kind && g >= threshold) {
      v.harsh = { kind, startTs: v.last!.ts, fromKmh: v.last!.kmh, peakG: g, peak: s, threshold, peakImuG: s.imuG };
    }
  }

  private endHarsh(p: Position, v: VehicleState, h: Harsh, s: Sample, out: Finding[]): void {
    // The phone felt (almost) nothing: a GPS speed or heading jump, not the vehicle.
    if (h.peakImuG !== null && h.peakImuG < h.threshold * IMU_VETO_RATIO) return;
    const end = v.last!;
    out.push({
      kind: h.kind,
      vehicleId: p.vehicleId,
      at: end.ts,
      severity: severityOf(h.peakG, h.threshold),
      lng: h.peak.lng,
      lat: h.peak.lat,
      speedKmh: h.peak.kmh === null ? null : round(h.peak.kmh, 1),
      evidence: this.evidence(v, h.startTs, s.ts),
      details: {
        peakG: round(h.peakG, 3),
        thresholdG: h.threshold,
        source: h.peakImuG !== null ? 'imu' : 'gps',
        fromSpeedKmh: h.fromKmh === null ? null : round(h.fromKmh, 1),
        toSpeedKmh: end.kmh === null ? null : round(end.kmh, 1),
        durationS: round((end.ts - h.startTs) / 1000, 1),
      },
    });
  }

  private speed(p: Position, v: VehicleState, t: DrivingThresholds, s: Sample, valid: boolean, dt: number, out: Finding[], usage: Usage): void {
    const ep = v.speeding;
    if (s.kmh === null) return;
    const matched = this.options.limitAt(p.vehicleId);
    const limit = matched?.kmh ?? this.options.vehicleLimitKmh(p.vehicleId);
    if (ep && (!valid || s.kmh <= ep.limitKmh)) {
      v.speeding = null;
      if ((ep.lastTs - ep.startTs) / 1000 >= t.speedingMinS) {
        out.push({
          kind: 'speeding',
          vehicleId: p.vehicleId,
          at: ep.lastTs,
          severity: severityOf(ep.maxOver + ep.limitKmh, ep.limitKmh + t.speedingToleranceKmh * 0.8),
          lng: ep.at.lng,
          lat: ep.at.lat,
          speedKmh: round(ep.maxKmh, 1),
          evidence: this.evidence(v, ep.at.ts - 2000, ep.at.ts + 2000),
          details: {
            road: ep.road,
            startedAt: new Date(ep.startTs).toISOString(),
            endedAt: new Date(ep.lastTs).toISOString(),
            durationS: round((ep.lastTs - ep.startTs) / 1000, 1),
            maxSpeedKmh: round(ep.maxKmh, 1),
            limitKmh: ep.limitKmh,
            maxOverKmh: round(ep.maxOver, 1),
            limitSource: ep.limitSource,
          },
        });
      }
      if (!valid) return;
    }
    if (v.speeding) {
      const cur = v.speeding;
      usage.speedingS = dt;
      cur.lastTs = s.ts;
      if (s.kmh - cur.limitKmh > cur.maxOver) {
        cur.maxOver = s.kmh - cur.limitKmh;
        cur.maxKmh = s.kmh;
        cur.at = s;
      }
      return;
    }
    if (valid && s.kmh > limit + t.speedingToleranceKmh) {
      usage.speedingS = dt;
      v.speeding = {
        startTs: v.last!.ts,
        lastTs: s.ts,
        maxKmh: s.kmh,
        limitKmh: limit,
        maxOver: s.kmh - limit,
        road: matched?.road ?? null,
        limitSource: matched ? 'road' : 'vehicle',
        at: s,
      };
    }
  }

  private idle(p: Position, v: VehicleState, t: DrivingThresholds, s: Sample, dt: number, out: Finding[], usage: Usage): void {
    const attrs = p.attributes;
    // Engine state when the device reports one (OsmAnd/Traccar `ignition`); phones: reporting = on.
    const engineOff = attrs !== null && (attrs.ignition === false || attrs.ignition === 'false' || attrs.engine === 'off');
    const stationary = s.kmh !== null && s.kmh <= t.idleSpeedKmh && !engineOff;
    if (!stationary) {
      v.idleStart = null;
      v.idleRaised = false;
      return;
    }
    // Silent too long (parked, phone asleep): only reporting time counts, so start again.
    if (v.idleStart === null || dt > t.idleMaxGapS) {
      v.idleStart = s.ts;
      v.idleRaised = false;
      return;
    }
    usage.idleS = dt;
    const idleS = (s.ts - v.idleStart) / 1000;
    if (!v.idleRaised && idleS >= t.idleMinutes * 60) {
      v.idleRaised = true;
      out.push({
        kind: 'idle',
        vehicleId: p.vehicleId,
        at: s.ts,
        severity: idleS >= t.idleMinutes * 60 * 3 ? 'high' : 'low',
        lng: p.lng,
        lat: p.lat,
        speedKmh: s.kmh === null ? null : round(s.kmh, 1),
        evidence: this.evidence(v, s.ts - EVIDENCE_S * 1000, s.ts),
        details: { startedAt: new Date(v.idleStart).toISOString(), durationS: round(idleS, 1) },
      });
    }
  }

  private collision(p: Position, v: VehicleState, t: DrivingThresholds, s: Sample, out: Finding[]): void {
    if (s.imuG !== null && s.imuG >= t.collisionG && (v.last?.kmh ?? 0) >= t.minSpeedKmh && !v.impact) {
      v.impact = { ts: s.ts, g: s.imuG, fromKmh: v.last?.kmh ?? null };
    }
    const impact = v.impact;
    if (!impact) return;
    if (s.ts - impact.ts > COLLISION_STOP_S * 1000) {
      v.impact = null;
      return;
    }
    if (s.kmh !== null && s.kmh <= COLLISION_STOP_KMH) {
      v.impact = null;
      out.push({
        kind: 'possible_collision',
        vehicleId: p.vehicleId,
        at: s.ts,
        severity: 'high',
        lng: p.lng,
        lat: p.lat,
        speedKmh: round(s.kmh, 1),
        evidence: this.evidence(v, impact.ts - 3000, s.ts),
        details: { peakG: round(impact.g, 3), fromSpeedKmh: impact.fromKmh === null ? null : round(impact.fromKmh, 1) },
      });
    }
  }

  private evidence(v: VehicleState, from: number, to: number): EvidenceSample[] {
    const out: EvidenceSample[] = [];
    for (const s of v.recent) if (s.ts >= from - 2000 && s.ts <= to) out.push(toEvidence(s));
    return out;
  }
}
