import { describe, expect, it } from 'vitest';
import type { Prisma } from '../db/database';
import { createLogger } from '../log';
import type { Position } from '../protocol/position';
import { MovementSegmenter, SEGMENT_STATE_VERSION, type SegmentOptions, type Segments, type SegmentState } from './segment';
import { HistoryService } from './service';
import { spheroidMeters } from './spheroid';

const T0 = Date.UTC(2026, 11, 1, 8, 0, 0);
const LAT = 39.29;
/** Metres per degree of longitude at LAT on WGS 84 (close enough to place fixes). */
const M_PER_DEG = spheroidMeters(-76.6, LAT, -76.5, LAT) / 0.1;

/** A little script of a vehicle's day: park for s seconds, drive m metres at kmh, every `every` s. */
class Day {
  readonly fixes: Position[] = [];
  private ts = T0;
  private lng = -76.6;
  constructor(private readonly every = 10, private readonly vehicleId = 'v1') {}
  private push(speed: number | null, attributes: Record<string, unknown> | null = null) {
    this.fixes.push({ tenantId: 't', vehicleId: this.vehicleId, lat: LAT, lng: this.lng, ts: this.ts, speed, heading: 90, accuracy: 5, altitude: null, battery: null, attributes });
  }
  park(seconds: number, attributes: Record<string, unknown> | null = null) {
    if (this.fixes.length === 0) this.push(0, attributes);
    for (let t = this.every; t <= seconds; t += this.every) {
      this.ts += this.every * 1000;
      this.push(0, attributes);
    }
    return this;
  }
  drive(meters: number, kmh: number) {
    if (this.fixes.length === 0) this.push(0);
    const step = (kmh / 3.6) * this.every;
    for (let done = step; done <= meters + 1e-6; done += step) {
      this.ts += this.every * 1000;
      this.lng += step / M_PER_DEG;
      this.push(kmh);
    }
    return this;
  }
  silence(seconds: number) {
    this.ts += seconds * 1000;
    return this;
  }
  jitter(meters: number, kmh: number) {
    this.ts += this.every * 1000;
    this.lng += meters / M_PER_DEG;
    this.push(kmh);
    this.ts += this.every * 1000;
    this.lng -= meters / M_PER_DEG;
    this.push(0);
    return this;
  }
}

function segment(fixes: Position[], close = true): Segments {
  const s = new MovementSegmenter({ stopMinS: 300, movingKmh: 5, minTripM: 200, maxGapS: 900 }, () => 'driver-1');
  const out: Segments = { trips: [], stops: [] };
  for (const p of fixes) s.observe(p, out);
  if (close) s.closeAll(out);
  return out;
}

describe('distance on the spheroid', () => {
  it('one degree of longitude on the equator is 111,319.49 m on WGS 84 (a sphere says 111,195)', () => {
    expect(spheroidMeters(0, 0, 1, 0)).toBeCloseTo(111_319.491, 2);
    expect(spheroidMeters(0, 0, 0, 1)).toBeCloseTo(110_574.389, 1);
    expect(spheroidMeters(10, 50, 10, 50)).toBe(0);
  });
});

