import { describe, expect, it } from 'vitest';
import { destination as destinationLngLat } from '../geofence/geometry';
import type { Position } from '../protocol/position';
import type { RouteDto } from '../protocol/routes';
import { AssignedRoutes } from './assigned-routes';
import { BACK_ON_ROUTE_SHARE, OffRouteTracker } from './off-route';
import { RouteLine } from './route-distance';

const destination = (lng: number, lat: number, meters: number, bearing: number) => {
  const [toLng, toLat] = destinationLngLat(lng, lat, meters, bearing);
  return { lng: toLng, lat: toLat };
};

// An L-shaped route in Berlin: 1 km east along 52.5° N, then 1 km north.
const START = { lng: 13.4, lat: 52.5 };
const CORNER = destination(START.lng, START.lat, 1000, 90);
const END = destination(CORNER.lng, CORNER.lat, 1000, 0);
const LINE: Array<[number, number]> = [[START.lng, START.lat], [CORNER.lng, CORNER.lat], [END.lng, END.lat]];
const route = (vehicleIds: string[], coordinates = LINE): RouteDto => ({
  type: 'Feature',
  id: 'r1',
  geometry: { type: 'LineString', coordinates },
  properties: { name: 'r1', color: '#2563eb', attributes: {}, lengthM: 2000, vehicleIds, createdAt: '', updatedAt: '' },
});

let clock = 1_800_000_000_000;
const fix = (vehicleId: string, at: { lng: number; lat: number }, fields: Partial<Position> = {}): Position => ({
  tenantId: 't1', vehicleId, lng: at.lng, lat: at.lat, ts: (clock += 1000), speed: 30, heading: 90, accuracy: 5, altitude: null, battery: null, attributes: null, ...fields,
});
/** `meters` north (bearing 0) or south (180) of a point 500 m along the first leg. */
const besideFirstLeg = (meters: number, bearing = 0) => {
  const onLine = destination(START.lng, START.lat, 500, 90);
  return destination(onLine.lng, onLine.lat, meters, bearing);
};

describe('RouteLine', () => {
  it('measures the distance to the nearest segment, within the radius asked for', () => {
    const line = new RouteLine(LINE);
    expect(line.distanceWithin(START.lng, START.lat, 10)).toBeCloseTo(0, 6);
    expect(line.distanceWithin(besideFirstLeg(80).lng, besideFirstLeg(80).lat, 100)).toBeCloseTo(80, 0);
    expect(line.distanceWithin(besideFirstLeg(80, 180).lng, besideFirstLeg(80, 180).lat, 100)).toBeCloseTo(80, 0);
    expect(line.distanceWithin(besideFirstLeg(150).lng, besideFirstLeg(150).lat, 100)).toBe(Infinity);
    // beyond the end of the route: to its last point
    const past = destination(END.lng, END.lat, 60, 0);
    expect(line.distanceWithin(past.lng, past.lat, 100)).toBeCloseTo(60, 0);
    // the inside of the corner is near both legs, the outside only near the corner
    const outside = destination(CORNER.lng, CORNER.lat, 90, 135);
    expect(line.distanceWithin(outside.lng, outside.lat, 100)).toBeCloseTo(90, 0);
  });
});

describe('OffRouteTracker', () => {
  const setUp = () => {
    const routes = new AssignedRoutes();
    const tracker = new OffRouteTracker(routes, 100);
    routes.load([route(['v1'])]);
    return { routes, tracker };
  };

  it('goes off beyond the distance, back on only well inside it, without flapping on jitter', () => {
    const { tracker } = setUp();
    expect(tracker.observe([fix('v1', besideFirstLeg(20)), fix('v1', besideFirstLeg(95))])).toEqual([]);
    expect(tracker.observe([fix('v1', besideFirstLeg(110))])).toMatchObject([{ vehicleId: 'v1', offRoute: true }]);
    expect(tracker.isOff('v1')).toBe(true);
    // jitter around the line at 100 m changes nothing, nor does 80 m (above 3/4 of 100)
    expect(tracker.observe([fix('v1', besideFirstLeg(98)), fix('v1', besideFirstLeg(104)), fix('v1', besideFirstLeg(80))])).toEqual([]);
    expect(tracker.observe([fix('v1', besideFirstLeg(100 * BACK_ON_ROUTE_SHARE - 5))])).toMatchObject([{ vehicleId: 'v1', offRoute: false }]);
  });

  it('ignores vague and late fixes, and vehicles without a route', () => {
    const { tracker } = setUp();
    expect(tracker.observe([fix('v1', besideFirstLeg(500), { accuracy: 150 })])).toEqual([]);
    const late = fix('v1', besideFirstLeg(500), { ts: clock - 60_000 });
    expect(tracker.observe([fix('v1', besideFirstLeg(10)), late])).toEqual([]);
    expect(tracker.observe([fix('v2', { lng: 0, lat: 0 })])).toEqual([]);
    expect(tracker.isOff('v2')).toBe(false);
  });

  it('judges again where the vehicle is when its route changes or goes', () => {
    const { routes, tracker } = setUp();
    const last = new Map<string, { lng: number; lat: number; ts: number }>([['v1', { ...besideFirstLeg(300), ts: 1 }], ['v2', { ...besideFirstLeg(320), ts: 1 }]]);
    const changes: unknown[] = [];
    routes.onReassigned((ids) => changes.push(...tracker.reassigned(ids, (id) => last.get(id) ?? null)));
    tracker.observe([fix('v1', besideFirstLeg(300))]);
    expect(tracker.isOff('v1')).toBe(true);
    // the route is moved next to where v1 is, and v2 joins it: v1 is back on, v2 stays on
    const shifted = LINE.map(([lng, lat]): [number, number] => [lng, lat + 300 / 111_195]);
    routes.set(route(['v1', 'v2'], shifted));
    expect(changes).toMatchObject([{ vehicleId: 'v1', offRoute: false }]);
    // v1 wanders off, then the route is deleted: no route, not off route
    tracker.observe([fix('v1', besideFirstLeg(900))]);
    routes.drop('r1');
    expect(changes.at(-1)).toMatchObject({ vehicleId: 'v1', offRoute: false });
    expect(tracker.isOff('v1')).toBe(false);
  });
});
