import type { DrivingKind } from '../protocol/driving';
import type { Position } from '../protocol/position';

/**
 * Labelled synthetic drives for the detector's tests and bench: a drive is a list of manoeuvres
 * simulated at 10 Hz, sampled every `intervalS` with GPS noise (speed, heading, position) and,
 * optionally, a phone accelerometer (peak horizontal vector since the last fix, gravity on z).
 * Each harsh/idle manoeuvre is a label: the kind and the time span it happened in.
 */
export type Manoeuvre =
  | { do: 'cruise'; s: number }
  /** Change speed linearly to `kmh` over `s` seconds. */
  | { do: 'speed'; kmh: number; s: number }
  /** Turn by `deg` (+ right) over `s` seconds at the current speed. */
  | { do: 'turn'; deg: number; s: number }
  /** Stand still (speed must be 0) for `s` seconds. */
  | { do: 'wait'; s: number };

export interface Label {
  kind: DrivingKind;
  from: number;
  to: number;
}

export interface DriveOptions {
  tenantId: string;
  vehicleId: string;
  t0: number;
  intervalS: number;
  start?: { lat: number; lng: number; kmh?: number; heading?: number };
  /** 1 σ of GPS noise. */
  noise?: { kmh: number; deg: number; m: number };
  imu?: boolean;
  /** Thresholds in g above which a manoeuvre is labelled harsh (the truth). */
  truth?: { brakeG: number; accelG: number; cornerG: number; idleS: number };
  seed?: number;
}

/** Deterministic PRNG (mulberry32) and a normal sample from it. */
export function rng(seed: number): { next(): number; normal(): number } {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, normal: () => Math.sqrt(-2 * Math.log(next() || 1e-12)) * Math.cos(2 * Math.PI * next()) };
}

const G = 9.80665;
const STEP = 0.1;

export function synthesizeDrive(options: DriveOptions, plan: readonly Manoeuvre[]): { positions: Position[]; labels: Label[] } {
  const noise = options.noise ?? { kmh: 0, deg: 0, m: 0 };
  const truth = options.truth ?? { brakeG: 0.35, accelG: 0.3, cornerG: 0.35, idleS: 300 };
  const r = rng(options.seed ?? 1);
  let lat = options.start?.lat ?? 39.29;
  let lng = options.start?.lng ?? -76.61;
  let kmh = options.start?.kmh ?? 0;
  let heading = options.start?.heading ?? 90;
  let t = options.t0;
  const positions: Position[] = [];
  const labels: Label[] = [];
  let nextFix = t;
  let peak = { x: 0, y: 0, g: 0 };

  const emit = () => {
    const ang = (heading * Math.PI) / 180;
    const n = noise.m * r.normal();
    positions.push({
      tenantId: options.tenantId,
      vehicleId: options.vehicleId,
      lat: lat + (n * Math.cos(ang + 1)) / 111_320,
      lng: lng + (n * Math.sin(ang + 1)) / (111_320 * Math.cos((lat * Math.PI) / 180)),
      ts: Math.round(t),
      speed: Math.max(0, kmh + (kmh > 0 ? noise.kmh * r.normal() : 0)),
      heading: (((heading + (kmh > 5 ? noise.deg * r.normal() : 0)) % 360) + 360) % 360,
      accuracy: 5,
      altitude: null,
      battery: null,
      attributes: null,
      ...(options.imu ? { accel: { x: peak.x + 0.05 * r.normal(), y: peak.y + 0.05 * r.normal(), z: G + 0.05 * r.normal() } } : {}),
    });
    peak = { x: 0, y: 0, g: 0 };
  };

  const step = (accel: number, yawDegS: number) => {
    kmh = Math.max(0, kmh + accel * 3.6 * STEP);
    heading += yawDegS * STEP;
    const ms = kmh / 3.6;
    const ang = (heading * Math.PI) / 180;
    lat += (ms * STEP * Math.cos(ang)) / 111_320;
    lng += (ms * STEP * Math.sin(ang)) / (111_320 * Math.cos((lat * Math.PI) / 180));
    const lateral = ms * ((yawDegS * Math.PI) / 180);
    const g = Math.hypot(accel, lateral);
    if (g >= peak.g) peak = { x: accel, y: lateral, g };
    t += STEP * 1000;
    if (t >= nextFix - 1e-6) {
      emit();
      nextFix += options.intervalS * 1000;
    }
  };

  for (const m of plan) {
    const from = t;
    const steps = Math.round(m.s / STEP);
    if (m.do === 'speed') {
      const accel = ((m.kmh - kmh) / 3.6) / m.s;
      for (let i = 0; i < steps; i++) step(accel, 0);
      kmh = m.kmh;
      const g = accel / G;
      if (g <= -truth.brakeG) labels.push({ kind: 'harsh_brake', from, to: t });
      if (g >= truth.accelG) labels.push({ kind: 'harsh_acceleration', from, to: t });
    } else if (m.do === 'turn') {
      const yaw = m.deg / m.s;
      for (let i = 0; i < steps; i++) step(0, yaw);
      const g = ((kmh / 3.6) * ((Math.abs(yaw) * Math.PI) / 180)) / G;
      if (g >= truth.cornerG) labels.push({ kind: 'harsh_corner', from, to: t });
    } else {
      for (let i = 0; i < steps; i++) step(0, 0);
      if (m.do === 'wait' && m.s >= truth.idleS) labels.push({ kind: 'idle', from, to: t });
    }
  }
  return { positions, labels };
}

/** Precision and recall of findings against labels: a finding matches an unmatched label of its kind within `slackMs`. */
export function score(
  findings: ReadonlyArray<{ kind: DrivingKind; at: number }>,
  labels: readonly Label[],
  slackMs: number,
): Record<string, { tp: number; fp: number; fn: number }> {
  const result: Record<string, { tp: number; fp: number; fn: number }> = {};
  const get = (k: string) => (result[k] ??= { tp: 0, fp: 0, fn: 0 });
  const used = new Set<number>();
  for (const f of findings) {
    const i = labels.findIndex((l, j) => !used.has(j) && l.kind === f.kind && f.at >= l.from - slackMs && f.at <= l.to + slackMs);
    if (i >= 0) {
      used.add(i);
      get(f.kind).tp++;
    } else get(f.kind).fp++;
  }
  labels.forEach((l, j) => {
    if (!used.has(j)) get(l.kind).fn++;
  });
  return result;
}