describe('movement trips and stops', () => {
  it('park, drive, park, drive, park: two journeys between three stops with their distance, time and speed', () => {
    const day = new Day().park(600).drive(5000, 36).park(900).drive(2000, 72).park(600);
    const { trips, stops } = segment(day.fixes);
    expect(trips).toHaveLength(2);
    expect(stops).toHaveLength(3);
    const [a, b] = trips;
    expect(a!.distanceM).toBeCloseTo(5000, -1);
    expect(a!.drivingS).toBe(510); // 50 intervals moving, and the one in which it came to rest
    expect(a!.idleS).toBe(0);
    expect(a!.avgSpeedKmh).toBeCloseTo((5000 / 510) * 3.6, 0);
    expect(a!.maxSpeedKmh).toBe(36);
    expect(a!.startTs).toBe(T0 + 600_000);
    expect(a!.endTs).toBe(T0 + 1_100_000 + 10_000); // came to rest at the first fix standing
    expect(a!.driverId).toBe('driver-1');
    expect(b!.distanceM).toBeCloseTo(2000, -1);
    expect(b!.maxSpeedKmh).toBe(72);
    // Stops sit between the journeys, end to end.
    expect(stops[0]).toMatchObject({ startTs: T0, endTs: a!.startTs });
    expect(stops[1]).toMatchObject({ startTs: a!.endTs, endTs: b!.startTs, lng: a!.endLng });
    expect(stops[2]!.startTs).toBe(b!.endTs);
  });

  it('a pause shorter than a stop is idle time within the journey', () => {
    const day = new Day().park(600).drive(3000, 36).park(120).drive(3000, 36).park(600);
    const { trips, stops } = segment(day.fixes);
    expect(trips).toHaveLength(1);
    expect(trips[0]!.idleS).toBe(110); // the first standing fix still counts the drive to it
    expect(trips[0]!.distanceM).toBeCloseTo(6000, -1);
    expect(stops).toHaveLength(2);
  });

  it('GPS drift while parked never makes a journey', () => {
    const day = new Day().park(600).jitter(40, 14).park(300).jitter(60, 9).park(600);
    const { trips, stops } = segment(day.fixes);
    expect(trips).toEqual([]);
    expect(stops).toHaveLength(1);
    expect(stops[0]!.endTs - stops[0]!.startTs).toBe((600 + 20 + 300 + 20 + 600) * 1000);
  });

  it('a journey needs its minimum distance but keeps its start once it has it', () => {
    const day = new Day().park(600).drive(150, 20).park(600).drive(400, 20).park(600);
    const { trips } = segment(day.fixes);
    expect(trips).toHaveLength(1);
    expect(trips[0]!.distanceM).toBeCloseTo(389, -1); // 7 fixes of 55.6 m
  });

  it('the ignition off is not motion, whatever the speed says', () => {
    const fixes = new Day().park(300).drive(2000, 40).fixes.map((p, i) => (i > 0 ? { ...p, attributes: { ignition: false } } : p));
    expect(segment(fixes).trips).toEqual([]);
  });

  it('a silence longer than the gap ends the journey at its last fix', () => {
    const day = new Day().park(600).drive(3000, 36);
    const lastFix = day.fixes.at(-1)!;
    day.silence(3600).drive(3000, 36).park(600);
    const { trips, stops } = segment(day.fixes);
    expect(trips).toHaveLength(2);
    expect(trips[0]!.endTs).toBe(lastFix.ts);
    expect(stops.some((s) => s.startTs === lastFix.ts)).toBe(true);
  });

  it('without speeds, the speed between fixes decides', () => {
    const fixes = new Day().park(600).drive(3000, 36).park(600).fixes.map((p) => ({ ...p, speed: null }));
    const { trips } = segment(fixes);
    expect(trips).toHaveLength(1);
    expect(trips[0]!.maxSpeedKmh).toBeCloseTo(36, 0);
  });

  it('positions at or before the last one are ignored; vehicles are independent', () => {
    const a = new Day(10, 'a').park(600).drive(3000, 36).park(600).fixes;
    const b = new Day(10, 'b').park(300).drive(5000, 50).park(600).fixes;
    const mixed: Position[] = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (a[i]) mixed.push(a[i]!, a[i]!);
      if (b[i]) mixed.push(b[i]!);
      if (i > 2 && a[i - 2]) mixed.push(a[i - 2]!);
    }
    const { trips } = segment(mixed);
    expect(trips.map((t) => [t.vehicleId, Math.round(t.distanceM / 100)])).toEqual(expect.arrayContaining([['a', 30], ['b', 50]]));
    expect(trips).toHaveLength(2);
  });

  it('an open journey is not emitted until it ends (live), and closeAll ends it at the last fix (rebuild)', () => {
    const fixes = new Day().park(600).drive(3000, 36).fixes;
    expect(segment(fixes, false).trips).toEqual([]);
    expect(segment(fixes, true).trips[0]!.endTs).toBe(fixes.at(-1)!.ts);
  });
});

