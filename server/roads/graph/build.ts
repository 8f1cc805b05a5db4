/**
 * A routable graph from road segment rows, in typed arrays (no object per node or edge).
 *
 * Nodes are segment END points: the import splits ways at junctions, so a segment runs from one
 * junction (or dead end) to the next, and endpoints with exactly the same coordinates are one
 * node. Each drivable segment gives one arc per allowed direction (oneway 1: along the line only,
 * -1: against it only, 0: both), stored as CSR adjacency: the arcs leaving node n are
 * `firstArc[n] .. firstArc[n + 1]`, each with its head node and `segment·2 + direction`.
 * Lengths, travel times, names and geometry belong to the segment and are shared by its arcs.
 */
import Flatbush from 'flatbush';
import { polylineMeters } from './geo';
import { isDrivable, postedKmh, speedKmh } from './speeds';
import { BACKWARD, FORWARD, type RoadSegmentRow } from './types';

export interface RoadGraph {
  readonly nodeCount: number;
  readonly segmentCount: number;
  readonly arcCount: number;
  /** Node positions (degrees). */
  readonly nodeLng: Float64Array;
  readonly nodeLat: Float64Array;
  /** CSR: arcs leaving node n are [firstArc[n], firstArc[n + 1]). */
  readonly firstArc: Int32Array;
  readonly arcHead: Int32Array;
  /** segment index · 2 + (0 along the line | 1 against it). */
  readonly arcSegDir: Int32Array;
  /** Per segment: end nodes, costs and attributes. */
  readonly segFrom: Int32Array;
  readonly segTo: Int32Array;
  readonly segLengthM: Float64Array;
  readonly segDurationS: Float64Array;
  readonly segOneway: Int8Array;
  /** road_segments.id of each segment. */
  readonly segId: Float64Array;
  /** Index into `names` / `refs` / `classes`, -1 when none. */
  readonly segName: Int32Array;
  readonly segRef: Int32Array;
  readonly segClass: Uint16Array;
  /** Posted limit (km/h) when the row has a plausible one, else 0 (unknown: the class default is not a limit). */
  readonly segMaxspeedKmh: Float32Array;
  /** Geometry: segment s's points are coords[coordStart[s] .. coordStart[s + 1]) as lng,lat pairs. */
  readonly coordStart: Int32Array;
  readonly coords: Float64Array;
  readonly names: readonly string[];
  readonly refs: readonly string[];
  readonly classes: readonly string[];
  /** Segment bounding boxes in index space (x = lng·cosφ₀, y = lat). */
  readonly index: Flatbush;
  readonly segBox: Float64Array;
  /** cos φ₀ of the index projection. */
  readonly kx: number;
  /** The fastest speed in the graph (m/s), for an admissible time heuristic. */
  readonly maxSpeedMps: number;
}

/** Rows the graph left out, and why (reported by builds and the bench). */
export interface BuildReport {
  segments: number;
  skippedNotDrivable: number;
  skippedDegenerate: number;
}

function flatCoords(coords: RoadSegmentRow['coords']): ArrayLike<number> {
  if (coords.length === 0) return [];
  const first = coords[0];
  if (typeof first === 'number') return coords as ArrayLike<number>;
  const pairs = coords as readonly (readonly [number, number])[];
  const out = new Float64Array(pairs.length * 2);
  for (let i = 0; i < pairs.length; i++) {
    out[i * 2] = pairs[i]![0];
    out[i * 2 + 1] = pairs[i]![1];
  }
  return out;
}

/**
 * Exact-coordinate node ids: open addressing over the bits of (lng, lat), no string keys.
 * Coordinates equal as doubles are one node; -0 and 0 are the same key.
 */
class NodeTable {
  private slots: Int32Array;
  private mask: number;
  lng: Float64Array;
  lat: Float64Array;
  count = 0;
  private readonly f = new Float64Array(2);
  private readonly u = new Uint32Array(this.f.buffer);

  constructor(expected: number) {
    let size = 16;
    while (size < expected * 2) size *= 2;
    this.slots = new Int32Array(size).fill(-1);
    this.mask = size - 1;
    this.lng = new Float64Array(Math.max(16, expected));
    this.lat = new Float64Array(Math.max(16, expected));
  }

  private hash(lng: number, lat: number): number {
    this.f[0] = lng + 0; // folds -0 into 0
    this.f[1] = lat + 0;
    const u = this.u;
    let h = Math.imul(u[0]! ^ 0x9e3779b9, 0x85ebca6b);
    h = Math.imul(h ^ u[1]! ^ (h >>> 13), 0xc2b2ae35);
    h = Math.imul(h ^ u[2]! ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ u[3]! ^ (h >>> 13), 0xc2b2ae35);
    return (h ^ (h >>> 16)) >>> 0;
  }

