import { describe, expect, it } from 'vitest';
import type { Position } from '../protocol/position';
import { GeofenceEngine, GeofenceError, type GeofenceDefinition, type GeofenceEvent, type VehicleFacts } from './engine';
import { localFrame } from './fixtures';
import { confidence, MotionHistory } from './prediction';
import { CompiledSchedule, ScheduleError, type WeeklySchedule } from './schedule';

const T = 'tenant-a';
const { at, rect } = localFrame([13.4, 52.5]);
const ZONE = rect(0, 0, 100, 100);
const fence = (id: string, extra: Partial<GeofenceDefinition>): GeofenceDefinition => ({ id, tenantId: T, kind: 'static', geometry: ZONE, ...extra });
function pos(vehicleId: string, e: number, n: number, ts: number, extra: Partial<Position> = {}): Position {
  const [lng, lat] = at(e, n);
  return { tenantId: T, vehicleId, lng, lat, ts, speed: null, heading: null, accuracy: 5, altitude: null, battery: null, attributes: null, ...extra };
}
const brief = (events: GeofenceEvent[]) => events.map((e) => `${e.type} ${e.geofenceId} ${e.vehicleId}`);
const live = (engine: GeofenceEngine, positions: Position[]) => positions.flatMap((p) => engine.evaluate([p]));
const utc = (iso: string) => Date.parse(iso);

describe('weekly schedules', () => {
  const berlin = (windows: WeeklySchedule['windows']) => new CompiledSchedule({ timezone: 'Europe/Berlin', windows });
  const everyDay = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as WeeklySchedule['windows'][number]['days'];

  it('a window is [start, end) in local time', () => {
    const s = berlin([{ days: ['mon'], start: '08:00', end: '17:00' }]);
    // Monday 2026-11-23, CET = UTC+1
    expect(s.isActive(utc('2026-11-23T06:59:59Z'))).toBe(false);
    expect(s.isActive(utc('2026-11-23T07:00:00Z'))).toBe(true);
    expect(s.isActive(utc('2026-11-23T15:59:59Z'))).toBe(true);
    expect(s.isActive(utc('2026-11-23T16:00:00Z'))).toBe(false);
    expect(s.isActive(utc('2026-11-24T07:30:00Z'))).toBe(false); // Tuesday
  });

  it('an end before the start runs past midnight into the next day', () => {
    const s = berlin([{ days: ['fri'], start: '22:00', end: '06:00' }]);
    expect(s.isActive(utc('2026-11-27T20:59:00Z'))).toBe(false); // Fri 21:59
    expect(s.isActive(utc('2026-11-27T21:00:00Z'))).toBe(true); // Fri 22:00
    expect(s.isActive(utc('2026-11-28T04:59:00Z'))).toBe(true); // Sat 05:59
    expect(s.isActive(utc('2026-11-28T05:00:00Z'))).toBe(false); // Sat 06:00
    expect(s.isActive(utc('2026-11-28T21:30:00Z'))).toBe(false); // Sat 22:30
  });

  it('spring forward: a window starting in the skipped hour begins at the first local minute after it', () => {
    // 2026-03-29: 02:00 CET jumps to 03:00 CEST (01:00 UTC)
    const s = berlin([{ days: everyDay, start: '02:30', end: '04:00' }]);
    expect(s.isActive(utc('2026-03-29T00:59:00Z'))).toBe(false); // 01:59 CET
    expect(s.isActive(utc('2026-03-29T01:00:00Z'))).toBe(true); // 03:00 CEST
    expect(s.isActive(utc('2026-03-29T01:59:00Z'))).toBe(true); // 03:59 CEST
    expect(s.isActive(utc('2026-03-29T02:00:00Z'))).toBe(false); // 04:00 CEST
    // the day before, the same window lasts 90 minutes
    expect(s.isActive(utc('2026-03-28T01:30:00Z'))).toBe(true); // 02:30 CET
  });

  it('fall back: the repeated hour counts twice', () => {
    // 2026-10-25: 03:00 CEST falls back to 02:00 CET (01:00 UTC)
    const s = berlin([{ days: everyDay, start: '02:30', end: '02:45' }]);
    expect(s.isActive(utc('2026-10-25T00:30:00Z'))).toBe(true); // 02:30 CEST
    expect(s.isActive(utc('2026-10-25T00:45:00Z'))).toBe(false); // 02:45 CEST
    expect(s.isActive(utc('2026-10-25T01:30:00Z'))).toBe(true); // 02:30 CET, again
    expect(s.isActive(utc('2026-10-25T01:45:00Z'))).toBe(false);
  });

  it('24:00 ends at midnight; bad input names the field', () => {
    expect(berlin([{ days: ['sun'], start: '00:00', end: '24:00' }]).isActive(utc('2026-11-29T22:59:00Z'))).toBe(true); // Sun 23:59
    const bad = (schedule: unknown) => {
      try {
        new CompiledSchedule(schedule as WeeklySchedule);
        return null;
      } catch (error) {
        return error instanceof ScheduleError ? error.path : 'other';
      }
    };
    expect(bad({ timezone: 'Mars/Olympus', windows: [{ days: ['mon'], start: '08:00', end: '09:00' }] })).toBe('timezone');
    expect(bad({ timezone: 'UTC', windows: [] })).toBe('windows');
    expect(bad({ timezone: 'UTC', windows: [{ days: ['mon'], start: '25:00', end: '09:00' }] })).toBe('windows.0.start');
    expect(bad({ timezone: 'UTC', windows: [{ days: ['mon'], start: '09:00', end: '09:00' }] })).toBe('windows.0.end');
    expect(bad({ timezone: 'UTC', windows: [{ days: ['monday'], start: '08:00', end: '09:00' }] })).toBe('windows.0.days.0');
  });
});