describe('open state across a restart (exportState / importState)', () => {
  const OPTIONS: SegmentOptions = { stopMinS: 300, movingKmh: 5, minTripM: 200, maxGapS: 900 };
  const fresh = () => new MovementSegmenter(OPTIONS, () => 'driver-1');

  /**
   * Feeds `fixes` up to `cut` into one segmenter, exports its state through JSON (as the
   * database stores it), imports it into a new segmenter, feeds the rest there and closes it.
   * Returns what each part emitted, and both together.
   */
  function across(fixes: Position[], cut: number): { before: Segments; after: Segments; all: Segments; saved: Array<{ vehicleId: string; state: SegmentState }> } {
    const before: Segments = { trips: [], stops: [] };
    const a = fresh();
    for (const p of fixes.slice(0, cut)) a.observe(p, before);
    const saved = JSON.parse(JSON.stringify(a.exportState())) as Array<{ vehicleId: string; state: SegmentState }>;
    const after: Segments = { trips: [], stops: [] };
    const b = fresh();
    for (const { vehicleId, state } of saved) expect(b.importState(vehicleId, state)).toBe(true);
    for (const p of fixes.slice(cut)) b.observe(p, after);
    b.closeAll(after);
    return { before, after, all: { trips: [...before.trips, ...after.trips], stops: [...before.stops, ...after.stops] }, saved };
  }

  /** Journeys, a short pause, a long stop with drift, a silence longer than the gap. */
  const busyDay = () =>
    new Day().park(600).drive(3000, 36).park(120).drive(2000, 36).park(900).jitter(40, 14).park(300).drive(1500, 50).silence(1200).drive(1000, 40).park(600).fixes;

  it('a journey spanning the cut: one journey, exactly as without the restart', () => {
    const fixes = new Day().park(600).drive(5000, 36).park(600).fixes;
    const whole = segment(fixes);
    expect(whole.trips).toHaveLength(1);
    const cut = fixes.findIndex((p) => p.ts > whole.trips[0]!.startTs + 200_000); // 200 s into the journey
    const { before, after, all, saved } = across(fixes, cut);
    expect(saved[0]!.state.trip).not.toBeNull();
    expect(before.trips).toEqual([]);
    expect(after.trips).toHaveLength(1);
    expect(all).toEqual(whole);
    expect(after.trips[0]!.distanceM).toBeCloseTo(5000, -1);
  });

  it('a stop spanning the cut: one stop, exactly as without the restart', () => {
    const fixes = new Day().park(600).drive(3000, 36).park(1800).drive(2000, 36).park(600).fixes;
    const whole = segment(fixes);
    const long = whole.stops.find((s) => s.endTs - s.startTs >= 1_700_000)!;
    const cut = fixes.findIndex((p) => p.ts > long.startTs + 900_000); // mid-stop
    const { before, after, all, saved } = across(fixes, cut);
    expect(saved[0]!.state.stop).toMatchObject({ ts: long.startTs });
    expect(before.stops.some((s) => s.startTs === long.startTs)).toBe(false);
    expect(after.stops.filter((s) => s.startTs === long.startTs)).toEqual([long]);
    expect(all).toEqual(whole);
  });

  it('wherever the cut falls (moving, pausing, drifting, silent), the result is the same as one segmenter', () => {
    const fixes = busyDay();
    const whole = segment(fixes);
    expect(whole.trips.length).toBeGreaterThanOrEqual(3);
    for (let cut = 1; cut < fixes.length; cut++) expect(across(fixes, cut).all, `cut at fix ${cut}`).toEqual(whole);
  });

  it('several vehicles interleaved: each continues its own', () => {
    const a = new Day(10, 'a').park(600).drive(3000, 36).park(600).fixes;
    const b = new Day(10, 'b').park(300).drive(5000, 50).park(900).drive(1000, 30).park(600).fixes;
    const mixed: Position[] = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (a[i]) mixed.push(a[i]!);
      if (b[i]) mixed.push(b[i]!);
    }
    const whole = segment(mixed);
    for (const cut of [50, 120, 200, 333]) expect(across(mixed, cut).all).toEqual(whole);
  });

  it('the state is plain JSON of a versioned shape', () => {
    const s = fresh();
    const out: Segments = { trips: [], stops: [] };
    for (const p of new Day().park(600).drive(1000, 36).park(60).fixes) s.observe(p, out);
    const [{ vehicleId, state }] = s.exportState() as [{ vehicleId: string; state: SegmentState }];
    expect(vehicleId).toBe('v1');
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
    expect(state).toMatchObject({ version: SEGMENT_STATE_VERSION, tenantId: 't', stop: null, trip: { driverId: 'driver-1', pause: { ts: expect.any(Number) } } });
    expect(Object.keys(state).sort()).toEqual(['last', 'stop', 'tenantId', 'trip', 'version']);
  });

  it('exports copies, and only the vehicles `include` picks by their last fix time', () => {
    const s = fresh();
    const out: Segments = { trips: [], stops: [] };
    const a = new Day(10, 'a').park(600).drive(1000, 36).fixes;
    const b = new Day(10, 'b').park(600).fixes;
    for (const p of [...a, ...b]) s.observe(p, out);
    const first = s.exportState();
    const savedTs = new Map(first.map((x) => [x.vehicleId, x.state.last.ts]));
    const snapshot = JSON.stringify(first);
    s.observe({ ...a.at(-1)!, ts: a.at(-1)!.ts + 10_000, lng: a.at(-1)!.lng + 0.001 }, out);
    expect(JSON.stringify(first)).toBe(snapshot); // the exported state did not move with the vehicle
    const changed = s.exportState((id, lastTs) => savedTs.get(id) !== lastTs);
    expect(changed.map((x) => x.vehicleId)).toEqual(['a']);
    expect(s.exportState((id, lastTs) => savedTs.get(id) !== lastTs && id !== 'a')).toEqual([]);
  });

  it('refuses what it does not read, and never replaces a vehicle fed since start', () => {
    const s = fresh();
    const out: Segments = { trips: [], stops: [] };
    for (const p of new Day().park(600).drive(1000, 36).fixes) s.observe(p, out);
    const [{ state }] = s.exportState() as [{ vehicleId: string; state: SegmentState }];
    const b = fresh();
    expect(b.importState('x', { ...state, version: 2 })).toBe(false);
    expect(b.importState('x', { ...state, last: { ts: 'yesterday', lng: 0, lat: 0 } })).toBe(false);
    expect(b.importState('x', { ...state, trip: null, stop: null })).toBe(false);
    expect(b.importState('x', { ...state, trip: { ...state.trip!, distanceM: null } })).toBe(false);
    expect(b.importState('x', null)).toBe(false);
    expect(b.importState('x', '{}')).toBe(false);
    expect(b.vehicles).toBe(0);
    b.observe({ tenantId: 't', vehicleId: 'v1', lat: LAT, lng: -76.6, ts: T0 + 86_400_000, speed: 0, heading: null, accuracy: null, altitude: null, battery: null, attributes: null }, out);
    expect(b.importState('v1', state)).toBe(false);
    expect(b.exportState()[0]!.state.last.ts).toBe(T0 + 86_400_000);
  });

  it('a state older than the gap before the next fix ends what was under way at its last fix (the gap rule, nothing special)', () => {
    const first = new Day().park(600).drive(3000, 36);
    const lastFix = first.fixes.at(-1)!;
    const cut = first.fixes.length;
    // The server was down 20 minutes (HISTORY_MAX_GAP_MINUTES is 15): the vehicle drove on meanwhile.
    const fixes = first.silence(1200).drive(2000, 36).park(600).fixes;
    const whole = segment(fixes);
    const { before, after, all, saved } = across(fixes, cut);
    expect(saved[0]!.state.trip).not.toBeNull();
    expect(before.trips).toEqual([]);
    expect(all).toEqual(whole);
    expect(after.trips).toHaveLength(2);
    expect(after.trips[0]).toMatchObject({ startTs: T0 + 600_000, endTs: lastFix.ts });
    expect(after.trips[0]!.distanceM).toBeCloseTo(3000, -1);
    expect(after.stops.some((s) => s.startTs === lastFix.ts)).toBe(true);
    expect(after.trips[1]!.startTs).toBeGreaterThan(lastFix.ts);
  });
});

