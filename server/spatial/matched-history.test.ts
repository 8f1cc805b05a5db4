import { describe, expect, it } from 'vitest';
import { buildRoadGraph } from '../roads/graph/build';
import { latOf, lngOf, seg } from '../roads/graph/fixtures';
import { MapMatcher } from '../roads/matching/matcher';
import { matchHistory } from './matched-history';
import { historyCollection } from './service';

describe('matchHistory', () => {
  it('snaps each position to its road, keeps the raw one, and draws the track along the roads', () => {
    const { graph } = buildRoadGraph([
      seg([[0, 0], [5, 0]], { id: 1, name: 'Elm Street', maxspeedKmh: 40 }),
      seg([[5, 0], [5, 5]], { id: 2, name: 'Oak Street' }),
      seg([[0, 3], [5, 3]], { id: 3, name: 'Far Street' }),
    ]);
    const t0 = 1_700_000_000_000;
    // Around the corner at (5, 0), 8 m off the roads; the corner itself is never reported.
    const pts: [number, number][] = [[1, 0.07], [3, 0.07], [4.6, 0.07], [5.1, 0.5], [5.1, 1.5]];
    const rows = pts.map(([x, y], i) => ({ ts: new Date(t0 + i * 10_000), lng: lngOf(x), lat: latOf(y), speed: 30, heading: null, battery: null, accuracy: 8, accel_x: null, accel_y: null, accel_z: null, gyro_x: null, gyro_y: null, gyro_z: null }));
    const raw = historyCollection('v1', t0, t0 + 60_000, rows, 100);
    const matched = matchHistory(raw, new MapMatcher(graph));
    const [track, ...points] = matched.features;
    expect(track.properties).toMatchObject({ kind: 'track', count: 5, matched: true, matchedCount: 5 });
    expect(points.map((p) => p.properties.road?.name)).toEqual(['Elm Street', 'Elm Street', 'Elm Street', 'Oak Street', 'Oak Street']);
    expect(points[0]!.properties.raw).toEqual([lngOf(1), latOf(0.07)]);
    expect(points[0]!.geometry.coordinates[1]).toBeCloseTo(latOf(0), 6);
    expect(points[0]!.properties.road).toMatchObject({ segmentId: 1, limitKmh: 40 });
    // The line goes through the corner node, and its length is the road distance.
    expect(track.geometry!.coordinates.some(([lng, lat]) => Math.abs(lng - lngOf(5)) < 1e-9 && Math.abs(lat - latOf(0)) < 1e-9)).toBe(true);
    expect(track.properties.lengthM).toBeCloseTo(4 * 71.5 + 1.5 * 111.2, -1);
    // The raw shape is untouched.
    expect(raw.features[1]!.properties.road).toBeUndefined();
  });
});
