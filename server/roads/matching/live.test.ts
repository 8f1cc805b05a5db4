import { describe, expect, it } from 'vitest';
import type { Position } from '../../protocol/position';
import { buildRoadGraph, type RoadGraph } from '../graph/build';
import { latOf, lngOf, seg } from '../graph/fixtures';
import { LiveMapMatching } from './live';

const T0 = 1_700_000_000_000;
const at = (vehicleId: string, x: number, y: number, ts: number, tenantId = 't1'): Position => ({
  tenantId, vehicleId, lng: lngOf(x), lat: latOf(y), ts, speed: 50, heading: null, accuracy: 5, altitude: null, battery: null, attributes: null,
});

describe('LiveMapMatching', () => {
  const { graph } = buildRoadGraph([
    seg([[0, 0], [10, 0]], { id: 11, name: 'Elm Street', class: 'residential', maxspeedKmh: 40 }),
    seg([[10, 0], [10, 10]], { id: 12, ref: 'A 1', class: 'motorway', maxspeedKmh: 100 }),
  ]);
  const graphs = new Map<string, RoadGraph>([['t1', graph]]);

  it('keeps the road of each vehicle’s latest position, only for tenants with a graph', () => {
    const live = new LiveMapMatching((tenantId) => graphs.get(tenantId) ?? null);
    live.observe([at('a', 1, 0.01, T0), at('b', 10.01, 2, T0), at('c', 1, 0, T0, 't2')]);
    // One fix is only the nearest road: not enough to judge a speed by.
    expect(live.roadOf('a')).toBeNull();
    live.observe([at('a', 2, 0.01, T0 + 5000), at('b', 10.01, 3, T0 + 5000)]);
    expect(live.roadOf('a')).toEqual({ segmentId: 11, name: 'Elm Street', ref: null, class: 'residential', limitKmh: 40 });
    expect(live.roadOf('b')).toMatchObject({ segmentId: 12, ref: 'A 1', limitKmh: 100 });
    expect(live.roadOf('c')).toBeNull();
    expect(live.latest('a')).toMatchObject({ segmentId: 11, at: T0 + 5000 });
    expect(live.latest('a')!.lat).toBeCloseTo(latOf(0), 6);
    expect(live.tracked).toBe(2);
    // Off the network: unmatched, not an error.
    live.observe([at('a', 5, 5, T0 + 10_000)]);
    expect(live.roadOf('a')).toBeNull();
    live.forget('a');
    expect(live.latest('a')).toBeNull();
  });
});

describe('LiveMapMatching.restore', () => {
  const { graph } = buildRoadGraph([seg([[0, 0], [10, 0]], { id: 11, name: 'Elm Street', class: 'residential', maxspeedKmh: 40 })]);
  it('rebuilds a vehicle’s track from its last committed positions, so the first fix after a restart is not a track start', () => {
    const live = new LiveMapMatching(() => graph);
    live.restore([at('a', 1, 0.01, T0), at('a', 2, 0.01, T0 + 5000)]);
    expect(live.positions).toBe(0);
    expect(live.roadOf('a')).toMatchObject({ segmentId: 11 });
    // Older positions arriving again after the restart are late: ignored.
    live.observe([at('a', 2, 0.01, T0 + 5000), at('a', 3, 0.01, T0 + 10_000)]);
    expect(live.latest('a')).toMatchObject({ segmentId: 11, at: T0 + 10_000 });
  });
});
