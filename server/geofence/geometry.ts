/**
 * Fence geometry: compilation of GeoJSON polygons / multipolygons and circles into flat typed
 * arrays, the covered test (boundary counts as inside), metric distance to the boundary (for
 * hysteresis) and segment-meets-fence (for `cross`). Pure, allocation-free on the hot path.
 *
 * Membership of polygons is PLANAR in (lng, lat), exactly like PostGIS `ST_Covers` on
 * `geometry(…, 4326)`: we evaluate the very IEEE-754 expression PostGIS evaluates (its
 * point-in-ring winding number, `liblwgeom/intervaltree.c` in 3.5+, `point_in_ring_rtree` /
 * `point_in_ring` before), so both agree bit for bit, including on edges and vertices:
 * - a point equal to a vertex is always on the boundary (its side term is exactly 0);
 * - a point on a horizontal or vertical edge is exact (the products are exact);
 * - on a slanted edge, "on the line" is the sign of one rounded 2×2 determinant. A point whose
 *   exact position is within ≈1e-16 relative of the line (picometres at city scale) may be
 *   judged on either side; PostGIS judges it the same way, which is what the differential test
 *   asserts. An exact-arithmetic predicate would be "more exact" and disagree with PostGIS there.
 *
 * Circles are judged by great-circle distance (haversine on a sphere of the mean Earth radius):
 * covered when distance ≤ radius. Their polygon approximation (`circlePolygon`) is for storage
 * and drawing only.
 */

export type LngLat = [number, number];

export interface PolygonGeometry {
  type: 'Polygon';
  /** Rings of [lng, lat] positions, closed (first = last), ≥ 4 positions; the first is the shell. */
  coordinates: number[][][];
}
export interface MultiPolygonGeometry {
  type: 'MultiPolygon';
  coordinates: number[][][][];
}
export interface CircleGeometry {
  type: 'Circle';
  center: LngLat;
  radiusMeters: number;
}
export type FenceGeometry = PolygonGeometry | MultiPolygonGeometry | CircleGeometry;

/** Mean Earth radius (IUGG), meters. */
export const EARTH_RADIUS_M = 6_371_008.8;
/** Meters per degree of latitude (and of longitude at the equator) on that sphere. */
export const METERS_PER_DEGREE = (EARTH_RADIUS_M * Math.PI) / 180;
export const RAD = Math.PI / 180;

/** PostGIS point-in-polygon results. */
export const OUTSIDE = -1;
export const BOUNDARY = 0;
export const INSIDE = 1;
export type PipResult = typeof OUTSIDE | typeof BOUNDARY | typeof INSIDE;

export class GeometryError extends Error {
  constructor(message: string, readonly path: string) {
    super(`${path}: ${message}`);
    this.name = 'GeometryError';
  }
}

/** Rings with more edges than this get a y-band index (pure pruning: same result, fewer edges). */
const BAND_THRESHOLD = 24;
const EDGES_PER_BAND = 4;

export interface Ring {
  /** x0, y0, x1, y1, …, closed (the last point repeats the first): a view into the shape's `data`. */
  xy: Float64Array;
  minY: number;
  maxY: number;
}

/** Edges (absolute `data` offsets of their first x) overlapping each band of a ring's y-range. */
export interface Bands {
  y0: number;
  height: number;
  count: number;
  start: Uint32Array;
  edges: Uint32Array;
}

