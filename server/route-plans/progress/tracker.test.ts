import { describe, expect, it } from 'vitest';
import { destination as destinationLngLat } from '../../geofence/geometry';
import { RouteTrack } from './route-track';
import { BACK_ON_ROUTE_SHARE, ProgressTracker, progressOf, type Fix } from './tracker';

const at = (p: { lng: number; lat: number }, meters: number, bearing: number) => {
  const [lng, lat] = destinationLngLat(p.lng, p.lat, meters, bearing);
  return { lng, lat };
};

// An L-shaped route in Berlin: 1 km east along 52.5° N, then 1 km north (vertices every 100 m).
const START = { lng: 13.4, lat: 52.5 };
const CORNER = at(START, 1000, 90);
const END = at(CORNER, 1000, 0);
const L_LINE: Array<[number, number]> = [];
for (let m = 0; m < 1000; m += 100) L_LINE.push(toPair(at(START, m, 90)));
for (let m = 0; m <= 1000; m += 100) L_LINE.push(toPair(at(CORNER, m, 0)));

function toPair(p: { lng: number; lat: number }): [number, number] {
  return [p.lng, p.lat];
}

let clock = 1_800_000_000_000;
const fix = (p: { lng: number; lat: number }, fields: Partial<Fix> = {}): Fix => ({ vehicleId: 'v1', lng: p.lng, lat: p.lat, ts: (clock += 10_000), speed: 36, heading: null, accuracy: 5, ...fields });

/** A point `along` meters along the L route (and `off` meters to its left). */
const onL = (along: number, off = 0) => {
  const p = along <= 1000 ? at(START, along, 90) : at(CORNER, along - 1000, 0);
  return off ? at(p, off, along <= 1000 ? 0 : 270) : p;
};

const setUp = (line: Array<[number, number]> = L_LINE, stops: Array<{ name: string; position: [number, number] }> = []) => {
  const tracker = new ProgressTracker({ offRouteMeters: 100, stoppedAfterS: 60 });
  const track = new RouteTrack('r1', line, stops);
  tracker.assign('v1', track, clock);
  return { tracker, track, state: () => tracker.get('v1')! };
};

describe('RouteTrack', () => {
  it('measures along the line and places stops in order', () => {
    const track = new RouteTrack('r1', L_LINE, [{ name: 'corner', position: toPair(at(CORNER, 20, 180)) }, { name: 'end', position: toPair(END) }]);
    expect(track.lengthM).toBeCloseTo(2000, -1);
    expect(track.stops.map((s) => Math.round(s.alongM))).toEqual([1000, 2000]);
    expect(track.totalTimeS).toBeCloseTo(2000 / (30 / 3.6), -1);
    // the road network's speeds: 72 km/h on the first leg, none known on the second (the last one known)
    track.setSpeeds((lng) => (lng < CORNER.lng - 1e-6 ? 20 : null), 'graph');
    expect(track.timeAt(1000)).toBeCloseTo(50, 0);
    expect(track.totalTimeS).toBeCloseTo(100, 0);
    expect(track.timesFrom).toBe('graph');
  });
});

