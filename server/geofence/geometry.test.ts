import { describe, expect, it } from 'vitest';
import {
  BOUNDARY, circlePolygon, exactPip, circleSegments, compileShape, covers, destination, distanceToBoundary, expandBbox,
  haversineMeters, INSIDE, METERS_PER_DEGREE, OUTSIDE, pointInPolygons, segmentMeetsBoundary, segmentMeetsShape, segmentsIntersect,
  signedDistance, type FenceGeometry, type PolygonShape,
} from './geometry';

const poly = (...rings: number[][][]): FenceGeometry => ({ type: 'Polygon', coordinates: rings });
const shapeOf = (g: FenceGeometry) => compileShape(g) as PolygonShape;
const pip = (g: FenceGeometry, x: number, y: number) => pointInPolygons(shapeOf(g), x, y);

const square = poly([[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]);
const squareCw = poly([[0, 0], [0, 10], [10, 10], [10, 0], [0, 0]]);
// a U: the notch is x 3..7, y 3..10
const u = poly([[0, 0], [10, 0], [10, 10], [7, 10], [7, 3], [3, 3], [3, 10], [0, 10], [0, 0]]);
const withHole = poly([[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]], [[2, 2], [2, 8], [8, 8], [8, 2], [2, 2]]);
const islandInHole: FenceGeometry = {
  type: 'MultiPolygon',
  coordinates: [
    [[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]], [[2, 2], [8, 2], [8, 8], [2, 8], [2, 2]]],
    [[[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]]],
    [[[20, 20], [21, 20], [20.5, 21], [20, 20]]],
  ],
};

