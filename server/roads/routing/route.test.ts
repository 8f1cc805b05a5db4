import { describe, expect, it } from 'vitest';
import { buildRoadGraph, type RoadGraph } from '../graph/build';
import { latOf, lngOf, random, randomGrid, seg } from '../graph/fixtures';
import { haversineMeters } from '../graph/geo';
import { snapToNetwork } from '../graph/snap';
import type { RoadSegmentRow } from '../graph/types';
import { RoadRouter, type RouteFeature, type RoutePoint, type RouteResult } from './route';

const STEP_X = haversineMeters(lngOf(0), latOf(0), lngOf(1), latOf(0));
const STEP_Y = haversineMeters(lngOf(0), latOf(0), lngOf(0), latOf(1));

const at = (label: string, x: number, y: number): RoutePoint => ({ label, lng: lngOf(x), lat: latOf(y) });
const router = (rows: RoadSegmentRow[], landmarks?: number) => new RoadRouter(buildRoadGraph(rows).graph, landmarks);
function ok(result: RouteResult): RouteFeature {
  if (!result.ok) throw new Error(`expected a route, got ${JSON.stringify(result.error)}`);
  return result.route;
}
/** The route's line in grid units, rounded. */
const gridLine = (route: RouteFeature) =>
  route.geometry.coordinates.map(([lng, lat]) => [Math.round((lng - 10) * 1e5) / 100, Math.round((lat - 50) * 1e5) / 100]);

describe('routing on a line of streets', () => {
  const line = router([
    seg([[0, 0], [1, 0]], { name: 'Main Street' }),
    seg([[1, 0], [2, 0]], { name: 'Main Street' }),
    seg([[2, 0], [2.5, 0.5], [3, 0]], { name: 'Main Street', ref: 'MD 2' }),
    seg([[3, 0], [4, 0]], { name: 'Oak Lane' }),
    seg([[4, 0], [5, 0]]),
  ]);

  it('starts and ends mid-segment, paying only the parts driven', () => {
    const route = ok(line.route([at('from', 0.5, 0.1), at('to', 1.5, -0.1)], { optimize: 'distance' }));
    expect(route.properties.distanceM).toBeCloseTo(STEP_X, 0);
    expect(gridLine(route)).toEqual([[0.5, 0], [1, 0], [1.5, 0]]);
    expect(route.properties.snapped.map((s) => s.label)).toEqual(['from', 'to']);
    expect(route.properties.snapped[0]!.distanceM).toBeCloseTo(STEP_Y / 10, 0);
  });

  it('follows the geometry of each segment, kinks included, in the direction driven', () => {
    const route = ok(line.route([at('from', 3.5, 0), at('to', 1.5, 0)], { optimize: 'distance' }));
    expect(gridLine(route)).toEqual([[3.5, 0], [3, 0], [2.5, 0.5], [2, 0], [1.5, 0]]);
  });

  it('merges consecutive segments of one street into one step, split where name or ref change', () => {
    const route = ok(line.route([at('from', 0, 0), at('to', 5, 0)], { optimize: 'time' }));
    const steps = route.properties.steps;
    expect(steps.map((s) => [s.name, s.ref])).toEqual([
      ['Main Street', null],
      ['Main Street', 'MD 2'],
      ['Oak Lane', null],
      [null, null],
    ]);
    expect(steps[0]!.distanceM).toBeCloseTo(2 * STEP_X, 0);
    const sum = steps.reduce((a, s) => a + s.distanceM, 0);
    expect(sum).toBeCloseTo(route.properties.distanceM, 0);
    expect(steps.reduce((a, s) => a + s.durationS, 0)).toBeCloseTo(route.properties.durationS, 0);
    // Residential default 30 km/h.
    expect(route.properties.durationS).toBeCloseTo(route.properties.distanceM / (30 / 3.6), 0);
  });

  it('visits vias in order, turning back where a via lies behind', () => {
    const route = ok(line.route([at('from', 0.5, 0), at('via[0]', 1.5, 0), at('to', 1.0, 0)], { optimize: 'distance' }));
    expect(route.properties.distanceM).toBeCloseTo(1.5 * STEP_X, 0);
    expect(gridLine(route)).toEqual([[0.5, 0], [1, 0], [1.5, 0], [1, 0]]);
    expect(route.properties.snapped.map((s) => s.label)).toEqual(['from', 'via[0]', 'to']);
    const other = ok(line.route([at('from', 0.5, 0), at('via[0]', 1.0, 0), at('to', 1.5, 0)], { optimize: 'distance' }));
    expect(other.properties.distanceM).toBeCloseTo(STEP_X, 0);
  });

  it('routes a point to itself as a route of length zero', () => {
    const route = ok(line.route([at('from', 0.5, 0), at('to', 0.5, 0)], { optimize: 'time' }));
    expect(route.properties.distanceM).toBe(0);
    expect(route.geometry.coordinates).toHaveLength(2);
    expect(route.properties.steps).toEqual([]);
  });

  it('names the point that is off the network', () => {
    const far = at('via[1]', 2, 10); // ≈ 1.1 km north
    const result = line.route([at('from', 0, 0), at('via[0]', 1, 0), far, at('to', 3, 0)], { optimize: 'time', maxSnapM: 500 });
    expect(result).toMatchObject({ ok: false, error: { code: 'OFF_NETWORK', point: 'via[1]', maxSnapM: 500 } });
    expect(line.route([at('from', 0, 0), far], { optimize: 'time', maxSnapM: 2000 }).ok).toBe(true);
  });
});

