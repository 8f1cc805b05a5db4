import { describe, expect, it } from 'vitest';
import { THRESHOLD_PRESETS, type DrivingThresholds } from '../protocol/driving';
import type { Position } from '../protocol/position';
import { DrivingDetector, headingDelta, severityOf, type Finding, type LimitAt, type Usage } from './detect';
import { score, synthesizeDrive, type Manoeuvre } from './synthetic';

const T0 = Date.UTC(2026, 11, 7, 8, 0, 0);
const VAN = THRESHOLD_PRESETS.van!;

function detector(options: { thresholds?: Partial<DrivingThresholds>; limitAt?: LimitAt; limitKmh?: number } = {}) {
  return new DrivingDetector({
    thresholdsOf: () => ({ ...VAN, ...options.thresholds }),
    limitAt: options.limitAt ?? (() => null),
    vehicleLimitKmh: () => options.limitKmh ?? 120,
  });
}

function run(positions: readonly Position[], d = detector()): { findings: Finding[]; usage: Usage } {
  const findings: Finding[] = [];
  const usage: Usage = { distanceM: 0, drivingS: 0, speedingS: 0, idleS: 0 };
  const total: Usage = { distanceM: 0, drivingS: 0, speedingS: 0, idleS: 0 };
  for (const p of positions) {
    d.observe(p, findings, usage);
    total.distanceM += usage.distanceM;
    total.drivingS += usage.drivingS;
    total.speedingS += usage.speedingS;
    total.idleS += usage.idleS;
  }
  return { findings, usage: total };
}

const drive = (plan: Manoeuvre[], extra: Partial<Parameters<typeof synthesizeDrive>[0]> = {}) =>
  synthesizeDrive({ tenantId: 't', vehicleId: 'v', t0: T0, intervalS: 1, ...extra }, plan);

/** Hand-made fixes: [seconds, km/h, heading] (accuracy 5 m unless given). */
function fixes(rows: Array<[number, number | null, number | null, Partial<Position>?]>): Position[] {
  return rows.map(([s, speed, heading, extra]) => ({
    tenantId: 't',
    vehicleId: 'v',
    lat: 39.29 + s * 1e-5,
    lng: -76.61,
    ts: T0 + s * 1000,
    speed,
    heading,
    accuracy: 5,
    altitude: null,
    battery: null,
    attributes: null,
    ...extra,
  }));
}

const kinds = (findings: Finding[]) => findings.map((f) => f.kind);

describe('helpers', () => {
  it('headingDelta takes the short way round', () => {
    expect(headingDelta(350, 10)).toBe(20);
    expect(headingDelta(10, 350)).toBe(-20);
    expect(headingDelta(0, 180)).toBe(180);
    expect(headingDelta(90, 90)).toBe(0);
  });
  it('severity grows with how far past the threshold', () => {
    expect(severityOf(0.36, 0.35)).toBe('low');
    expect(severityOf(0.45, 0.35)).toBe('medium');
    expect(severityOf(0.6, 0.35)).toBe('high');
  });
});

