import { describe, expect, it } from 'vitest';
import { buildRoadGraph, graphBytes, segmentsNamed } from './build';
import { latOf, lngOf, seg } from './fixtures';
import { haversineMeters } from './geo';
import { DEFAULT_SPEED_KMH, FALLBACK_SPEED_KMH, speedKmh } from './speeds';
import { BACKWARD, FORWARD } from './types';

const outArcs = (g: ReturnType<typeof buildRoadGraph>['graph'], node: number) => {
  const out: { head: number; segment: number; dir: number }[] = [];
  for (let a = g.firstArc[node]!; a < g.firstArc[node + 1]!; a++) out.push({ head: g.arcHead[a]!, segment: g.arcSegDir[a]! >> 1, dir: g.arcSegDir[a]! & 1 });
  return out;
};

const nodeAt = (g: ReturnType<typeof buildRoadGraph>['graph'], x: number, y: number) => {
  for (let n = 0; n < g.nodeCount; n++) if (g.nodeLng[n] === lngOf(x) && g.nodeLat[n] === latOf(y)) return n;
  throw new Error(`no node at ${x},${y}`);
};

describe('buildRoadGraph', () => {
  it('makes one node per distinct segment end point, not per vertex', () => {
    const { graph } = buildRoadGraph([
      seg([
        [0, 0],
        [0.5, 0.2],
        [1, 0],
      ]),
      seg([
        [1, 0],
        [2, 0],
      ]),
      seg([
        [1, 0],
        [1, 1],
      ]),
    ]);
    expect(graph.nodeCount).toBe(4);
    expect(graph.segmentCount).toBe(3);
    const junction = nodeAt(graph, 1, 0);
    expect(outArcs(graph, junction).map((a) => a.head).sort()).toEqual([nodeAt(graph, 0, 0), nodeAt(graph, 2, 0), nodeAt(graph, 1, 1)].sort());
    // The kinked segment keeps its middle vertex as geometry only.
    expect(graph.coordStart[1]! - graph.coordStart[0]!).toBe(6);
  });

  it('does not join segments whose ends are merely close', () => {
    const { graph } = buildRoadGraph([
      seg([
        [0, 0],
        [1, 0],
      ]),
      seg([
        [1.000001, 0],
        [2, 0],
      ]),
    ]);
    expect(graph.nodeCount).toBe(4);
  });

  it('gives a two-way segment an arc each way and a one-way segment one arc', () => {
    const { graph } = buildRoadGraph([
      seg([
        [0, 0],
        [1, 0],
      ]),
      seg(
        [
          [1, 0],
          [2, 0],
        ],
        { oneway: 1 },
      ),
      seg(
        [
          [2, 0],
          [3, 0],
        ],
        { oneway: -1 },
      ),
    ]);
    expect(graph.arcCount).toBe(4);
    const [n0, n1, n2, n3] = [nodeAt(graph, 0, 0), nodeAt(graph, 1, 0), nodeAt(graph, 2, 0), nodeAt(graph, 3, 0)];
    expect(outArcs(graph, n0)).toEqual([{ head: n1, segment: 0, dir: FORWARD }]);
    expect(outArcs(graph, n1)).toEqual(expect.arrayContaining([{ head: n0, segment: 0, dir: BACKWARD }, { head: n2, segment: 1, dir: FORWARD }]));
    expect(outArcs(graph, n2)).toEqual([]); // oneway 1 cannot be driven back, oneway -1 only runs 3 → 2
    expect(outArcs(graph, n3)).toEqual([{ head: n2, segment: 2, dir: BACKWARD }]);
  });

  it('takes coordinates as pairs or flat, and computes missing lengths', () => {
    const flat = seg([
      [0, 0],
      [1, 0],
    ]);
    const pairs = { ...flat, coords: [
      [lngOf(0), latOf(0)],
      [lngOf(1), latOf(0)],
    ] as [number, number][] };
    const a = buildRoadGraph([flat]).graph;
    const b = buildRoadGraph([pairs]).graph;
    expect(Array.from(b.coords)).toEqual(Array.from(a.coords));
    expect(a.segLengthM[0]).toBeCloseTo(haversineMeters(lngOf(0), latOf(0), lngOf(1), latOf(0)), 6);
    const given = buildRoadGraph([{ ...flat, lengthM: 123 }]).graph;
    expect(given.segLengthM[0]).toBe(123);
  });

  it('derives travel time from the posted limit, else from the class default', () => {
    const { graph } = buildRoadGraph([
      seg([[0, 0], [1, 0]], { lengthM: 1000, class: 'primary', maxspeedKmh: 90 }),
      seg([[1, 0], [2, 0]], { lengthM: 1000, class: 'primary' }),
      seg([[2, 0], [3, 0]], { lengthM: 1000, class: 'something_new' }),
    ]);
    expect(graph.segDurationS[0]).toBeCloseTo(40, 9);
    expect(graph.segDurationS[1]).toBeCloseTo(1000 / (DEFAULT_SPEED_KMH.primary! / 3.6), 9);
    expect(graph.segDurationS[2]).toBeCloseTo(1000 / (FALLBACK_SPEED_KMH / 3.6), 9);
    expect(graph.maxSpeedMps).toBeCloseTo(25, 9);
    expect(speedKmh('residential', 999)).toBe(DEFAULT_SPEED_KMH.residential);
  });

  it('leaves out roads a car cannot use and degenerate lines', () => {
    const { graph, report } = buildRoadGraph([
      seg([[0, 0], [1, 0]]),
      seg([[1, 0], [2, 0]], { class: 'steps' }),
      { ...seg([[0, 0], [0, 1]]), coords: [lngOf(0), latOf(0)] },
    ]);
    expect(graph.segmentCount).toBe(1);
    expect(report).toEqual({ segments: 1, skippedNotDrivable: 1, skippedDegenerate: 1 });
  });

  it('keeps names, refs and classes in tables and finds segments by street name', () => {
    const { graph } = buildRoadGraph([
      seg([[0, 0], [1, 0]], { name: 'Main Street', ref: 'US 40', class: 'primary' }),
      seg([[1, 0], [2, 0]], { name: 'Main Street', class: 'primary' }),
      seg([[2, 0], [3, 0]], { name: 'Oak Lane' }),
      seg([[3, 0], [4, 0]]),
    ]);
    expect(graph.names).toEqual(['Main Street', 'Oak Lane']);
    expect(Array.from(graph.segName)).toEqual([0, 0, 1, -1]);
    expect(Array.from(graph.segRef)).toEqual([0, -1, -1, -1]);
    expect(graph.classes[graph.segClass[0]!]).toBe('primary');
    expect(segmentsNamed(graph, 'main street')).toEqual([0, 1]);
    expect(segmentsNamed(graph, 'Elm')).toEqual([]);
  });

  it('builds an empty graph from no rows and counts its bytes', () => {
    const { graph } = buildRoadGraph([]);
    expect(graph.nodeCount).toBe(0);
    expect(graphBytes(graph)).toBeGreaterThan(0);
  });

  it('merges many shared end points exactly (hash table growth)', () => {
    const rows = [];
    for (let i = 0; i < 3000; i++) rows.push(seg([[i, 0], [i + 1, 0]]));
    const { graph } = buildRoadGraph(rows);
    expect(graph.nodeCount).toBe(3001);
    expect(graph.arcCount).toBe(6000);
  });
});