describe('one-way streets', () => {
  // A block: the bottom street runs one way, left to right; the others both ways.
  const block = (oneway: 1 | -1) =>
    router([
      seg([[0, 0], [1, 0]], { oneway, name: 'Bottom' }),
      seg([[1, 0], [1, 1]], { name: 'Right' }),
      seg([[1, 1], [0, 1]], { name: 'Top' }),
      seg([[0, 1], [0, 0]], { name: 'Left' }),
    ]);

  it('drives a one-way street only in its direction (oneway=1)', () => {
    const r = block(1);
    const along = ok(r.route([at('from', 0.25, 0), at('to', 0.75, 0)], { optimize: 'distance' }));
    expect(along.properties.distanceM).toBeCloseTo(0.5 * STEP_X, 0);
    const against = ok(r.route([at('from', 0.75, 0), at('to', 0.25, 0)], { optimize: 'distance' }));
    // Forward to the corner, around the block, back onto the street.
    expect(gridLine(against)).toEqual([[0.75, 0], [1, 0], [1, 1], [0, 1], [0, 0], [0.25, 0]]);
    expect(against.properties.distanceM).toBeCloseTo(0.25 * STEP_X + STEP_Y + STEP_X + STEP_Y + 0.25 * STEP_X, 0);
    expect(against.properties.steps.map((s) => s.name)).toEqual(['Bottom', 'Right', 'Top', 'Left', 'Bottom']);
  });

  it('drives oneway=-1 only against the line direction', () => {
    const r = block(-1);
    const along = ok(r.route([at('from', 0.75, 0), at('to', 0.25, 0)], { optimize: 'distance' }));
    expect(along.properties.distanceM).toBeCloseTo(0.5 * STEP_X, 0);
    const against = ok(r.route([at('from', 0.25, 0), at('to', 0.75, 0)], { optimize: 'distance' }));
    expect(gridLine(against)).toEqual([[0.25, 0], [0, 0], [0, 1], [1, 1], [1, 0], [0.75, 0]]);
  });

  it('leaves a one-way street towards the end the traffic flows to', () => {
    const r = block(1);
    const route = ok(r.route([at('from', 0.5, 0), at('to', 0, 0.5)], { optimize: 'distance' }));
    // Not left along Bottom (forbidden) but right, up, across and down.
    expect(gridLine(route)[1]).toEqual([1, 0]);
    expect(route.properties.distanceM).toBeCloseTo(0.5 * STEP_X + STEP_Y + STEP_X + 0.5 * STEP_Y, 0);
  });

  it('reports a destination that no path reaches as unreachable, naming the leg', () => {
    // A one-way spur into a dead end: in, but not out.
    const r = router([seg([[0, 0], [1, 0]]), seg([[1, 0], [2, 0]], { oneway: 1 }), seg([[3, 0], [4, 0]])]);
    expect(r.route([at('from', 0.5, 0), at('to', 1.5, 0)], { optimize: 'time' }).ok).toBe(true);
    expect(r.route([at('from', 0.5, 0), at('via[0]', 1.5, 0), at('to', 0.2, 0)], { optimize: 'time' })).toMatchObject({
      ok: false,
      error: { code: 'UNREACHABLE', from: 'via[0]', to: 'to' },
    });
    // A separate piece of network.
    expect(r.route([at('from', 0.5, 0), at('to', 3.5, 0)], { optimize: 'distance' })).toMatchObject({ ok: false, error: { code: 'UNREACHABLE', from: 'from', to: 'to' } });
  });
});