describe('harsh braking and acceleration from GPS', () => {
  it('60 → 10 km/h in 2 s is one harsh brake with evidence', () => {
    const { findings } = run(drive([{ do: 'speed', kmh: 60, s: 15 }, { do: 'cruise', s: 10 }, { do: 'speed', kmh: 10, s: 2 }, { do: 'cruise', s: 5 }]).positions);
    expect(kinds(findings)).toEqual(['harsh_brake']);
    const f = findings[0]!;
    expect(f.severity).toBe('high');
    expect(f.details).toMatchObject({ source: 'gps', thresholdG: 0.35 });
    expect(f.details.peakG as number).toBeGreaterThan(0.6);
    expect(f.details.fromSpeedKmh as number).toBeCloseTo(60, 0);
    expect(f.details.toSpeedKmh as number).toBeCloseTo(10, 0);
    expect(f.evidence.length).toBeGreaterThanOrEqual(4);
    expect(f.evidence.some((s) => (s.longG ?? 0) < -0.6)).toBe(true);
  });

  it('the same drive braking gently raises nothing', () => {
    const { findings } = run(drive([{ do: 'speed', kmh: 60, s: 15 }, { do: 'cruise', s: 10 }, { do: 'speed', kmh: 10, s: 12 }, { do: 'cruise', s: 5 }]).positions);
    expect(findings).toEqual([]);
  });

  it('a long hard brake over several fixes is one event, not one per fix (hysteresis)', () => {
    const { findings } = run(fixes([[0, 80, 0], [1, 80, 0], [2, 65, 0], [3, 52, 0], [4, 41, 0], [5, 28, 0], [6, 28, 0]]));
    expect(kinds(findings)).toEqual(['harsh_brake']);
    expect(findings[0]!.details.durationS).toBe(4);
  });

  it('two separate hard brakes are two events', () => {
    const { findings } = run(fixes([[0, 80, 0], [1, 55, 0], [2, 55, 0], [3, 55, 0], [4, 30, 0], [5, 30, 0]]));
    expect(kinds(findings)).toEqual(['harsh_brake', 'harsh_brake']);
  });

  it('hard acceleration 10 → 45 km/h in 3 s is harsh for a van, not for a motorcycle', () => {
    const rows: Array<[number, number, number]> = [[0, 10, 0], [1, 22, 0], [2, 34, 0], [3, 45, 0], [4, 45, 0]];
    expect(kinds(run(fixes(rows)).findings)).toEqual(['harsh_acceleration']);
    expect(run(fixes(rows), detector({ thresholds: THRESHOLD_PRESETS.motorcycle })).findings).toEqual([]);
  });

  it('nothing below the minimum speed', () => {
    expect(run(fixes([[0, 9, 0], [1, 0, 0], [2, 0, 0]])).findings).toEqual([]);
  });

  it('fixes too far apart are not differentiated', () => {
    expect(run(fixes([[0, 60, 0], [10, 0, 0], [11, 0, 0]])).findings).toEqual([]);
  });

  it('fixes less accurate than the limit are not differentiated', () => {
    expect(run(fixes([[0, 60, 0], [1, 30, 0, { accuracy: 80 }], [2, 30, 0]])).findings).toEqual([]);
  });

  it('fixes closer than half a second are not differentiated', () => {
    const p = fixes([[0, 60, 0], [0.2, 50, 0], [1.2, 50, 0]]);
    expect(run(p).findings).toEqual([]);
  });

  it('positions older than the last are ignored', () => {
    const p = fixes([[0, 60, 0], [2, 60, 0], [1, 10, 0], [3, 60, 0]]);
    expect(run(p).findings).toEqual([]);
  });

  it('a jump to another place (5 km in 1 s) is no brake and no distance driven', () => {
    // Driving at 50 km/h, then the device is set down 5 km away (a GPS jump, a test moving a phone).
    const p = fixes([[0, 50, 0], [1, 50, 0], [2, 50, 0], [3, null, 0, { lat: 39.335 }], [4, 0, 0, { lat: 39.335 }], [5, 0, 0, { lat: 39.335 }]]);
    const { findings, usage } = run(p);
    expect(findings).toEqual([]);
    expect(usage.distanceM).toBeLessThan(100);
  });

  it('a reported speed no road vehicle reaches is not speeding', () => {
    const p = fixes(Array.from({ length: 20 }, (_, i) => [i, i < 15 ? 607 : 40, 0] as [number, number, number]));
    expect(run(p, detector({ limitKmh: 50 })).findings).toEqual([]);
  });

  it('a fix without speed gets one from the distance moved', () => {
    // 20 m/s (72 km/h) then 5 m/s: speed derived from positions.
    const base = { tenantId: 't', vehicleId: 'v', lng: -76.61, speed: null, heading: null, accuracy: 5, altitude: null, battery: null, attributes: null };
    const metres = [0, 20, 40, 60, 65, 70];
    const p: Position[] = metres.map((m, i) => ({ ...base, ts: T0 + i * 1000, lat: 39.29 + m / 111_195 }));
    expect(kinds(run(p).findings)).toEqual(['harsh_brake']);
  });
});

describe('cornering', () => {
  it('a sharp 90° turn at 30 km/h in 3 s is one harsh corner', () => {
    const { findings } = run(drive([{ do: 'speed', kmh: 30, s: 10 }, { do: 'cruise', s: 5 }, { do: 'turn', deg: 90, s: 3 }, { do: 'cruise', s: 5 }]).positions);
    expect(kinds(findings)).toEqual(['harsh_corner']);
    expect(findings[0]!.details.peakG as number).toBeGreaterThan(0.35);
  });

  it('the same turn over 10 s raises nothing', () => {
    const { findings } = run(drive([{ do: 'speed', kmh: 30, s: 10 }, { do: 'cruise', s: 5 }, { do: 'turn', deg: 90, s: 10 }, { do: 'cruise', s: 5 }]).positions);
    expect(findings).toEqual([]);
  });

  it('heading wrapping through north is a small turn', () => {
    expect(run(fixes([[0, 50, 355], [1, 50, 2], [2, 50, 8], [3, 50, 12]])).findings).toEqual([]);
  });

  it('a U-turn at walking pace is not cornering', () => {
    expect(run(fixes([[0, 6, 0], [1, 6, 90], [2, 6, 180], [3, 6, 180]])).findings).toEqual([]);
  });
});

