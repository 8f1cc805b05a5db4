import { METERS_PER_DEGREE, type FenceGeometry, type LngLat } from './geometry';

/**
 * Deterministic random fences for the differential test and the benchmark (not used at run
 * time): star-shaped concave polygons (simple by construction), with holes, multipolygons,
 * rectangles, many-vertex rings; from a few meters to several kilometers.
 */

/** mulberry32: small, fast, deterministic. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const kx = (lat: number) => METERS_PER_DEGREE * Math.cos((lat * Math.PI) / 180);

/** Local meters (east, north) around `center` → [lng, lat]. */
export function offset(center: LngLat, east: number, north: number): LngLat {
  return [center[0] + east / kx(center[1]), center[1] + north / METERS_PER_DEGREE];
}

/** A local frame for unit tests: meters (east, north) from `origin` → [lng, lat], and rectangles in it. */
export function localFrame(origin: LngLat) {
  const at = (east: number, north: number): LngLat => offset(origin, east, north);
  const rect = (w: number, s: number, e: number, n: number): FenceGeometry => {
    const [x0, y0] = at(w, s);
    const [x1, y1] = at(e, n);
    return { type: 'Polygon', coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]] };
  };
  return { at, rect };
}

/**
 * A closed star-shaped ring around `center`: `vertices` points at increasing angles, radii in
 * [minFactor·r, r] (concave unless minFactor = 1). Counter-clockwise unless `clockwise`.
 */
export function starRing(rnd: () => number, center: LngLat, r: number, vertices: number, minFactor = 0.45, clockwise = false): number[][] {
  const ring: number[][] = [];
  const phase = rnd() * 2 * Math.PI;
  for (let i = 0; i < vertices; i++) {
    const a = phase + ((clockwise ? -1 : 1) * 2 * Math.PI * (i + 0.15 + 0.7 * rnd())) / vertices;
    const radius = r * (minFactor + (1 - minFactor) * rnd());
    ring.push(offset(center, radius * Math.cos(a), radius * Math.sin(a)));
  }
  ring.push([ring[0]![0]!, ring[0]![1]!]);
  return ring;
}

export type FenceSort = 'star' | 'holes' | 'multi' | 'rect' | 'big';

export interface RandomFence {
  sort: FenceSort;
  geometry: FenceGeometry;
}

/**
 * A fence of radius ≈ `r` meters around `center`; sort chosen at random when not given.
 * Holes are stars inside the shell's inner radius; multipolygon parts are disjoint.
 */
export function randomFence(rnd: () => number, center: LngLat, r: number, sort?: FenceSort): RandomFence {
  const pick = rnd();
  const kind: FenceSort = sort ?? (pick < 0.4 ? 'star' : pick < 0.6 ? 'holes' : pick < 0.8 ? 'multi' : pick < 0.95 ? 'rect' : 'big');
  const vertices = () => 5 + Math.floor(rnd() * 40);
  switch (kind) {
    case 'star':
      return { sort: kind, geometry: { type: 'Polygon', coordinates: [starRing(rnd, center, r, vertices(), 0.3 + 0.5 * rnd(), rnd() < 0.3)] } };
    case 'holes': {
      const shell = starRing(rnd, center, r, vertices(), 0.8);
      const holes = 1 + Math.floor(rnd() * 3);
      const rings = [shell];
      // holes around points on a small circle, each inside the shell's inner radius (0.8 r)
      for (let h = 0; h < holes; h++) {
        const a = (2 * Math.PI * h) / holes;
        const hc = holes === 1 ? center : offset(center, 0.4 * r * Math.cos(a), 0.4 * r * Math.sin(a));
        rings.push(starRing(rnd, hc, holes === 1 ? 0.5 * r : 0.3 * r * Math.sin(Math.PI / holes), 4 + Math.floor(rnd() * 12), 0.5, rnd() < 0.5));
      }
      return { sort: kind, geometry: { type: 'Polygon', coordinates: rings } };
    }
    case 'multi': {
      const parts = 2 + Math.floor(rnd() * 3);
      const polygons: number[][][][] = [];
      for (let p = 0; p < parts; p++) {
        const c = offset(center, 2.2 * r * p, (rnd() - 0.5) * r);
        polygons.push([starRing(rnd, c, r, vertices(), 0.5)]);
      }
      return { sort: kind, geometry: { type: 'MultiPolygon', coordinates: polygons } };
    }
    case 'rect': {
      const [w, s] = offset(center, -r * (0.2 + rnd()), -r * (0.2 + rnd()));
      const [e, n] = offset(center, r * (0.2 + rnd()), r * (0.2 + rnd()));
      return { sort: kind, geometry: { type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] } };
    }
    case 'big':
      return { sort: kind, geometry: { type: 'Polygon', coordinates: [starRing(rnd, center, r, 200 + Math.floor(rnd() * 800), 0.6)] } };
  }
}

/** Little-endian WKB of a Polygon / MultiPolygon: exact doubles to PostGIS, no text round trip. */
export function wkb(geometry: FenceGeometry): Buffer {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.type === 'MultiPolygon' ? geometry.coordinates : [];
  const parts: Buffer[] = [];
  const header = (type: number, count: number) => {
    const b = Buffer.alloc(9);
    b.writeUInt8(1, 0);
    b.writeUInt32LE(type, 1);
    b.writeUInt32LE(count, 5);
    parts.push(b);
  };
  const polygon = (rings: number[][][]) => {
    header(3, rings.length);
    for (const ring of rings) {
      const b = Buffer.alloc(4 + ring.length * 16);
      b.writeUInt32LE(ring.length, 0);
      ring.forEach(([x, y], i) => {
        b.writeDoubleLE(x!, 4 + i * 16);
        b.writeDoubleLE(y!, 12 + i * 16);
      });
      parts.push(b);
    }
  };
  if (geometry.type === 'MultiPolygon') {
    header(6, polygons.length);
    polygons.forEach(polygon);
  } else polygon(polygons[0]!);
  return Buffer.concat(parts);
}