describe('ProgressTracker', () => {
  it('follows a vehicle along the route: progress rises to 1, the ETA falls, then COMPLETED', () => {
    const { tracker, state } = setUp();
    const seen: Array<{ progress: number; etaS: number }> = [];
    for (let m = 0; m <= 2000; m += 100) {
      tracker.observe([fix(onL(m, 8))]); // 100 m per 10 s: 36 km/h, 8 m beside the line
      seen.push(progressOf(state()));
    }
    expect(seen[0]!.progress).toBeCloseTo(0, 2);
    expect(seen[10]!.progress).toBeCloseTo(0.5, 2);
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i]!.progress).toBeGreaterThanOrEqual(seen[i - 1]!.progress);
      expect(seen[i]!.etaS).toBeLessThanOrEqual(seen[i - 1]!.etaS);
    }
    expect(state().status).toBe('COMPLETED');
    expect(seen.at(-1)).toMatchObject({ progress: 1, etaS: 0 });
    // halfway, at 36 km/h (the profile's 30 km/h scaled by the pace learnt): ≈ 1000 m / 10 m/s
    expect(seen[10]!.etaS).toBeGreaterThan(80);
    expect(seen[10]!.etaS).toBeLessThan(125);
  });

  it('follows a route that drives the same street out and back in order', () => {
    // 1 km east, then back west on the same street
    const line: Array<[number, number]> = [];
    for (let m = 0; m <= 1000; m += 50) line.push(toPair(at(START, m, 90)));
    for (let m = 950; m >= 0; m -= 50) line.push(toPair(at(START, m, 90)));
    const { tracker, state } = setUp(line);
    const alongs: number[] = [];
    for (let m = 0; m <= 1000; m += 50) {
      tracker.observe([fix(at(START, m, 90), { heading: 90, ts: (clock += 5000) })]);
      alongs.push(state().alongM);
    }
    for (let m = 950; m >= 0; m -= 50) {
      tracker.observe([fix(at(START, m, 90), { heading: 270, ts: (clock += 5000) })]);
      alongs.push(state().alongM);
    }
    for (let i = 1; i < alongs.length; i++) expect(alongs[i]!, `fix ${i}`).toBeGreaterThan(alongs[i - 1]!);
    expect(state().status).toBe('COMPLETED');
  });

  it('follows a loop whose start and end are the same place, and a street driven twice far apart', () => {
    // A square loop of 4 × 500 m back to the start, then the first side once more.
    const a = START;
    const b = at(a, 500, 90);
    const c = at(b, 500, 0);
    const d = at(c, 500, 270);
    const line = [a, b, c, d, a, at(a, 250, 90), b].map(toPair);
    const { tracker, state } = setUp(line);
    tracker.observe([fix(a, { speed: 0 })]);
    expect(state().alongM).toBeCloseTo(0, 0); // not the end of the loop
    expect(state().status).toBe('IDLE');
    const corners = [b, c, d, a];
    for (const corner of corners) {
      tracker.observe([fix(corner)]);
    }
    expect(state().alongM).toBeCloseTo(2000, -1); // back at the start: the second time by
    expect(state().status).toBe('IN_TRANSIT');
    tracker.observe([fix(at(a, 250, 90))]);
    expect(state().alongM).toBeCloseTo(2250, -1); // the first side again, not its first pass
    tracker.observe([fix(b)]);
    expect(state().status).toBe('COMPLETED');
  });

  it('goes off route beyond the distance and back on only well inside it; deviated and rejoined once each', () => {
    const { tracker, state } = setUp();
    expect(tracker.observe([fix(onL(500, 20)), fix(onL(520, 95))])).toEqual([]);
    const off = tracker.observe([fix(onL(540, 300))]);
    expect(off).toMatchObject([{ kind: 'deviated', deviationMeters: expect.closeTo(300, 0) as number, routeId: 'r1' }]);
    expect(state().status).toBe('OFF_ROUTE');
    const alongWhenOff = state().alongM;
    // jitter at 98–104 m and 80 m (above 3/4 of 100) changes nothing, nor progress
    expect(tracker.observe([fix(onL(560, 98)), fix(onL(580, 104)), fix(onL(600, 80))])).toEqual([]);
    expect(state().alongM).toBe(alongWhenOff);
    const back = tracker.observe([fix(onL(620, 100 * BACK_ON_ROUTE_SHARE - 5))]);
    expect(back).toMatchObject([{ kind: 'rejoined', maxDeviationMeters: expect.closeTo(300, 0) as number, reason: 'back_on_route' }]);
    expect(state().status).toBe('IN_TRANSIT');
    expect(state().alongM).toBeCloseTo(620, -1);
  });

  it('vague and late fixes move nothing and flip nothing', () => {
    const { tracker, state } = setUp();
    tracker.observe([fix(onL(800))]);
    expect(tracker.observe([fix(onL(100), { accuracy: 150 }), fix(onL(900, 500), { accuracy: 150 })])).toEqual([]);
    expect(state().alongM).toBeCloseTo(800, 0);
    expect(state().status).toBe('IN_TRANSIT');
    const late = fix(onL(600, 500), { ts: clock - 60_000 });
    expect(tracker.observe([late])).toEqual([]);
    expect(state().status).toBe('IN_TRANSIT');
    expect(tracker.observe([{ ...fix(onL(0)), vehicleId: 'v2' }])).toEqual([]);
  });

  it('IDLE before starting, STOPPED after standing still long enough, stops reached in order', () => {
    const { tracker, state } = setUp(L_LINE, [
      { name: 'A', position: toPair(onL(400, 10)) },
      { name: 'B', position: toPair(onL(1500, 10)) },
    ]);
    tracker.observe([fix(onL(0), { speed: 0 })]);
    expect(state().status).toBe('IDLE');
    expect(progressOf(state()).nextStop).toMatchObject({ index: 0, name: 'A' });
    const reached = tracker.observe([fix(onL(200)), fix(onL(400))]);
    expect(reached).toMatchObject([{ kind: 'stop_reached', stopIndex: 0, stopName: 'A' }]);
    expect(progressOf(state()).nextStop).toMatchObject({ index: 1, name: 'B' });
    expect(progressOf(state()).nextStop!.remainingM).toBeCloseTo(1100, -1);
    tracker.observe([fix(onL(400), { speed: 0, ts: (clock += 1000) })]);
    expect(state().status).toBe('IN_TRANSIT'); // still, but only just
    tracker.observe([fix(onL(402), { speed: 0, ts: (clock += 61_000) })]);
    expect(state().status).toBe('STOPPED');
    const end = tracker.observe([fix(onL(1500)), fix(onL(1990))]);
    expect(end.map((t) => t.kind)).toEqual(['stop_reached', 'completed']);
  });

  it('a route changed under an off-route vehicle ends its deviation; a restore keeps an open one open', () => {
    const { tracker } = setUp();
    tracker.observe([fix(onL(300)), fix(onL(400, 400))]);
    expect(tracker.assign('v1', null, clock)).toMatchObject([{ kind: 'rejoined', reason: 'route_changed' }]);
    expect(tracker.get('v1')).toBeUndefined();

    const track = new RouteTrack('r1', L_LINE);
    // the log says a deviation is open; the last fix is still off: nothing new
    expect(tracker.restore('v1', track, fix(onL(400, 400)), { deviatedSince: clock - 5000, stopsReached: 0, completed: false })).toEqual([]);
    expect(tracker.get('v1')!.status).toBe('OFF_ROUTE');
    // the log says open, the last fix is back on: rejoined
    expect(tracker.restore('v1', track, fix(onL(400, 10)), { deviatedSince: clock - 5000, stopsReached: 0, completed: false })).toMatchObject([{ kind: 'rejoined' }]);
    // nothing open, the fix off: deviated (it was never recorded)
    expect(tracker.restore('v1', track, fix(onL(400, 400)), { deviatedSince: null, stopsReached: 0, completed: false })).toMatchObject([{ kind: 'deviated' }]);
  });
});