describe('with the phone’s accelerometer', () => {
  it('a GPS speed jump the phone did not feel is dropped', () => {
    const still = { accel: { x: 0.05, y: 0, z: 9.81 } };
    const p = fixes([[0, 60, 0, still], [1, 60, 0, still], [2, 35, 0, still], [3, 60, 0, still], [4, 60, 0, still]]);
    expect(run(p).findings.filter((f) => f.kind === 'harsh_brake')).toEqual([]);
  });

  it('a brake the phone felt is confirmed by it (source imu)', () => {
    const { positions } = drive([{ do: 'speed', kmh: 60, s: 15 }, { do: 'cruise', s: 10 }, { do: 'speed', kmh: 10, s: 2 }, { do: 'cruise', s: 5 }], { imu: true });
    const { findings } = run(positions);
    expect(kinds(findings)).toEqual(['harsh_brake']);
    expect(findings[0]!.details.source).toBe('imu');
    expect(findings[0]!.evidence.some((s) => (s.imuG ?? 0) > 0.6)).toBe(true);
  });

  it('a violent jolt then a stop is a possible collision', () => {
    const jolt = { accel: { x: -35, y: 10, z: 9.81 } };
    const flat = { accel: { x: 0, y: 0, z: 9.81 } };
    const p = fixes([[0, 50, 0, flat], [1, 50, 0, flat], [2, 50, 0, flat], [3, 30, 0, jolt], [4, 2, 0, flat], [5, 0, 0, flat]]);
    const found = run(p).findings;
    expect(kinds(found)).toContain('possible_collision');
    expect(found.find((f) => f.kind === 'possible_collision')!.details.peakG as number).toBeGreaterThan(3);
  });

  it('a jolt (pothole) while driving on is not a collision', () => {
    const jolt = { accel: { x: 0, y: 0, z: 40 } };
    const flat = { accel: { x: 0, y: 0, z: 9.81 } };
    const rows: Array<[number, number, number, Partial<Position>]> = [[0, 50, 0, flat], [1, 50, 0, flat], [2, 50, 0, jolt]];
    for (let s = 3; s < 20; s++) rows.push([s, 50, 0, flat]);
    expect(run(fixes(rows)).findings).toEqual([]);
  });

  it('a phone that sends linear acceleration (no gravity) works the same', () => {
    const jolt = { accel: { x: -30, y: 0, z: 0 } };
    const flat = { accel: { x: 0, y: 0, z: 0 } };
    const p = fixes([[0, 50, 0, flat], [1, 50, 0, flat], [2, 20, 0, jolt], [3, 0, 0, flat]]);
    expect(kinds(run(p).findings)).toContain('possible_collision');
  });
});

describe('speeding', () => {
  const at = (kmh: number[]) => fixes(kmh.map((k, i) => [i, k, 0] as [number, number, number]));

  it('an episode over limit + tolerance for 10 s or more is one event when it ends', () => {
    const { findings, usage } = run(at([40, 45, 50, 56, 60, 62, 61, 60, 59, 58, 57, 56, 58, 57, 53, 49, 45]), detector({ limitKmh: 50 }));
    expect(kinds(findings)).toEqual(['speeding']);
    expect(findings[0]!.details).toMatchObject({ limitKmh: 50, maxSpeedKmh: 62, maxOverKmh: 12, limitSource: 'vehicle', road: null });
    expect(usage.speedingS).toBeGreaterThanOrEqual(10);
  });

  it('a short burst is not an episode', () => {
    expect(kinds(run(at([45, 50, 56, 60, 58, 52, 48, 45]), detector({ limitKmh: 50 })).findings)).not.toContain('speeding');
  });

  it('within the tolerance is not speeding', () => {
    expect(run(at(Array(30).fill(54)), detector({ limitKmh: 50 })).findings).toEqual([]);
  });

  it('the matched road’s limit wins over the vehicle’s', () => {
    const d = detector({ limitKmh: 120, limitAt: () => ({ kmh: 40, road: 'N Charles St' }) });
    const { findings } = run(at([...Array(15).fill(55), 35]), d);
    expect(findings[0]!.details).toMatchObject({ limitKmh: 40, limitSource: 'road', road: 'N Charles St' });
  });
});

