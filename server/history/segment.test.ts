import { describe, expect, it } from 'vitest';
import type { Position } from '../protocol/position';
import { MovementSegmenter, type Segments } from './segment';
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
