import { describe, expect, it } from 'vitest';
import { destination } from '../../geofence/geometry';
import type { Position } from '../../protocol/position';
import type { RouteDto } from '../../protocol/routes';
import { AssignedRoutes } from '../assigned-routes';
import { RouteProgress } from './route-progress';

const START = { lng: 13.4, lat: 52.5 };
const east = (m: number, north = 0) => {
  const [lng, lat] = destination(START.lng, START.lat, m, 90);
  const [l2, la2] = destination(lng, lat, north, 0);
  return { lng: l2, lat: la2 };
};
const route = (vehicleIds: string[]): RouteDto => ({
  type: 'Feature',
  id: 'r1',
  geometry: { type: 'LineString', coordinates: [[east(0).lng, east(0).lat], [east(5000).lng, east(5000).lat]] },
  properties: { name: 'Long road', color: '#2563eb', attributes: {}, stops: [], lengthM: 5000, vehicleIds, createdAt: '', updatedAt: '' },
});
let clock = 1_800_000_000_000;
const fix = (m: number, north = 0): Position => ({ tenantId: 't1', vehicleId: 'v1', ...east(m, north), ts: (clock += 1200), speed: 30, heading: 90, accuracy: 5, altitude: null, battery: null, attributes: null }) as Position;

describe('RouteProgress', () => {
  const setUp = () => {
    const routes = new AssignedRoutes();
    const progress = new RouteProgress({ routes, tenantOf: () => 't1', graphOf: () => null, lastPositionOf: () => null, options: { offRouteMeters: 100, stoppedAfterS: 60 } });
    const recorded: string[] = [];
    routes.onReassigned((ids) => recorded.push(...progress.reassigned(ids).map((e) => e.type)));
    routes.load([route(['v1'])]);
    return { routes, progress, recorded };
  };

  it('tells dashboards only what changed enough: status, 1 % of progress, 30 s of ETA', () => {
    const { progress } = setUp();
    progress.observe([fix(0)]);
    expect(progress.due()).toHaveLength(1);
    progress.observe([fix(10), fix(20)]); // 0.4 %: nothing to tell
    expect(progress.due()).toEqual([]);
    progress.observe([fix(60)]); // 1.2 % since last told
    expect(progress.due().map((d) => d.progress?.progress)).toEqual([expect.closeTo(0.012, 3)]);
    const events = progress.observe([fix(80, 300)]);
    expect(events).toMatchObject([{ type: 'route.deviated', aggregateId: 'v1', data: { routeId: 'r1', routeName: 'Long road', deviationMeters: expect.closeTo(300, 0) } }]);
    expect(progress.due()).toMatchObject([{ progress: { status: 'OFF_ROUTE', distanceFromRouteM: expect.closeTo(300, 0) } }]);
  });

  it('unassigning an off-route vehicle ends the deviation (system) and tells dashboards it has no route', () => {
    const { routes, progress, recorded } = setUp();
    progress.observe([fix(0), fix(50, 400)]);
    progress.due();
    routes.set(route([]));
    expect(recorded).toEqual(['route.rejoined']);
    expect(progress.due()).toEqual([{ vehicleId: 'v1', progress: null }]);
  });
});
