import { describe, expect, it } from 'vitest';
import { buildRoadGraph } from '../graph/build';
import { latOf, lngOf, randomGrid, seg } from '../graph/fixtures';
import { computeLandmarks } from './landmarks';
import { RoadRouter } from './route';

describe('ALT landmarks', () => {
  it('are far apart and hold exact costs both ways', () => {
    const rows = [];
    for (let i = 0; i < 20; i++) rows.push(seg([[i, 0], [i + 1, 0]], { oneway: i === 5 ? 1 : 0 }));
    const g = buildRoadGraph(rows).graph;
    const lm = computeLandmarks(g, 2)!;
    expect(lm.count).toBe(2);
    const ends = [lm.nodes[0]!, lm.nodes[1]!].map((n) => Math.round((g.nodeLng[n]! - 10) * 1000)).sort((a, b) => a - b);
    expect(ends).toEqual([0, 20]); // the two ends of the street
    const at0 = lm.nodes[0] === ends[0] ? 0 : 1;
    const west = lm.nodes[at0]!;
    const east = lm.nodes[1 - at0]!;
    // West → east is possible (the one-way stretch runs eastwards), east → west is not.
    expect(lm.from[0][at0]![east]).toBeCloseTo(g.segLengthM.reduce((a, b) => a + b, 0), 0);
    expect(lm.to[0][at0]![east]).toBe(Infinity);
    expect(lm.from[0][1 - at0]![west]).toBe(Infinity);
    expect(lm.from[1][at0]![east]).toBeCloseTo(g.segDurationS.reduce((a, b) => a + b, 0), 1);
  });

  it('prove a destination on a separate piece of network unreachable without expanding anything', () => {
    const rows = [];
    for (let i = 0; i < 60; i++) rows.push(seg([[i, 0], [i + 1, 0]]));
    rows.push(seg([[0, 5], [1, 5]]));
    const from = { label: 'from', lng: lngOf(30.5), lat: latOf(0) };
    const to = { label: 'to', lng: lngOf(0.5), lat: latOf(5) };
    const withLandmarks = new RoadRouter(buildRoadGraph(rows).graph);
    expect(withLandmarks.route([from, to], { optimize: 'time' })).toMatchObject({ ok: false, error: { code: 'UNREACHABLE' } });
    expect(withLandmarks.lastSettled).toBe(0);
    const without = new RoadRouter(buildRoadGraph(rows).graph, 0);
    expect(without.route([from, to], { optimize: 'time' })).toMatchObject({ ok: false, error: { code: 'UNREACHABLE' } });
    expect(without.lastSettled).toBeGreaterThan(50);
  });

  it('settle fewer nodes than the straight-line bound alone for time', () => {
    const rows = randomGrid(25, 9, 0.2, 0.05);
    const a = new RoadRouter(buildRoadGraph(rows).graph);
    const b = new RoadRouter(buildRoadGraph(rows).graph, 0);
    let withLm = 0;
    let without = 0;
    for (let i = 0; i < 20; i++) {
      const points = [
        { label: 'from', lng: lngOf(i % 5), lat: latOf(i) },
        { label: 'to', lng: lngOf(24 - (i % 7)), lat: latOf(24 - i) },
      ];
      const ra = a.route(points, { optimize: 'time' });
      withLm += a.lastSettled;
      const rb = b.route(points, { optimize: 'time' });
      without += b.lastSettled;
      expect(ra.ok && ra.route.properties.durationS).toBeCloseTo(rb.ok ? rb.route.properties.durationS : NaN, 1);
    }
    expect(withLm).toBeLessThan(without * 0.7);
  });
});