export interface Bbox {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

export interface PolygonShape extends Bbox {
  type: 'polygon';
  /** Polygons of the (multi)polygon, each: shell first, then holes (views into `data`). */
  polygons: Ring[][];
  /**
   * Everything the covered test reads, in one array for memory locality: [polygon count; per
   * polygon: ring count, then per ring: start, end (offsets of its coordinates in `data`), minY,
   * maxY], then all coordinates.
   */
  data: Float64Array;
  /** Per ring (in order), its y-band index when it has many edges; null when no ring has one. */
  bands: Array<Bands | null> | null;
  /** Coarse raster over the bbox answering most points without the exact test (see `buildGrid`). */
  grid: Grid | null;
}

/** Cells: MIXED (a boundary may touch the cell: exact test), CELL_INSIDE, CELL_OUTSIDE. */
export interface Grid {
  n: number;
  /** cells per degree */
  kx: number;
  ky: number;
  cells: Uint8Array;
}
const MIXED = 0;
const CELL_INSIDE = 1;
const CELL_OUTSIDE = 2;

export interface CircleShape extends Bbox {
  type: 'circle';
  lng: number;
  lat: number;
  radius: number;
}

export type Shape = PolygonShape | CircleShape;

// ---------------------------------------------------------------------------------------------
// Compilation and validation

function checkPosition(p: unknown, path: string): LngLat {
  if (!Array.isArray(p) || p.length < 2) throw new GeometryError('a position must be [lng, lat]', path);
  const [x, y] = p as number[];
  if (typeof x !== 'number' || typeof y !== 'number' || !Number.isFinite(x) || !Number.isFinite(y)) {
    throw new GeometryError('coordinates must be finite numbers', path);
  }
  if (x < -180 || x > 180 || y < -90 || y > 90) throw new GeometryError('coordinates out of range (lng −180…180, lat −90…90)', path);
  return [x, y];
}

function parseRing(positions: unknown, path: string): number[] {
  if (!Array.isArray(positions) || positions.length < 4) throw new GeometryError('a ring needs at least 4 positions', path);
  const n = positions.length;
  const xy: number[] = new Array(n * 2);
  for (let i = 0; i < n; i++) {
    const [x, y] = checkPosition(positions[i], `${path}[${i}]`);
    xy[2 * i] = x;
    xy[2 * i + 1] = y;
  }
  if (xy[0] !== xy[2 * n - 2] || xy[1] !== xy[2 * n - 1]) throw new GeometryError('ring is not closed (first position ≠ last)', path);
  return xy;
}

/** Lays the parsed rings out in one array (see PolygonShape.data) and indexes long rings. */
function compilePolygons(parsed: number[][][]): PolygonShape {
  const rings = parsed.reduce((n, p) => n + p.length, 0);
  const coords = parsed.reduce((n, p) => n + p.reduce((m, r) => m + r.length, 0), 0);
  const header = 1 + parsed.length + 4 * rings;
  const data = new Float64Array(header + coords);
  const polygons: Ring[][] = [];
  const bands: Array<Bands | null> = [];
  let anyBands = false;
  let h = 0;
  let c = header;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  data[h++] = parsed.length;
  for (const polygon of parsed) {
    data[h++] = polygon.length;
    const compiled: Ring[] = [];
    for (const ring of polygon) {
      const start = c;
      let rMinY = Infinity;
      let rMaxY = -Infinity;
      for (let i = 0; i < ring.length; i += 2) {
        const x = ring[i]!;
        const y = ring[i + 1]!;
        data[c++] = x;
        data[c++] = y;
        if (y < rMinY) rMinY = y;
        if (y > rMaxY) rMaxY = y;
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
      }
      if (rMinY < minY) minY = rMinY;
      if (rMaxY > maxY) maxY = rMaxY;
      data[h++] = start;
      data[h++] = c;
      data[h++] = rMinY;
      data[h++] = rMaxY;
      const b = ring.length / 2 - 1 > BAND_THRESHOLD ? buildBands(data, start, c, rMinY, rMaxY) : null;
      if (b) anyBands = true;
      bands.push(b);
      compiled.push({ xy: data.subarray(start, c), minY: rMinY, maxY: rMaxY });
    }
    polygons.push(compiled);
  }
  const shape: PolygonShape = { type: 'polygon', minX, minY, maxX, maxY, polygons, data, bands: anyBands ? bands : null, grid: null };
  shape.grid = buildGrid(shape, (coords - 2 * rings) / 2);
  return shape;
}

/** Closed segment a–b meets the closed rectangle (Liang–Barsky clipping). */
function segmentTouchesRect(ax: number, ay: number, bx: number, by: number, x0: number, y0: number, x1: number, y1: number): boolean {
  let t0 = 0;
  let t1 = 1;
  const dx = bx - ax;
  const dy = by - ay;
  const ps = [-dx, dx, -dy, dy];
  const qs = [ax - x0, x1 - ax, ay - y0, y1 - ay];
  for (let k = 0; k < 4; k++) {
    const p = ps[k]!;
    const q = qs[k]!;
    if (p === 0) {
      if (q < 0) return false;
      continue;
    }
    const r = q / p;
    if (p < 0) {
      if (r > t1) return false;
      if (r > t0) t0 = r;
    } else {
      if (r < t0) return false;
      if (r < t1) t1 = r;
    }
  }
  return true;
}

/**
 * An n × n raster over the shape's box. A cell that no edge touches — tested against the cell
 * grown by 1e-6 of its size (at least 1e-11°), far more than any rounding of the clipping or of the cell lookup —
 * lies wholly on one side of the boundary, at least that margin away from every edge, where
 * the rounded winding-number test is exact; its centre's answer is every point's answer. Cells
 * an edge may touch stay MIXED and go to the exact test, so edges and vertices always do.
 */
function buildGrid(shape: PolygonShape, edges: number): Grid | null {
  const w = shape.maxX - shape.minX;
  const h = shape.maxY - shape.minY;
  if (!(w > 0 && h > 0)) return null;
  const n = Math.min(48, Math.max(8, Math.ceil(3 * Math.sqrt(edges))));
  const cw = w / n;
  const ch = h / n;
  const ex = Math.max(cw * 1e-6, 1e-11);
  const ey = Math.max(ch * 1e-6, 1e-11);
  const cells = new Uint8Array(n * n).fill(CELL_OUTSIDE);
  const mixed = new Uint8Array(n * n);
  const data = shape.data;
  const cellOf = (v: number, min: number, size: number) => Math.min(n - 1, Math.max(0, Math.floor((v - min) / size)));
  let hdr = 1;
  for (let p = 0, polygons = data[0]!; p < polygons; p++) {
    const rings = data[hdr++]!;
    for (let r = 0; r < rings; r++, hdr += 4) {
      for (let i = data[hdr]!, end = data[hdr + 1]! - 2; i < end; i += 2) {
        const ax = data[i]!;
        const ay = data[i + 1]!;
        const bx = data[i + 2]!;
        const by = data[i + 3]!;
        const cx0 = cellOf(Math.min(ax, bx) - ex, shape.minX, cw);
        const cx1 = cellOf(Math.max(ax, bx) + ex, shape.minX, cw);
        const cy0 = cellOf(Math.min(ay, by) - ey, shape.minY, ch);
        const cy1 = cellOf(Math.max(ay, by) + ey, shape.minY, ch);
        for (let cy = cy0; cy <= cy1; cy++) {
          for (let cx = cx0; cx <= cx1; cx++) {
            if (mixed[cy * n + cx]) continue;
            const x0 = shape.minX + cx * cw;
            const y0 = shape.minY + cy * ch;
            if (segmentTouchesRect(ax, ay, bx, by, x0 - ex, y0 - ey, x0 + cw + ex, y0 + ch + ey)) mixed[cy * n + cx] = 1;
          }
        }
      }
    }
  }
  for (let cy = 0; cy < n; cy++) {
    for (let cx = 0; cx < n; cx++) {
      const c = cy * n + cx;
      if (mixed[c]) cells[c] = MIXED;
      else {
        const inside = exactPip(shape, shape.minX + (cx + 0.5) * cw, shape.minY + (cy + 0.5) * ch);
        cells[c] = inside === INSIDE ? CELL_INSIDE : inside === OUTSIDE ? CELL_OUTSIDE : MIXED;
      }
    }
  }
  return { n, kx: n / w, ky: n / h, cells };
}

function buildBands(data: Float64Array, start: number, end: number, minY: number, maxY: number): Bands | null {
  const edges = (end - start) / 2 - 1;
  const count = Math.max(1, Math.ceil(edges / EDGES_PER_BAND));
  const height = (maxY - minY) / count;
  if (!(height > 0)) return null;
  const band = (y: number) => Math.min(count - 1, Math.max(0, Math.floor((y - minY) / height)));
  const sizes = new Uint32Array(count + 1);
  for (let i = start; i < end - 2; i += 2) {
    const y1 = data[i + 1]!;
    const y2 = data[i + 3]!;
    const hi = band(Math.max(y1, y2));
    for (let b = band(Math.min(y1, y2)); b <= hi; b++) sizes[b + 1]!++;
  }
  for (let b = 0; b < count; b++) sizes[b + 1]! += sizes[b]!;
  const fill = sizes.slice();
  const list = new Uint32Array(sizes[count]!);
  for (let i = start; i < end - 2; i += 2) {
    const y1 = data[i + 1]!;
    const y2 = data[i + 3]!;
    const hi = band(Math.max(y1, y2));
    for (let b = band(Math.min(y1, y2)); b <= hi; b++) list[fill[b]!++] = i;
  }
  return { y0: minY, height, count, start: sizes, edges: list };
}

/**
 * Validates and compiles a fence geometry. Checks what the engine relies on (closed rings of
 * ≥ 4 finite, in-range positions; a positive radius); self-intersection and ring orientation are
 * PostGIS's to judge where fences are stored (`ST_IsValidDetail`), the engine accepts them.
 */
export function compileShape(geometry: FenceGeometry): Shape {
  switch (geometry.type) {
    case 'Polygon':
    case 'MultiPolygon': {
      const polys = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
      if (!Array.isArray(polys) || polys.length === 0) throw new GeometryError('no polygons', 'coordinates');
      const parsed = polys.map((rings, p) => {
        const path = geometry.type === 'Polygon' ? 'coordinates' : `coordinates[${p}]`;
        if (!Array.isArray(rings) || rings.length === 0) throw new GeometryError('a polygon needs a shell', path);
        return rings.map((ring, r) => parseRing(ring, `${path}[${r}]`));
      });
      return compilePolygons(parsed);
    }
    case 'Circle': {
      const [lng, lat] = checkPosition(geometry.center, 'center');
      const r = geometry.radiusMeters;
      if (!(Number.isFinite(r) && r > 0 && r <= 1_000_000)) throw new GeometryError('radius must be > 0 and ≤ 1,000,000 m', 'radiusMeters');
      const box = expandBbox({ minX: lng, minY: lat, maxX: lng, maxY: lat }, r);
      return { type: 'circle', lng, lat, radius: r, ...box };
    }
    default: {
      const never: never = geometry;
      throw new GeometryError(`unknown geometry type ${(never as { type: string }).type}`, 'type');
    }
  }
}

/**
 * The box grown by `meters` on every side, conservatively: a point outside the grown box is
 * more than `meters` from every point of the box (in the local metric used by
 * `distanceToBoundary`, and on the sphere). Longitude padding uses the cosine of the highest
 * latitude the grown box reaches, plus 1 %.
 */
export function expandBbox(b: Bbox, meters: number): Bbox {
  if (!(meters > 0)) return { ...b };
  const dLat = meters / METERS_PER_DEGREE;
  const maxAbsLat = Math.min(89.99, Math.max(Math.abs(b.minY), Math.abs(b.maxY)) + dLat);
  const dLng = Math.min(360, (1.01 * meters) / (METERS_PER_DEGREE * Math.cos(maxAbsLat * RAD)) + 1e-12);
  return { minX: b.minX - dLng, minY: b.minY - dLat * 1.01 - 1e-12, maxX: b.maxX + dLng, maxY: b.maxY + dLat * 1.01 + 1e-12 };
}

// ---------------------------------------------------------------------------------------------
// Covered test: PostGIS's winding number, same arithmetic

/**
 * OUTSIDE, BOUNDARY or INSIDE of one ring (orientation does not matter): PostGIS's winding
 * number, edge by edge in the same arithmetic. Edges whose y-range excludes the point contribute
 * nothing (PostGIS prunes them the same way) and zero-length edges are ignored. `o`: the ring's
 * header offset in `data`; `bands`: its y-band index or null.
 */
function ringPip(data: Float64Array, o: number, bands: Bands | null, px: number, py: number): PipResult {
  if (py < data[o + 2]! || py > data[o + 3]!) return OUTSIDE;
  let winding = 0;
  let k: number;
  let end: number;
  let list: Uint32Array | null = null;
  if (bands !== null) {
    const b = Math.min(bands.count - 1, Math.max(0, Math.floor((py - bands.y0) / bands.height)));
    k = bands.start[b]!;
    end = bands.start[b + 1]!;
    list = bands.edges;
  } else {
    k = data[o]!;
    end = data[o + 1]! - 2;
  }
  const step = list === null ? 2 : 1;
  for (; k < end; k += step) {
    const i = list === null ? k : list[k]!;
    const y1 = data[i + 1]!;
    const y2 = data[i + 3]!;
    if ((py < y1 && py < y2) || (py > y1 && py > y2)) continue;
    const x1 = data[i]!;
    const x2 = data[i + 2]!;
    if (x1 === x2 && y1 === y2) continue;
    const side = (x2 - x1) * (py - y1) - (px - x1) * (y2 - y1);
    if (side === 0 && ((px >= x1 && px <= x2) || (px >= x2 && px <= x1))) return BOUNDARY;
    if (y1 <= py && py < y2) {
      if (side > 0) winding++;
    } else if (y2 <= py && py < y1) {
      if (side < 0) winding--;
    }
  }
  return winding === 0 ? OUTSIDE : INSIDE;
}

/**
 * PostGIS `itree_point_in_multipolygon`: shells, then holes; any boundary hit is BOUNDARY.
 * Most points are answered by the shape's raster; the rest (near edges) by the exact test.
 */
export function pointInPolygons(shape: PolygonShape, px: number, py: number): PipResult {
  if (px < shape.minX || px > shape.maxX || py < shape.minY || py > shape.maxY) return OUTSIDE;
  const grid = shape.grid;
  if (grid !== null) {
    const n = grid.n;
    let cx = Math.floor((px - shape.minX) * grid.kx);
    let cy = Math.floor((py - shape.minY) * grid.ky);
    if (cx >= n) cx = n - 1;
    if (cy >= n) cy = n - 1;
    const cell = grid.cells[cy * n + cx]!;
    if (cell === CELL_INSIDE) return INSIDE;
    if (cell === CELL_OUTSIDE) return OUTSIDE;
  }
  return exactPip(shape, px, py);
}

/** The exact test alone (no raster). */
export function exactPip(shape: PolygonShape, px: number, py: number): PipResult {
  if (px < shape.minX || px > shape.maxX || py < shape.minY || py > shape.maxY) return OUTSIDE;
  const data = shape.data;
  const bands = shape.bands;
  const polygons = data[0]!;
  let h = 1;
  let ringNo = 0;
  for (let p = 0; p < polygons; p++) {
    const rings = data[h]!;
    const first = h + 1;
    h = first + 4 * rings;
    const shell = ringPip(data, first, bands === null ? null : bands[ringNo]!, px, py);
    if (shell === BOUNDARY) return BOUNDARY;
    if (shell === INSIDE) {
      let inHole = false;
      for (let r = 1; r < rings; r++) {
        const hole = ringPip(data, first + 4 * r, bands === null ? null : bands[ringNo + r]!, px, py);
        if (hole === BOUNDARY) return BOUNDARY;
        if (hole === INSIDE) {
          inHole = true; // there may be another polygon (an island) in this hole: keep looking
          break;
        }
      }
      if (!inHole) return INSIDE;
    }
    ringNo += rings;
  }
  return OUTSIDE;
}

/** Great-circle distance in meters (haversine, mean Earth radius). */
export function haversineMeters(lng1: number, lat1: number, lng2: number, lat2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLng = (lng2 - lng1) * RAD;
  const s = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(s)));
}