describe('temporal fences', () => {
  // Monday 2026-11-23 08:00–09:00 UTC
  const schedule: WeeklySchedule = { timezone: 'UTC', windows: [{ days: ['mon'], start: '08:00', end: '09:00' }] };
  const t0 = utc('2026-11-23T07:58:00Z');

  it('vehicles already inside enter when the window opens and exit when it closes, without new positions', () => {
    const engine = new GeofenceEngine();
    engine.setFences([fence('t', { kind: 'temporal', schedule })]);
    expect(engine.advanceTo(t0)).toEqual([]); // learns the state
    expect(live(engine, [pos('parked', 50, 50, t0), pos('away', 500, 500, t0)])).toEqual([]); // inactive: nothing
    const opened = engine.advanceTo(utc('2026-11-23T08:00:00Z'));
    expect(brief(opened)).toEqual(['enter t parked']);
    expect(opened[0]!.at).toBe(utc('2026-11-23T08:00:00Z'));
    expect(engine.advanceTo(utc('2026-11-23T08:30:00Z'))).toEqual([]);
    expect(brief(engine.advanceTo(utc('2026-11-23T09:00:05Z')))).toEqual(['exit t parked']);
    expect(engine.membership('parked', 't')).toBe('outside');
  });

  it('positions decide by their own time: entering during the window, leaving at its end', () => {
    const engine = new GeofenceEngine();
    engine.setFences([fence('t', { kind: 'temporal', schedule, hysteresisMeters: 20 })]);
    const events = live(engine, [
      pos('v', 50, 50, utc('2026-11-23T07:59:00Z')),
      pos('v', 50, 50, utc('2026-11-23T08:00:30Z')),
      pos('v', 50, 50, utc('2026-11-23T08:59:59Z')),
      pos('v', 50, 50, utc('2026-11-23T09:00:01Z')), // still inside, deep: the fence no longer applies
    ]);
    expect(events.map((e) => `${e.type}@${new Date(e.at).toISOString()}`)).toEqual([
      'enter@2026-11-23T08:00:30.000Z',
      'exit@2026-11-23T09:00:01.000Z',
    ]);
  });

  it('an invalid schedule is refused with its field', () => {
    const engine = new GeofenceEngine();
    expect(() => engine.setFences([fence('t', { kind: 'temporal', schedule: { timezone: 'Nowhere/Else', windows: [] } })])).toThrow(GeofenceError);
    try {
      engine.upsert(fence('t', { kind: 'temporal', schedule: { timezone: 'UTC', windows: [{ days: ['mon'], start: '8:00', end: '09:00' }] } }));
    } catch (error) {
      expect((error as GeofenceError).field).toBe('schedule.windows.0.start');
    }
    expect(engine.fenceCount).toBe(0);
  });
});