describe('HistoryService: journeys under way across a restart (a stand-in database)', () => {
  const OPTIONS: SegmentOptions = { stopMinS: 300, movingKmh: 5, minTripM: 200, maxGapS: 900 };

  /**
   * Recognises the statements that matter here: the open states (history_open_segments, kept
   * in a map) and the journeys written (vehicle_trips). The SQL itself runs against PostgreSQL
   * in test/integration/history-store.test.ts.
   */
  function fakeDatabase() {
    const table = new Map<string, { tenantId: string; state: unknown }>();
    const log: string[] = [];
    const trips: Array<{ vehicleId: string; startTs: number; endTs: number; distanceM: number }> = [];
    const prisma = {
      $queryRaw: async (strings: TemplateStringsArray) => {
        const text = strings.join('?');
        if (!text.includes('DELETE FROM history_open_segments')) return [];
        log.push('take');
        const rows = [...table].map(([vehicleId, r]) => ({ vehicleId, tenantId: r.tenantId, state: r.state }));
        table.clear();
        return rows;
      },
      $executeRaw: async (strings: TemplateStringsArray, ...values: unknown[]) => {
        const text = strings.join('?');
        if (text.includes('INSERT INTO history_open_segments')) {
          const [tenants, vehicles, states] = values as [string[], string[], string[]];
          log.push(`save ${vehicles.join(',')}`);
          vehicles.forEach((v, i) => table.set(v, { tenantId: tenants[i]!, state: JSON.parse(states[i]!) }));
        } else if (text.includes('INSERT INTO vehicle_trips')) {
          const v = values as number[][];
          log.push('trips');
          v[0]!.forEach((vehicleId, i) => trips.push({ vehicleId: String(vehicleId), startTs: v[1]![i]!, endTs: v[2]![i]!, distanceM: v[11]![i]! }));
        }
        return 0;
      },
    };
    return { prisma: prisma as unknown as Prisma, table, log, trips };
  }

  const service = (prisma: Prisma) => new HistoryService(prisma, { log: createLogger('silent', false), segment: OPTIONS, driverOf: () => 'driver-1', checkpointMs: 3_600_000 });

  it('stop saves what is under way, start takes it back and empties the table: one journey; checkpoints write only what changed', async () => {
    const db = fakeDatabase();
    const fixes = new Day(10, 'a').park(600).drive(6000, 36).park(600).fixes;
    const parked = new Day(10, 'b').park(600).fixes;
    const whole = segment(fixes);
    const cut = fixes.findIndex((p) => p.ts > whole.trips[0]!.startTs + 300_000);

    const first = service(db.prisma);
    await first.start();
    first.stage.observe([...parked, ...fixes.slice(0, cut - 5)]);
    expect(await first.checkpoint()).toBe(2);
    expect(await first.checkpoint()).toBe(0); // nothing changed: no statement
    first.stage.observe(fixes.slice(cut - 5, cut));
    expect(await first.checkpoint()).toBe(1); // only the vehicle that moved
    first.stage.observe(fixes.slice(cut, cut + 1));
    await first.stop();
    expect(db.log).toEqual(['take', 'save b,a', 'save a', 'save a']);
    expect((db.table.get('a')!.state as SegmentState).last.ts).toBe(fixes[cut]!.ts);

    const second = service(db.prisma);
    await second.start();
    expect(db.table.size).toBe(0);
    second.stage.observe(fixes.slice(cut + 1));
    await second.flush();
    expect(db.trips).toEqual([{ vehicleId: 'a', startTs: whole.trips[0]!.startTs, endTs: whole.trips[0]!.endTs, distanceM: whole.trips[0]!.distanceM }]);
    expect(db.trips[0]!.distanceM).toBeCloseTo(6000, -1);
    // The restored states count as unsaved: the next checkpoint writes them all again.
    expect(await second.checkpoint()).toBe(2);
    await second.stop();
  });

  it('a checkpoint writes the journeys derived up to that moment before the states', async () => {
    const db = fakeDatabase();
    const s = service(db.prisma);
    await s.start();
    s.stage.observe(new Day(10, 'a').park(600).drive(3000, 36).park(600).fixes);
    await s.checkpoint();
    expect(db.log).toEqual(['take', 'trips', 'save a']);
    await s.stop();
  });
});