/** Covered: inside or on the boundary (PostGIS ST_Covers for polygons; distance ≤ radius for circles). */
export function covers(shape: Shape, lng: number, lat: number): boolean {
  if (shape.type === 'polygon') return pointInPolygons(shape, lng, lat) !== OUTSIDE;
  if (lng < shape.minX || lng > shape.maxX || lat < shape.minY || lat > shape.maxY) return false;
  return haversineMeters(shape.lng, shape.lat, lng, lat) <= shape.radius;
}

// ---------------------------------------------------------------------------------------------
// Metric distance to the boundary (hysteresis)

/** Where on segment (ax, ay)–(bx, by) the point nearest the origin lies: 0 at a … 1 at b. */
export function nearestOnSegment(ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 > 0 ? -(ax * dx + ay * dy) / len2 : 0;
  return t < 0 ? 0 : t > 1 ? 1 : t;
}

/** Distance from the origin to segment (ax, ay)–(bx, by). */
export function originToSegment(ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = nearestOnSegment(ax, ay, bx, by);
  const x = ax + t * dx;
  const y = ay + t * dy;
  return Math.sqrt(x * x + y * y);
}

/**
 * Distance in meters from (lng, lat) to the fence's boundary (≥ 0; the covered test says on
 * which side). Polygons: edges are straight in (lng, lat), as for membership, measured in a local
 * equirectangular projection centred on the point (x = Δlng·cos(lat)·m, y = Δlat·m, m = meters
 * per degree). That projection is affine, so edges stay straight and the nearest point is exact
 * in it; the only error is the metric's scale at the edge's latitude versus the point's: relative
 * error ≲ tan|lat|·d/R (d the distance, R the Earth's radius), e.g. ≤ 0.02 % (2 cm) at 100 m and
 * 0.2 % (2 m) at 1 km around Berlin, which is far below GPS noise for hysteresis of metres to
 * hundreds of metres. Circles: |haversine − radius|, exact on the sphere.
 */