describe('optimize', () => {
  // Straight residential street vs a longer detour on a fast primary road.
  const r = router([
    seg([[0, 0], [2, 0]], { name: 'Short Street', maxspeedKmh: 30 }),
    seg([[2, 0], [4, 0]], { name: 'Short Street', maxspeedKmh: 30 }),
    seg([[0, 0], [0, 2]], { name: 'Fast Road', class: 'primary', maxspeedKmh: 90 }),
    seg([[0, 2], [4, 2]], { name: 'Fast Road', class: 'primary', maxspeedKmh: 90 }),
    seg([[4, 2], [4, 0]], { name: 'Fast Road', class: 'primary', maxspeedKmh: 90 }),
  ]);

  it('takes the shortest path for distance and the quickest for time', () => {
    const byDistance = ok(r.route([at('from', 0, 0), at('to', 4, 0)], { optimize: 'distance' }));
    const byTime = ok(r.route([at('from', 0, 0), at('to', 4, 0)], { optimize: 'time' }));
    expect(byDistance.properties.steps.map((s) => s.name)).toEqual(['Short Street']);
    expect(byTime.properties.steps.map((s) => s.name)).toEqual(['Fast Road']);
    expect(byDistance.properties.distanceM).toBeLessThan(byTime.properties.distanceM);
    expect(byTime.properties.durationS).toBeLessThan(byDistance.properties.durationS);
    expect(byTime.properties.durationS).toBeCloseTo((4 * STEP_Y + 4 * STEP_X) / 25, 0);
    expect(byTime.properties.optimize).toBe('time');
  });
});

/** Plain Dijkstra over the graph's arcs from node to node (the reference). */
function referenceCost(g: RoadGraph, from: number, to: number, cost: Float64Array): number {
  const dist = new Float64Array(g.nodeCount).fill(Infinity);
  const done = new Uint8Array(g.nodeCount);
  dist[from] = 0;
  for (;;) {
    let u = -1;
    for (let n = 0; n < g.nodeCount; n++) if (!done[n] && dist[n]! < Infinity && (u < 0 || dist[n]! < dist[u]!)) u = n;
    if (u < 0) return Infinity;
    if (u === to) return dist[u]!;
    done[u] = 1;
    for (let a = g.firstArc[u]!; a < g.firstArc[u + 1]!; a++) {
      const v = g.arcHead[a]!;
      dist[v] = Math.min(dist[v]!, dist[u]! + cost[g.arcSegDir[a]! >> 1]!);
    }
  }
}