describe('conditional fences', () => {
  const facts = new Map<string, VehicleFacts>([
    ['truck', { type: 'truck', attributes: { hazmat: true }, route: null }],
    ['van', { type: 'van', attributes: { hazmat: false }, route: null }],
  ]);
  const engineWith = (...defs: GeofenceDefinition[]) => {
    const engine = new GeofenceEngine({ vehicleFacts: (id) => facts.get(id) });
    engine.setFences(defs);
    return engine;
  };
  const t = utc('2026-11-23T12:00:00Z');

  it('applies only while the rule holds; a vehicle inside exits when it stops holding', () => {
    const engine = engineWith(fence('slow', { kind: 'conditional', rule: { '>': [{ var: 'speed' }, 30] }, hysteresisMeters: 10 }));
    const events = live(engine, [
      pos('van', 50, 50, t, { speed: 20 }),
      pos('van', 50, 50, t + 1000, { speed: 45 }),
      pos('van', 50, 50, t + 2000, { speed: 40 }),
      pos('van', 50, 50, t + 3000, { speed: 25 }),
    ]);
    expect(events.map((e) => `${e.type}@${e.at - t}`)).toEqual(['enter@1000', 'exit@3000']);
  });

  it('reads the vehicle type and attributes from the host, and local time in the fence zone', () => {
    const hazmat = fence('hazmat', { kind: 'conditional', rule: { and: [{ '==': [{ var: 'vehicleType' }, 'truck'] }, { var: 'attributes.hazmat' }] } });
    // 12:00 UTC is 13:00 in Berlin: inside the 13:00–14:00 local window
    const lunch = fence('lunch', { kind: 'conditional', timezone: 'Europe/Berlin', rule: { '<=': ['13:00', { var: 'localTime' }, '13:59'] } });
    const weekend = fence('weekend', { kind: 'conditional', rule: { in: [{ var: 'dayOfWeek' }, ['sat', 'sun']] } });
    const engine = engineWith(hazmat, lunch, weekend);
    expect(brief(live(engine, [pos('truck', 50, 50, t), pos('van', 50, 50, t)])).sort()).toEqual(['enter hazmat truck', 'enter lunch truck', 'enter lunch van']);
  });

  it('refuses unknown variables and operators, naming the place', () => {
    const field = (rule: unknown) => {
      try {
        engineWith(fence('c', { kind: 'conditional', rule: rule as Record<string, unknown> }));
        return null;
      } catch (error) {
        return (error as GeofenceError).field;
      }
    };
    expect(field({ '>': [{ var: 'speedd' }, 30] })).toBe('rule.>.0.var');
    expect(field({ eval: ['process.exit()'] })).toBe('rule');
    expect(field([1, 2])).toBe('rule');
    expect(field({ '>': [{ var: 'attributes.load' }, 3] })).toBeNull();
  });
});

describe('dynamic fences', () => {
  const t = utc('2026-11-23T12:00:00Z');
  const escort = (): GeofenceDefinition => ({ id: 'escort', tenantId: T, kind: 'dynamic', followVehicleId: 'leader', geometry: { type: 'Circle', center: at(0, 0), radiusMeters: 100 } });

  it('a circle follows its leader; others enter and exit it; the leader is never inside its own', () => {
    const engine = new GeofenceEngine();
    engine.setFences([escort()]);
    const events = live(engine, [
      pos('leader', 1000, 0, t),
      pos('other', 1050, 0, t + 1000), // 50 m from the leader
      pos('leader', 2000, 0, t + 2000), // the leader drives off
      pos('other', 1060, 0, t + 3000), // now ~940 m away
      pos('other', 1950, 0, t + 4000), // caught up
    ]);
    expect(events.map((e) => `${e.type} ${e.vehicleId}@${e.at - t}`)).toEqual(['enter other@1000', 'exit other@3000', 'enter other@4000']);
    expect(engine.membership('leader', 'escort')).toBe('outside');
    const [lng, lat] = engine.dynamicCenter('escort')!;
    expect(lng).toBeCloseTo(at(2000, 0)[0], 9);
    expect(lat).toBeCloseTo(at(2000, 0)[1], 9);
  });

  it('keeps its place when other fences change, and needs a leader and a circle', () => {
    const engine = new GeofenceEngine();
    engine.setFences([escort()]);
    engine.evaluate([pos('leader', 3000, 0, t)]);
    engine.upsert(fence('z', {}));
    expect(engine.dynamicCenter('escort')![0]).toBeCloseTo(at(3000, 0)[0], 9);
    expect(() => engine.upsert({ ...escort(), followVehicleId: undefined })).toThrow(/followVehicleId/);
    expect(() => engine.upsert({ ...escort(), geometry: ZONE })).toThrow(/circle/);
  });
});