export function distanceToBoundary(shape: Shape, lng: number, lat: number): number {
  if (shape.type === 'circle') return Math.abs(haversineMeters(shape.lng, shape.lat, lng, lat) - shape.radius);
  const kx = Math.cos(lat * RAD) * METERS_PER_DEGREE;
  const ky = METERS_PER_DEGREE;
  let best = Infinity;
  for (const polygon of shape.polygons) {
    for (const ring of polygon) {
      const xy = ring.xy;
      let ax = (xy[0]! - lng) * kx;
      let ay = (xy[1]! - lat) * ky;
      for (let i = 2; i < xy.length; i += 2) {
        const bx = (xy[i]! - lng) * kx;
        const by = (xy[i + 1]! - lat) * ky;
        // cheap reject: the segment's box is farther than the best so far
        if (!((ax > best && bx > best) || (ax < -best && bx < -best) || (ay > best && by > best) || (ay < -best && by < -best))) {
          const d = originToSegment(ax, ay, bx, by);
          if (d < best) best = d;
        }
        ax = bx;
        ay = by;
      }
    }
  }
  return best;
}

/**
 * Signed distance in meters: negative inside (depth), positive outside, 0 on the boundary.
 * Uses the covered test for the sign, so it agrees with membership.
 */
export function signedDistance(shape: Shape, lng: number, lat: number): number {
  const d = distanceToBoundary(shape, lng, lat);
  return covers(shape, lng, lat) ? -d : d;
}

