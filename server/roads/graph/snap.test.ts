import { describe, expect, it } from 'vitest';
import { buildRoadGraph } from './build';
import { latOf, lngOf, random, randomGrid, seg } from './fixtures';
import { haversineMeters } from './geo';
import { snapToNetwork } from './snap';

describe('snapToNetwork', () => {
  const { graph } = buildRoadGraph([
    seg([
      [0, 0],
      [2, 0],
      [2, 2],
    ]),
    seg([
      [5, 0],
      [5, 3],
    ]),
  ]);

  it('projects onto the nearest point of the polyline, not its end points', () => {
    const snap = snapToNetwork(graph, lngOf(2.1), latOf(1), 500)!;
    expect(snap.segment).toBe(0);
    expect(snap.vertex).toBe(1);
    expect(snap.t).toBeCloseTo(0.5, 6);
    expect(snap.lng).toBeCloseTo(lngOf(2), 9);
    expect(snap.lat).toBeCloseTo(latOf(1), 9);
    expect(snap.distanceM).toBeCloseTo(haversineMeters(lngOf(2.1), latOf(1), lngOf(2), latOf(1)), 1);
    // 2 steps of ≈71.5 m along x, then 1 of ≈111.2 m up: the share before the point.
    const first = 2 * 71.5;
    expect(snap.fraction).toBeCloseTo((first + 111.2) / (first + 222.4), 2);
  });

  it('picks the nearer of two segments', () => {
    expect(snapToNetwork(graph, lngOf(4), latOf(1), 500)!.segment).toBe(1);
    expect(snapToNetwork(graph, lngOf(3), latOf(1), 500)!.segment).toBe(0);
  });

  it('says exactly when a point is at a segment end', () => {
    const end = snapToNetwork(graph, lngOf(2), latOf(2), 500)!;
    expect(end.fraction).toBe(1);
    expect(end.t).toBe(1);
    const start = snapToNetwork(graph, lngOf(-0.5), latOf(0), 500)!;
    expect(start.fraction).toBe(0);
  });

  it('finds nothing beyond the maximum snap distance', () => {
    // ≈ 111 m north of the segment at y = 0.
    expect(snapToNetwork(graph, lngOf(1), latOf(-1), 100)).toBeNull();
    expect(snapToNetwork(graph, lngOf(1), latOf(-1), 150)).not.toBeNull();
    expect(snapToNetwork(graph, 0, 0, 500)).toBeNull();
    expect(snapToNetwork(buildRoadGraph([]).graph, lngOf(0), latOf(0), 500)).toBeNull();
  });

  it('agrees with a scan of every segment on random points of a grid', () => {
    const g = buildRoadGraph(randomGrid(15, 7)).graph;
    const rnd = random(11);
    for (let i = 0; i < 150; i++) {
      const lng = lngOf(rnd() * 16 - 0.5);
      const lat = latOf(rnd() * 16 - 0.5);
      const snap = snapToNetwork(g, lng, lat, 5000)!;
      let best = Infinity;
      for (let s = 0; s < g.segmentCount; s++) {
        for (let j = g.coordStart[s]!; j + 3 < g.coordStart[s + 1]!; j += 2) {
          // Dense sampling of the piece: the exact nearest distance within a few centimeters.
          for (let k = 0; k <= 100; k++) {
            const t = k / 100;
            const x = g.coords[j]! + t * (g.coords[j + 2]! - g.coords[j]!);
            const y = g.coords[j + 1]! + t * (g.coords[j + 3]! - g.coords[j + 1]!);
            best = Math.min(best, haversineMeters(lng, lat, x, y));
          }
        }
      }
      expect(snap.distanceM).toBeLessThanOrEqual(best + 0.01);
      expect(snap.distanceM).toBeGreaterThan(best - 1.2);
    }
  });
});