  idOf(lng: number, lat: number): number {
    let slot = this.hash(lng, lat) & this.mask;
    for (;;) {
      const id = this.slots[slot]!;
      if (id < 0) break;
      if (this.lng[id] === lng && this.lat[id] === lat) return id;
      slot = (slot + 1) & this.mask;
    }
    const id = this.count++;
    if (id >= this.lng.length) {
      const lngs = new Float64Array(this.lng.length * 2);
      lngs.set(this.lng);
      this.lng = lngs;
      const lats = new Float64Array(this.lat.length * 2);
      lats.set(this.lat);
      this.lat = lats;
    }
    this.lng[id] = lng;
    this.lat[id] = lat;
    this.slots[slot] = id;
    if (this.count * 2 > this.slots.length) this.grow();
    return id;
  }

  private grow(): void {
    const size = this.slots.length * 2;
    this.slots = new Int32Array(size).fill(-1);
    this.mask = size - 1;
    for (let id = 0; id < this.count; id++) {
      let slot = this.hash(this.lng[id]!, this.lat[id]!) & this.mask;
      while (this.slots[slot]! >= 0) slot = (slot + 1) & this.mask;
      this.slots[slot] = id;
    }
  }
}

class StringTable {
  readonly values: string[] = [];
  private readonly ids = new Map<string, number>();
  idOf(value: string | null | undefined): number {
    if (value == null || value === '') return -1;
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.ids.set(value, id);
    }
    return id;
  }
}