describe('covered test (PostGIS ST_Covers semantics)', () => {
  it('inside, outside, either orientation', () => {
    for (const g of [square, squareCw]) {
      expect(pip(g, 5, 5)).toBe(INSIDE);
      expect(pip(g, -1, 5)).toBe(OUTSIDE);
      expect(pip(g, 11, 5)).toBe(OUTSIDE);
      expect(pip(g, 5, 10.000001)).toBe(OUTSIDE);
    }
  });

  it('every vertex and every edge is boundary (covered)', () => {
    for (const [x, y] of [[0, 0], [10, 0], [10, 10], [0, 10], [5, 0], [10, 5], [5, 10], [0, 5], [0, 1e-300], [1e-9, 0]]) {
      expect(pip(square, x!, y!), `${x} ${y}`).toBe(BOUNDARY);
      expect(covers(compileShape(square), x!, y!)).toBe(true);
    }
  });

  it('points on the line of an edge but beyond it are outside; rays through vertices do not miscount', () => {
    expect(pip(square, 0, 12)).toBe(OUTSIDE);
    expect(pip(square, 12, 0)).toBe(OUTSIDE);
    expect(pip(square, -5, 10)).toBe(OUTSIDE); // same y as two vertices
    expect(pip(square, -5, 0)).toBe(OUTSIDE);
    const diamond = poly([[0, -5], [5, 0], [0, 5], [-5, 0], [0, -5]]);
    expect(pip(diamond, -7, 0)).toBe(OUTSIDE); // ray through two vertices
    expect(pip(diamond, 0, 0)).toBe(INSIDE);
    expect(pip(diamond, 4.999, 0)).toBe(INSIDE);
    expect(pip(diamond, 2.5, 2.5)).toBe(BOUNDARY); // exactly on a slanted edge (exact in binary)
    expect(pip(diamond, 2.5, 2.5000001)).toBe(OUTSIDE);
  });

  it('concave: the notch is outside, its edges are boundary', () => {
    expect(pip(u, 5, 8)).toBe(OUTSIDE);
    expect(pip(u, 5, 2)).toBe(INSIDE);
    expect(pip(u, 1.5, 9)).toBe(INSIDE);
    expect(pip(u, 5, 3)).toBe(BOUNDARY);
    expect(pip(u, 3, 6)).toBe(BOUNDARY);
    expect(pip(u, 5, 10)).toBe(OUTSIDE); // between the prongs' tops
    expect(pip(u, 7, 10)).toBe(BOUNDARY);
  });

  it('holes: inside a hole is outside, the hole boundary is covered', () => {
    expect(pip(withHole, 5, 5)).toBe(OUTSIDE);
    expect(pip(withHole, 1, 5)).toBe(INSIDE);
    expect(pip(withHole, 2, 5)).toBe(BOUNDARY);
    expect(pip(withHole, 8, 8)).toBe(BOUNDARY);
  });

  it('multipolygons: any part covers; an island inside a hole counts', () => {
    expect(pip(islandInHole, 5, 5)).toBe(INSIDE);
    expect(pip(islandInHole, 3, 3)).toBe(OUTSIDE);
    expect(pip(islandInHole, 1, 1)).toBe(INSIDE);
    expect(pip(islandInHole, 20.5, 20.5)).toBe(INSIDE);
    expect(pip(islandInHole, 6, 5)).toBe(BOUNDARY);
    expect(pip(islandInHole, 15, 15)).toBe(OUTSIDE);
  });

  it('long rings use a y-band index with exactly the same answers as the full scan', () => {
    // a star with 400 vertices (concave) and random points, including every vertex and y
    const ring: number[][] = [];
    for (let i = 0; i < 400; i++) {
      const a = (2 * Math.PI * i) / 400;
      const r = i % 2 ? 1 : 0.6 + 0.3 * Math.sin(i);
      ring.push([13.4 + r * Math.cos(a) * 0.01, 52.5 + r * Math.sin(a) * 0.01]);
    }
    ring.push([...ring[0]!]);
    const banded = shapeOf(poly(ring));
    expect(banded.bands?.[0]).toBeTruthy();
    const plain: PolygonShape = { ...banded, bands: null };
    let seed = 7;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const points: number[][] = ring.map((p) => [p[0]!, p[1]!]);
    for (const p of ring) points.push([13.39 + rnd() * 0.02, p[1]!]);
    for (let i = 0; i < 5000; i++) points.push([13.39 + rnd() * 0.02, 52.49 + rnd() * 0.02]);
    for (const [x, y] of points) expect(pointInPolygons(banded, x!, y!)).toBe(pointInPolygons(plain, x!, y!));
    for (const p of ring) expect(pointInPolygons(banded, p[0]!, p[1]!)).toBe(BOUNDARY);
    // the segment test uses the same bands: same answers as scanning every edge
    for (let i = 0; i + 1 < points.length; i += 2) {
      const [x1, y1] = points[i]!;
      const [x2, y2] = points[i + 1]!;
      expect(segmentMeetsBoundary(banded, x1!, y1!, x2!, y2!)).toBe(segmentMeetsBoundary(plain, x1!, y1!, x2!, y2!));
    }
  });

  it('the raster answers exactly like the exact test, also on and beside edges and vertices', () => {
    let seed = 3;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const shapes = [square, u, withHole, islandInHole].map(shapeOf);
    const star: number[][] = [];
    for (let i = 0; i < 37; i++) {
      const a = (2 * Math.PI * i) / 37;
      const r = i % 2 ? 0.0004 : 0.00015;
      star.push([13.4 + r * Math.cos(a), 52.5 + r * Math.sin(a)]);
    }
    star.push([...star[0]!]);
    shapes.push(shapeOf(poly(star)));
    let decided = 0;
    for (const shape of shapes) {
      expect(shape.grid).not.toBeNull();
      const { minX, minY, maxX, maxY } = shape;
      const points: number[][] = [];
      for (let i = 0; i < 4000; i++) points.push([minX + rnd() * (maxX - minX), minY + rnd() * (maxY - minY)]);
      for (const ring of shape.polygons.flat()) {
        for (let i = 0; i + 3 < ring.xy.length; i += 2) {
          const [ax, ay, bx, by] = [ring.xy[i]!, ring.xy[i + 1]!, ring.xy[i + 2]!, ring.xy[i + 3]!];
          const t = rnd();
          const e = (maxX - minX) * 1e-9;
          points.push([ax, ay], [ax + t * (bx - ax), ay + t * (by - ay)], [ax + t * (bx - ax) + e, ay + t * (by - ay) - e], [minX, ay], [ax, maxY]);
        }
      }
      for (const [x, y] of points) {
        const exact = exactPip(shape, x!, y!);
        expect(pointInPolygons(shape, x!, y!)).toBe(exact);
        const n = shape.grid!.n;
        const cx = Math.min(n - 1, Math.floor((x! - minX) * shape.grid!.kx));
        const cy = Math.min(n - 1, Math.floor((y! - minY) * shape.grid!.ky));
        if (shape.grid!.cells[cy * n + cx] !== 0) decided++;
      }
    }
    expect(decided).toBeGreaterThan(5000); // the raster does answer most points
  });

  it('circles: covered exactly up to the radius (great circle)', () => {
    const c = compileShape({ type: 'Circle', center: [13.4, 52.5], radiusMeters: 250 });
    for (let b = 0; b < 360; b += 15) {
      const [x1, y1] = destination(13.4, 52.5, 249.99, b);
      const [x2, y2] = destination(13.4, 52.5, 250.01, b);
      expect(covers(c, x1, y1)).toBe(true);
      expect(covers(c, x2, y2)).toBe(false);
    }
    expect(covers(c, 13.4, 52.5)).toBe(true);
  });
});