// ---------------------------------------------------------------------------------------------
// Segment meets fence (cross)

function orient(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  const v = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
  return v > 0 ? 1 : v < 0 ? -1 : 0;
}

function onSegment(ax: number, ay: number, bx: number, by: number, px: number, py: number): boolean {
  return px >= Math.min(ax, bx) && px <= Math.max(ax, bx) && py >= Math.min(ay, by) && py <= Math.max(ay, by);
}

/** Closed segments p–q and a–b share a point (touching and collinear overlap included). */
export function segmentsIntersect(
  px: number, py: number, qx: number, qy: number, ax: number, ay: number, bx: number, by: number,
): boolean {
  const o1 = orient(px, py, qx, qy, ax, ay);
  const o2 = orient(px, py, qx, qy, bx, by);
  const o3 = orient(ax, ay, bx, by, px, py);
  const o4 = orient(ax, ay, bx, by, qx, qy);
  if (o1 !== o2 && o3 !== o4) return true;
  if (o1 === 0 && onSegment(px, py, qx, qy, ax, ay)) return true;
  if (o2 === 0 && onSegment(px, py, qx, qy, bx, by)) return true;
  if (o3 === 0 && onSegment(ax, ay, bx, by, px, py)) return true;
  if (o4 === 0 && onSegment(ax, ay, bx, by, qx, qy)) return true;
  return false;
}

