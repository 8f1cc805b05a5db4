import { describe, expect, it } from 'vitest';
import type { RouteDto } from '../protocol/routes';
import { AssignedRoutes } from './assigned-routes';

const route = (id: string, vehicleIds: string[], x = 0): RouteDto => ({
  type: 'Feature',
  id,
  geometry: { type: 'LineString', coordinates: [[x, 0], [x + 1, 1]] },
  properties: { name: id, color: '#2563eb', attributes: {}, stops: [], lengthM: 1, vehicleIds, createdAt: '', updatedAt: '' },
});

describe('AssignedRoutes', () => {
  it('follows assignments, moves between routes and removals', () => {
    const routes = new AssignedRoutes();
    routes.load([route('a', ['v1', 'v2'], 0)]);
    expect(routes.routeOf('v1')).toEqual([[0, 0], [1, 1]]);
    // v2 moves to b: b is announced first, then a without it
    routes.set(route('b', ['v2'], 5));
    routes.set(route('a', ['v1'], 0));
    expect(routes.routeOf('v2')).toEqual([[5, 0], [6, 1]]);
    routes.drop('a');
    expect(routes.routeOf('v1')).toBeNull();
    expect(routes.routeOf('v2')).toEqual([[5, 0], [6, 1]]);
  });
});