describe('predictive fences', () => {
  const t = utc('2026-11-23T12:00:00Z');
  // heading east at 36 km/h (10 m/s) along y = 50, towards the zone x 0..100 starting 500 m ahead
  const drive = (vehicleId: string, fromX: number, seconds: number, extra: Partial<Position> = {}) =>
    Array.from({ length: seconds }, (_, i) => pos(vehicleId, fromX + i * 10, 50, t + i * 1000, { speed: 36, heading: 90, ...extra }));

  it('announces one predicted_enter per approach, with eta and confidence, then the enter', () => {
    const engine = new GeofenceEngine();
    engine.setFences([fence('p', { kind: 'predictive', windowMinutes: 1, confidenceThreshold: 0.5 })]);
    const events = live(engine, drive('v', -700, 100));
    const predicted = events.filter((e) => e.type === 'predicted_enter');
    expect(predicted).toHaveLength(1);
    const p = predicted[0]!;
    // window 60 s: the zone is 700 m away at first (70 s), so the first chance is within 60 s
    expect(p.etaSeconds).toBeGreaterThan(0);
    expect(p.etaSeconds).toBeLessThanOrEqual(60);
    const x = -700 + ((p.at - t) / 1000) * 10;
    expect(Math.abs(p.etaSeconds! - -x / 10)).toBeLessThanOrEqual(1);
    expect(p.confidence).toBeGreaterThanOrEqual(0.5);
    expect(p.confidence).toBeLessThanOrEqual(1);
    expect(brief(events.filter((e) => e.type !== 'predicted_enter'))).toEqual(['enter p v', 'exit p v']);
    expect(events.indexOf(p)).toBeLessThan(events.findIndex((e) => e.type === 'enter'));
  });

  it('a steady approach is surer than an erratic one; poor accuracy lowers confidence', () => {
    const history = (headings: number[], speeds: number[]) => {
      const h = new MotionHistory();
      headings.forEach((heading, i) => h.add(t + i * 1000, speeds[i]!, heading));
      return h.stability(t + headings.length * 1000);
    };
    const steady = history([90, 90, 91, 89, 90], [36, 36, 37, 35, 36]);
    const erratic = history([60, 120, 70, 130, 90], [20, 60, 25, 55, 36]);
    expect(steady.heading).toBeGreaterThan(0.9);
    expect(steady.speed).toBeGreaterThan(0.9);
    expect(erratic.heading).toBeLessThan(steady.heading);
    expect(erratic.speed).toBeLessThan(steady.speed);
    expect(history([90, 90], [36, 36])).toEqual({ heading: 0.5, speed: 0.5 }); // too little evidence
    expect(confidence(1, 1, 5, 10, 60)).toBeGreaterThan(confidence(1, 1, 80, 10, 60));
    expect(confidence(1, 1, 5, 10, 60)).toBeGreaterThan(confidence(1, 1, 5, 50, 60));
    expect(confidence(1, 1, null, 0, 60)).toBe(0.9);
  });

  it('waits for enough evidence before announcing at a high threshold', () => {
    const engine = new GeofenceEngine();
    engine.setFences([fence('p', { kind: 'predictive', windowMinutes: 1, confidenceThreshold: 0.5 })]);
    const events = live(engine, drive('v', -400, 10));
    // judged at 0 s (one sample: too little evidence), then every 3 s while it holds its course
    expect(events.map((e) => `${e.type}@${(e.at - t) / 1000}`)).toEqual(['predicted_enter@3']);
  });

  it('forgets an approach the vehicle turns away from, and announces the next one', () => {
    const engine = new GeofenceEngine();
    engine.setFences([fence('p', { kind: 'predictive', windowMinutes: 1, confidenceThreshold: 0 })]);
    const towards = (i: number) => pos('v', -300, 50, t + i * 1000, { speed: 36, heading: 90 });
    const away = (i: number) => pos('v', -300, 50, t + i * 1000, { speed: 36, heading: 270 });
    const events = live(engine, [towards(0), towards(1), away(2), towards(3)]);
    expect(events.map((e) => `${e.type}@${(e.at - t) / 1000}`)).toEqual(['predicted_enter@0', 'predicted_enter@3']);
  });

  it('follows the assigned route around a corner the heading alone would miss', () => {
    // route: east along y = -500 to x = 50, then north through the zone
    const route = [at(-1000, -500), at(50, -500), at(50, 1000)];
    const facts = (id: string): VehicleFacts | undefined => (id === 'bus' ? { type: 'bus', attributes: {}, route } : undefined);
    const engine = new GeofenceEngine({ vehicleFacts: facts });
    engine.setFences([fence('p', { kind: 'predictive', windowMinutes: 2, confidenceThreshold: 0.3 })]);
    const onRoad = (id: string) => [0, 1, 2, 3].map((i) => pos(id, -400 + i * 10, -500, t + i * 1000, { speed: 36, heading: 90 }));
    const bus = live(engine, onRoad('bus')).filter((e) => e.type === 'predicted_enter');
    const car = live(engine, onRoad('car')).filter((e) => e.type === 'predicted_enter');
    expect(bus).toHaveLength(1);
    expect(bus[0]!.etaSeconds).toBeGreaterThan(85); // 450 m east + 500 m north at 10 m/s ≈ 95 s
    expect(bus[0]!.etaSeconds).toBeLessThan(100);
    expect(car).toHaveLength(0);
  });

  it('is still an ordinary fence: replayed positions give the same events as live ones', () => {
    const defs = [fence('p', { kind: 'predictive', windowMinutes: 1, confidenceThreshold: 0.2 })];
    const a = new GeofenceEngine();
    a.setFences(defs);
    const b = new GeofenceEngine();
    b.setFences(defs);
    const positions = drive('v', -800, 120);
    expect(brief(a.evaluate([...positions].reverse()))).toEqual(brief(live(b, positions)));
  });
});