/**
 * The segment from (lng1, lat1) to (lng2, lat2), straight in (lng, lat), meets the fence
 * (interior or boundary): an endpoint is covered, or the segment meets the boundary.
 */
export function segmentMeetsShape(shape: Shape, lng1: number, lat1: number, lng2: number, lat2: number): boolean {
  return covers(shape, lng1, lat1) || covers(shape, lng2, lat2) || segmentMeetsBoundary(shape, lng1, lat1, lng2, lat2);
}

/**
 * The segment meets the fence's boundary. Polygons: it meets an edge of a ring (touching and
 * collinear overlap count). Circles: its closest point to the centre, in the local
 * equirectangular plane of the centre, is within the radius (for a segment whose endpoints are
 * outside, that is "meets the disc"). With both endpoints outside, this is `cross`'s test.
 */
export function segmentMeetsBoundary(shape: Shape, lng1: number, lat1: number, lng2: number, lat2: number): boolean {
  const sMinX = lng1 < lng2 ? lng1 : lng2;
  const sMaxX = lng1 < lng2 ? lng2 : lng1;
  const sMinY = lat1 < lat2 ? lat1 : lat2;
  const sMaxY = lat1 < lat2 ? lat2 : lat1;
  if (sMaxX < shape.minX || sMinX > shape.maxX || sMaxY < shape.minY || sMinY > shape.maxY) return false;
  if (shape.type === 'circle') {
    const kx = Math.cos(shape.lat * RAD) * METERS_PER_DEGREE;
    const ky = METERS_PER_DEGREE;
    const d = originToSegment((lng1 - shape.lng) * kx, (lat1 - shape.lat) * ky, (lng2 - shape.lng) * kx, (lat2 - shape.lat) * ky);
    return d <= shape.radius;
  }
  const data = shape.data;
  const bands = shape.bands;
  let h = 1;
  let ringNo = 0;
  for (let p = 0, polygons = data[0]!; p < polygons; p++) {
    const rings = data[h++]!;
    for (let r = 0; r < rings; r++, ringNo++, h += 4) {
      if (sMaxY < data[h + 2]! || sMinY > data[h + 3]!) continue;
      const b = bands === null ? null : bands[ringNo]!;
      if (b === null) {
        for (let i = data[h]!, end = data[h + 1]! - 2; i < end; i += 2) {
          if (edgeMeetsSegment(data, i, lng1, lat1, lng2, lat2, sMinX, sMinY, sMaxX, sMaxY)) return true;
        }
      } else {
        // only the edges of the bands the segment's y-range overlaps
        const first = Math.min(b.count - 1, Math.max(0, Math.floor((sMinY - b.y0) / b.height)));
        const last = Math.min(b.count - 1, Math.max(0, Math.floor((sMaxY - b.y0) / b.height)));
        for (let k = b.start[first]!, end = b.start[last + 1]!; k < end; k++) {
          if (edgeMeetsSegment(data, b.edges[k]!, lng1, lat1, lng2, lat2, sMinX, sMinY, sMaxX, sMaxY)) return true;
        }
      }
    }
  }
  return false;
}