describe('distance to the boundary (hysteresis)', () => {
  const lat0 = 52.5;
  const dLat = (m: number) => m / METERS_PER_DEGREE;
  const dLng = (m: number, lat = lat0) => m / (METERS_PER_DEGREE * Math.cos((lat * Math.PI) / 180));
  // 1 km square around (13.4, 52.5)
  const sq = compileShape(poly([
    [13.4, lat0], [13.4 + dLng(1000), lat0], [13.4 + dLng(1000), lat0 + dLat(1000)], [13.4, lat0 + dLat(1000)], [13.4, lat0],
  ]));

  it('meters to the nearest edge, inside and outside, within the documented bound', () => {
    expect(signedDistance(sq, 13.4 + dLng(500), lat0 + dLat(100))).toBeCloseTo(-100, 6); // horizontal edge: exact
    expect(signedDistance(sq, 13.4 + dLng(500), lat0 - dLat(30))).toBeCloseTo(30, 6);
    // vertical edge, 100 m west, at the latitude of the point: exact metric
    expect(signedDistance(sq, 13.4 - dLng(100, lat0 + dLat(500)), lat0 + dLat(500))).toBeCloseTo(100, 6);
    expect(distanceToBoundary(sq, 13.4, lat0)).toBe(0);
    // diagonal from a corner: √2 · 50 m
    expect(signedDistance(sq, 13.4 - dLng(50), lat0 - dLat(50))).toBeCloseTo(Math.SQRT2 * 50, 1);
    // vs the great-circle distance to the foot of the perpendicular: relative error ≲ tan(lat)·d/R
    const d = distanceToBoundary(sq, 13.4 + dLng(500), lat0 + dLat(1000) + dLat(800));
    const gc = haversineMeters(13.4 + dLng(500), lat0 + dLat(1800), 13.4 + dLng(500), lat0 + dLat(1000));
    expect(Math.abs(d - gc) / gc).toBeLessThan(Math.tan((lat0 * Math.PI) / 180) * (800 / 6_371_000) + 1e-9);
  });

  it('holes are boundaries too', () => {
    const g = compileShape(withHole);
    expect(signedDistance(g, 5, 5)).toBeGreaterThan(0); // in the hole: outside, 3° from its edge
    expect(signedDistance(g, 1, 5)).toBeLessThan(0);
  });

  it('circles: |distance − radius|', () => {
    const c = compileShape({ type: 'Circle', center: [13.4, 52.5], radiusMeters: 300 });
    const [x, y] = destination(13.4, 52.5, 250, 40);
    expect(signedDistance(c, x, y)).toBeCloseTo(-50, 6);
    const [x2, y2] = destination(13.4, 52.5, 330, 200);
    expect(signedDistance(c, x2, y2)).toBeCloseTo(30, 6);
  });

  it('a point outside the box grown by h is at least h meters from the shape', () => {
    for (const h of [1, 10, 150, 2000]) {
      const g = expandBbox(sq, h);
      for (const [x, y] of [[g.minX - 1e-9, lat0 + dLat(500)], [g.maxX + 1e-9, lat0], [13.4, g.minY - 1e-9], [g.maxX + 1e-9, g.maxY + 1e-9]]) {
        expect(distanceToBoundary(sq, x!, y!)).toBeGreaterThanOrEqual(h);
      }
    }
  });
});