describe('idling', () => {
  const still = (seconds: number[], extra?: Partial<Position>) => fixes(seconds.map((s) => [s, 0, null, extra] as [number, number, null, Partial<Position> | undefined]));
  const every = (step: number, until: number) => Array.from({ length: Math.floor(until / step) + 1 }, (_, i) => i * step);

  it('5 minutes stationary while reporting raises one idle event', () => {
    const { findings } = run(still(every(10, 600)));
    expect(kinds(findings)).toEqual(['idle']);
    expect(findings[0]!.at).toBe(T0 + 300_000);
    expect(findings[0]!.details).toMatchObject({ durationS: 300, startedAt: new Date(T0).toISOString() });
  });

  it('4 minutes is not enough', () => {
    expect(run(still(every(10, 240))).findings).toEqual([]);
  });

  it('a parked vehicle that stops reporting raises nothing', () => {
    expect(run(still([0, 10, 20])).findings).toEqual([]);
  });

  it('a parked vehicle reporting every 10 minutes raises nothing (gaps restart the clock)', () => {
    expect(run(still(every(600, 3600))).findings).toEqual([]);
  });

  it('ignition off is not idling', () => {
    expect(run(still(every(10, 600), { attributes: { ignition: false } })).findings).toEqual([]);
  });

  it('moving off and stopping again is a new episode', () => {
    const rows = [...every(10, 400).map((s) => [s, 0, null] as [number, number, null]), [410, 30, 0] as [number, number, number], ...every(10, 400).map((s) => [420 + s, 0, null] as [number, number, null])];
    expect(kinds(run(fixes(rows)).findings)).toEqual(['idle', 'idle']);
  });
});

describe('detection quality on labelled synthetic drives', () => {
  function tour(seed: number): Manoeuvre[] {
    const r = (a: number, b: number) => a + ((Math.sin(seed * 9301 + a * 49297) + 1) / 2) * (b - a);
    return [
      { do: 'speed', kmh: 50, s: 12 },
      { do: 'cruise', s: r(20, 40) },
      { do: 'speed', kmh: 10, s: 2 }, // harsh brake
      { do: 'speed', kmh: 30, s: 8 },
      { do: 'cruise', s: 10 },
      { do: 'turn', deg: 90, s: 3 }, // harsh corner
      { do: 'cruise', s: 15 },
      { do: 'turn', deg: -90, s: 9 }, // gentle
      { do: 'speed', kmh: 60, s: 10 },
      { do: 'cruise', s: 30 },
      { do: 'speed', kmh: 0, s: 14 }, // gentle stop
      { do: 'wait', s: 330 }, // idle
      { do: 'speed', kmh: 40, s: 3 }, // harsh acceleration
      { do: 'cruise', s: 20 },
    ];
  }

  it('≥ 95 % precision and ≥ 90 % recall per type at 1 s with GPS noise', () => {
    const totals: Record<string, { tp: number; fp: number; fn: number }> = {};
    for (let seed = 1; seed <= 20; seed++) {
      const { positions, labels } = synthesizeDrive(
        { tenantId: 't', vehicleId: `v${seed}`, t0: T0, intervalS: 1, noise: { kmh: 1, deg: 2, m: 3 }, seed },
        tour(seed),
      );
      const result = score(run(positions).findings, labels, 3000);
      for (const [k, v] of Object.entries(result)) {
        const t = (totals[k] ??= { tp: 0, fp: 0, fn: 0 });
        t.tp += v.tp;
        t.fp += v.fp;
        t.fn += v.fn;
      }
    }
    for (const kind of ['harsh_brake', 'harsh_acceleration', 'harsh_corner', 'idle']) {
      const t = totals[kind]!;
      expect(t.tp / (t.tp + t.fp), `${kind} precision ${JSON.stringify(t)}`).toBeGreaterThanOrEqual(0.95);
      expect(t.tp / (t.tp + t.fn), `${kind} recall ${JSON.stringify(t)}`).toBeGreaterThanOrEqual(0.9);
    }
  });
});