function edgeMeetsSegment(
  data: Float64Array, i: number, x1: number, y1: number, x2: number, y2: number, minX: number, minY: number, maxX: number, maxY: number,
): boolean {
  const ax = data[i]!;
  const ay = data[i + 1]!;
  const bx = data[i + 2]!;
  const by = data[i + 3]!;
  // boxes apart: no contact
  if ((ax < minX && bx < minX) || (ax > maxX && bx > maxX) || (ay < minY && by < minY) || (ay > maxY && by > maxY)) return false;
  return segmentsIntersect(x1, y1, x2, y2, ax, ay, bx, by);
}

// ---------------------------------------------------------------------------------------------
// Circle → polygon (storage, drawing)

/** Point at `meters` from (lng, lat) along `bearingDeg` on the sphere. */
export function destination(lng: number, lat: number, meters: number, bearingDeg: number): LngLat {
  const d = meters / EARTH_RADIUS_M;
  const b = bearingDeg * RAD;
  const φ1 = lat * RAD;
  const λ1 = lng * RAD;
  const φ2 = Math.asin(Math.sin(φ1) * Math.cos(d) + Math.cos(φ1) * Math.sin(d) * Math.cos(b));
  const λ2 = λ1 + Math.atan2(Math.sin(b) * Math.sin(d) * Math.cos(φ1), Math.cos(d) - Math.sin(φ1) * Math.sin(φ2));
  return [λ2 / RAD, φ2 / RAD];
}

/**
 * Segments for a circle polygon whose chords stray at most `toleranceMeters` inside the circle
 * (sagitta r·(1 − cos(π/n)) ≤ tolerance), between 32 and 720.
 */
export function circleSegments(radiusMeters: number, toleranceMeters = 0.5): number {
  const n = Math.ceil(Math.PI / Math.acos(Math.max(-1, 1 - toleranceMeters / radiusMeters)));
  return Math.min(720, Math.max(32, n));
}

/** The circle as a closed GeoJSON Polygon (vertices on the circle, counter-clockwise). */
export function circlePolygon(circle: CircleGeometry, segments = circleSegments(circle.radiusMeters)): PolygonGeometry {
  const [lng, lat] = circle.center;
  const ring: number[][] = [];
  for (let k = 0; k < segments; k++) ring.push(destination(lng, lat, circle.radiusMeters, 360 - (360 * k) / segments));
  ring.push([ring[0]![0]!, ring[0]![1]!]);
  return { type: 'Polygon', coordinates: [ring] };
}