describe('segments (cross)', () => {
  it('segment/segment: proper, touching, collinear overlap, disjoint', () => {
    expect(segmentsIntersect(0, 0, 2, 2, 0, 2, 2, 0)).toBe(true);
    expect(segmentsIntersect(0, 0, 1, 1, 1, 1, 2, 0)).toBe(true);
    expect(segmentsIntersect(0, 0, 2, 0, 1, 0, 3, 0)).toBe(true);
    expect(segmentsIntersect(0, 0, 1, 0, 2, 0, 3, 0)).toBe(false);
    expect(segmentsIntersect(0, 0, 1, 1, 0, 1, 0.4, 0.6)).toBe(false);
  });

  it('segment through a small fence, past it, touching a corner', () => {
    const s = compileShape(square);
    expect(segmentMeetsShape(s, -5, 5, 15, 5)).toBe(true);
    expect(segmentMeetsShape(s, -5, 15, 15, 16)).toBe(false);
    expect(segmentMeetsShape(s, -1, 11, 1, 9)).toBe(true);
    expect(segmentMeetsShape(s, -1, 1, 1, -1)).toBe(true); // touches the corner (0, 0)
    const h = compileShape(withHole);
    expect(segmentMeetsShape(h, 3, 5, 7, 5)).toBe(false); // entirely in the hole
    const c = compileShape({ type: 'Circle', center: [13.4, 52.5], radiusMeters: 20 });
    expect(segmentMeetsShape(c, 13.39, 52.5001, 13.41, 52.5001)).toBe(true); // 11 m from the centre
    expect(segmentMeetsShape(c, 13.39, 52.5003, 13.41, 52.5003)).toBe(false); // 33 m
  });
});

describe('compilation', () => {
  it('rejects what the engine cannot judge, with the place', () => {
    expect(() => compileShape(poly([[0, 0], [1, 0], [1, 1], [0, 1]]))).toThrow(/coordinates\[0\]: ring is not closed/);
    expect(() => compileShape(poly([[0, 0], [1, 0], [0, 0]]))).toThrow(/at least 4 positions/);
    expect(() => compileShape(poly([[0, 0], [200, 0], [1, 1], [0, 0]]))).toThrow(/coordinates\[0\]\[1\]: coordinates out of range/);
    expect(() => compileShape(poly([[0, 0], [Number.NaN, 0], [1, 1], [0, 0]]))).toThrow(/finite/);
    expect(() => compileShape({ type: 'MultiPolygon', coordinates: [] })).toThrow(/no polygons/);
    expect(() => compileShape({ type: 'Circle', center: [13, 52], radiusMeters: 0 })).toThrow(/radius/);
    expect(() => compileShape({ type: 'Circle', center: [13, 95], radiusMeters: 10 })).toThrow(/range/);
  });

  it('circle polygons: closed, vertices on the circle, chords within tolerance', () => {
    const circle = { type: 'Circle' as const, center: [13.4, 52.5] as [number, number], radiusMeters: 1000 };
    const n = circleSegments(1000);
    expect(1000 * (1 - Math.cos(Math.PI / n))).toBeLessThanOrEqual(0.5);
    const ring = circlePolygon(circle).coordinates[0]!;
    expect(ring).toHaveLength(n + 1);
    expect(ring[0]).toEqual(ring[n]);
    for (const [x, y] of ring) expect(haversineMeters(13.4, 52.5, x!, y!)).toBeCloseTo(1000, 6);
    expect(circleSegments(5)).toBe(32);
    expect(circleSegments(1e6)).toBe(720);
  });
});