export function buildRoadGraph(rows: Iterable<RoadSegmentRow>): { graph: RoadGraph; report: BuildReport } {
  const report: BuildReport = { segments: 0, skippedNotDrivable: 0, skippedDegenerate: 0 };
  // Pass 1: keep drivable segments with ≥ 2 points, flatten their coordinates.
  const kept: { row: RoadSegmentRow; flat: ArrayLike<number> }[] = [];
  let coordTotal = 0;
  for (const row of rows) {
    if (!isDrivable(row.class)) {
      report.skippedNotDrivable++;
      continue;
    }
    const flat = flatCoords(row.coords);
    if (flat.length < 4 || flat.length % 2 !== 0) {
      report.skippedDegenerate++;
      continue;
    }
    kept.push({ row, flat });
    coordTotal += flat.length;
  }
  const segmentCount = kept.length;
  report.segments = segmentCount;

  const coords = new Float64Array(coordTotal);
  const coordStart = new Int32Array(segmentCount + 1);
  const segFrom = new Int32Array(segmentCount);
  const segTo = new Int32Array(segmentCount);
  const segLengthM = new Float64Array(segmentCount);
  const segDurationS = new Float64Array(segmentCount);
  const segOneway = new Int8Array(segmentCount);
  const segId = new Float64Array(segmentCount);
  const segName = new Int32Array(segmentCount);
  const segRef = new Int32Array(segmentCount);
  const segClass = new Uint16Array(segmentCount);
  const segMaxspeedKmh = new Float32Array(segmentCount);
  const names = new StringTable();
  const refs = new StringTable();
  const classes = new StringTable();
  const nodes = new NodeTable(segmentCount);

  let maxSpeedMps = 0;
  let minLat = Infinity;
  let maxLat = -Infinity;
  let arcCount = 0;
  let c = 0;
  for (let s = 0; s < segmentCount; s++) {
    const { row, flat } = kept[s]!;
    coordStart[s] = c;
    for (let i = 0; i < flat.length; i++) coords[c + i] = flat[i]!;
    const end = c + flat.length;
    for (let i = c + 1; i < end; i += 2) {
      const lat = coords[i]!;
      if (lat < minLat) minLat = lat;
      if (lat > maxLat) maxLat = lat;
    }
    segFrom[s] = nodes.idOf(coords[c]!, coords[c + 1]!);
    segTo[s] = nodes.idOf(coords[end - 2]!, coords[end - 1]!);
    const length = row.lengthM != null && Number.isFinite(row.lengthM) && row.lengthM >= 0 ? row.lengthM : polylineMeters(coords, c, end);
    const mps = speedKmh(row.class, row.maxspeedKmh) / 3.6;
    if (mps > maxSpeedMps) maxSpeedMps = mps;
    segLengthM[s] = length;
    segDurationS[s] = length / mps;
    const oneway = row.oneway === 1 || row.oneway === -1 ? row.oneway : 0;
    segOneway[s] = oneway;
    segId[s] = Number(row.id);
    segName[s] = names.idOf(row.name);
    segRef[s] = refs.idOf(row.ref);
    segClass[s] = classes.idOf(row.class);
    segMaxspeedKmh[s] = postedKmh(row.maxspeedKmh) ?? 0;
    arcCount += oneway === 0 ? 2 : 1;
    c = end;
  }
  coordStart[segmentCount] = c;
  kept.length = 0;

  const nodeCount = nodes.count;
  const nodeLng = nodes.lng.slice(0, nodeCount);
  const nodeLat = nodes.lat.slice(0, nodeCount);

  // CSR adjacency: count out-degrees, prefix sums, then place each arc.
  const firstArc = new Int32Array(nodeCount + 1);
  for (let s = 0; s < segmentCount; s++) {
    const oneway = segOneway[s]!;
    if (oneway >= 0) firstArc[segFrom[s]! + 1]!++;
    if (oneway <= 0) firstArc[segTo[s]! + 1]!++;
  }
  for (let n = 0; n < nodeCount; n++) firstArc[n + 1]! += firstArc[n]!;
  const fill = firstArc.slice(0, nodeCount);
  const arcHead = new Int32Array(arcCount);
  const arcSegDir = new Int32Array(arcCount);
  for (let s = 0; s < segmentCount; s++) {
    const oneway = segOneway[s]!;
    if (oneway >= 0) {
      const a = fill[segFrom[s]!]!++;
      arcHead[a] = segTo[s]!;
      arcSegDir[a] = s * 2 + FORWARD;
    }
    if (oneway <= 0) {
      const a = fill[segTo[s]!]!++;
      arcHead[a] = segFrom[s]!;
      arcSegDir[a] = s * 2 + BACKWARD;
    }
  }

  // Spatial index over segment boxes, in an equirectangular space around the middle latitude.
  const kx = segmentCount > 0 ? Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180) : 1;
  const segBox = new Float64Array(segmentCount * 4);
  const index = new Flatbush(Math.max(1, segmentCount));
  for (let s = 0; s < segmentCount; s++) {
    let x0 = Infinity;
    let y0 = Infinity;
    let x1 = -Infinity;
    let y1 = -Infinity;
    for (let i = coordStart[s]!; i < coordStart[s + 1]!; i += 2) {
      const x = coords[i]! * kx;
      const y = coords[i + 1]!;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
    segBox[s * 4] = x0;
    segBox[s * 4 + 1] = y0;
    segBox[s * 4 + 2] = x1;
    segBox[s * 4 + 3] = y1;
    index.add(x0, y0, x1, y1);
  }
  // Flatbush needs at least one item: an empty graph indexes one box that nothing refers to.
  if (segmentCount === 0) index.add(0, 0, 0, 0);
  index.finish();

  const graph: RoadGraph = {
    nodeCount,
    segmentCount,
    arcCount,
    nodeLng,
    nodeLat,
    firstArc,
    arcHead,
    arcSegDir,
    segFrom,
    segTo,
    segLengthM,
    segDurationS,
    segOneway,
    segId,
    segName,
    segRef,
    segClass,
    segMaxspeedKmh,
    coordStart,
    coords,
    names: names.values,
    refs: refs.values,
    classes: classes.values,
    index,
    segBox,
    kx,
    maxSpeedMps: maxSpeedMps || 1,
  };
  return { graph, report };
}

/** Bytes held by the graph's typed arrays and index (strings excluded). */
export function graphBytes(graph: RoadGraph): number {
  const arrays = [
    graph.nodeLng,
    graph.nodeLat,
    graph.firstArc,
    graph.arcHead,
    graph.arcSegDir,
    graph.segFrom,
    graph.segTo,
    graph.segLengthM,
    graph.segDurationS,
    graph.segOneway,
    graph.segId,
    graph.segName,
    graph.segRef,
    graph.segClass,
    graph.segMaxspeedKmh,
    graph.coordStart,
    graph.coords,
    graph.segBox,
  ];
  return arrays.reduce((sum, a) => sum + a.byteLength, 0) + graph.index.data.byteLength;
}

/** Segment indices whose street name matches (case-insensitive, whole name). */
export function segmentsNamed(graph: RoadGraph, name: string): number[] {
  const wanted = name.trim().toLowerCase();
  const ids = new Set<number>();
  graph.names.forEach((n, i) => {
    if (n.toLowerCase() === wanted) ids.add(i);
  });
  const out: number[] = [];
  if (ids.size === 0) return out;
  for (let s = 0; s < graph.segmentCount; s++) if (ids.has(graph.segName[s]!)) out.push(s);
  return out;
}