/** The rows with the segment under each point cut in two there, so the point becomes a node. */
function splitAt(rows: RoadSegmentRow[], g: RoadGraph, points: { lng: number; lat: number }[]): RoadSegmentRow[] {
  let out = rows.slice();
  for (const p of points) {
    const snap = snapToNetwork(g, p.lng, p.lat, 5000)!;
    const id = g.segId[snap.segment]!;
    const i = out.findIndex((r) => r.id === id);
    const row = out[i]!;
    const flat = row.coords as number[];
    const cut = [snap.lng, snap.lat];
    const head = [...flat.slice(0, (snap.vertex + 1) * 2), ...cut];
    const tail = [...cut, ...flat.slice((snap.vertex + 1) * 2)];
    const length = g.segLengthM[snap.segment]!;
    out = [
      ...out.slice(0, i),
      { ...row, id: id * 1000 + 1, coords: head, lengthM: snap.fraction * length },
      { ...row, id: id * 1000 + 2, coords: tail, lengthM: (1 - snap.fraction) * length },
      ...out.slice(i + 1),
    ];
  }
  return out;
}

describe.each([
  ['landmarks (ALT)', undefined],
  ['straight-line heuristic only', 0],
])('agreement with a plain Dijkstra on random grids, %s', (_name, landmarks) => {
  it('finds node-to-node routes of the same cost, for distance and time', () => {
    for (const seed of [1, 2, 3]) {
      const rows = randomGrid(10, seed, 0.4, 0.15);
      const r = router(rows, landmarks);
      const g = r.graph;
      const rnd = random(seed * 97);
      for (let i = 0; i < 60; i++) {
        const a = Math.floor(rnd() * g.nodeCount);
        const b = Math.floor(rnd() * g.nodeCount);
        for (const optimize of ['distance', 'time'] as const) {
          const expected = referenceCost(g, a, b, optimize === 'time' ? g.segDurationS : g.segLengthM);
          const result = r.route(
            [
              { label: 'from', lng: g.nodeLng[a]!, lat: g.nodeLat[a]! },
              { label: 'to', lng: g.nodeLng[b]!, lat: g.nodeLat[b]! },
            ],
            { optimize },
          );
          if (expected === Infinity) {
            expect(result).toMatchObject({ ok: false, error: { code: 'UNREACHABLE' } });
          } else {
            const route = ok(result);
            const got = optimize === 'time' ? route.properties.durationS : route.properties.distanceM;
            expect(got).toBeCloseTo(expected, 0);
          }
        }
      }
    }
  });

  it('prices partial first and last segments like a graph cut at those points', () => {
    for (const seed of [4, 5, 6]) {
      const rows = randomGrid(9, seed, 0.4, 0.1);
      const r = router(rows, landmarks);
      const rnd = random(seed * 31);
      for (let i = 0; i < 25; i++) {
        const from = { label: 'from', lng: lngOf(rnd() * 8), lat: latOf(rnd() * 8) };
        const to = { label: 'to', lng: lngOf(rnd() * 8), lat: latOf(rnd() * 8) };
        const sf = snapToNetwork(r.graph, from.lng, from.lat, 5000)!;
        const st = snapToNetwork(r.graph, to.lng, to.lat, 5000)!;
        if (sf.segment === st.segment) continue;
        const cut = router(splitAt(rows, r.graph, [from, to]));
        const a = snapToNetwork(cut.graph, sf.lng, sf.lat, 1)!;
        const b = snapToNetwork(cut.graph, st.lng, st.lat, 1)!;
        const nodeOf = (s: typeof a) => (s.fraction === 0 ? cut.graph.segFrom[s.segment]! : cut.graph.segTo[s.segment]!);
        expect([0, 1]).toContain(a.fraction);
        const expected = referenceCost(cut.graph, nodeOf(a), nodeOf(b), cut.graph.segLengthM);
        const result = r.route([from, to], { optimize: 'distance' });
        if (expected === Infinity) expect(result.ok).toBe(false);
        else expect(ok(result).properties.distanceM).toBeCloseTo(expected, 0);
      }
    }
  });
});
