import { addressOf, areaFeature, onewayOf, pointFeature, roadClass, type AddressTags, type FeatureLayer, type Tags } from './classify';
import { parseMaxspeed } from './maxspeed';
import { NodeStore } from './node-store';
import { splitAtJunctions } from './split';

/** What a reader hands over, object by object, in file order (nodes before the ways using them is not required). */
export interface OsmSink {
  node(id: number, lon: number, lat: number, tags: Tags | undefined): void;
  /** `id` null for a line without an OSM id (GeoJSON). */
  way(id: number | null, refs: ArrayLike<number>, tags: Tags | undefined): void;
  /** Relations (optional: GeoJSON has none). */
  relation?(id: number, members: ReadonlyArray<RelationMember>, tags: Tags | undefined): void;
}

export interface RelationMember {
  type: 'node' | 'way' | 'relation';
  ref: number;
  role: string;
}

/** One road piece between junctions (or way ends), as stored in road_segments. */
export interface RoadSegment {
  wayId: number | null;
  name: string | null;
  ref: string | null;
  class: string;
  maxspeedKmh: number | null;
  oneway: -1 | 0 | 1;
  /** lon, lat, lon, lat, … (≥ 2 points) */
  coords: Float64Array;
}

export type FeatureGeometry =
  | { type: 'Point'; lon: number; lat: number }
  /** One closed ring: lon, lat, … with the first point repeated last. */
  | { type: 'Polygon'; ring: Float64Array }
  /** A multipolygon relation's member ways as lines; the database builds the area (ST_BuildArea: inner rings become holes). */
  | { type: 'Area'; lines: Float64Array[] };

export interface MapFeature {
  layer: FeatureLayer;
  kind: string;
  name: string | null;
  geometry: FeatureGeometry;
}

export interface Address extends AddressTags {
  lon: number;
  lat: number;
}

export interface RoadNetworkData {
  /** OSM ways that became roads. */
  ways: number;
  segments: RoadSegment[];
  features: MapFeature[];
  addresses: Address[];
  /**
   * The coastline (natural=coastline ways, land on their left): the database turns the side of
   * it that is sea into water within the roads' extent (OSM maps seas and big harbours this way,
   * not as water areas).
   */
  coastlines: Float64Array[];
  /** [west, south, east, north] of the roads; null when there are none. */
  bbox: [number, number, number, number] | null;
  /** Nodes and ways read, for progress and diagnostics. */
  read: { nodes: number; ways: number };
}

interface RoadWay {
  id: number | null;
  refs: ArrayLike<number>;
  class: string;
  name: string | null;
  ref: string | null;
  maxspeedKmh: number | null;
  oneway: -1 | 0 | 1;
}

interface AreaRelation {
  ways: number[];
  feature: { layer: FeatureLayer; kind: string; name: string | null };
}

interface AreaWay {
  refs: ArrayLike<number>;
  feature: { layer: FeatureLayer; kind: string; name: string | null } | null;
  address: AddressTags | null;
}

/**
 * Collects what a reader emits and turns it into rows: roads split at junctions (see
 * ./split.ts), basemap features (closed ways as polygons, named places and POIs as points) and
 * addresses (nodes as points, closed ways at their centroid). Keeps every node's coordinates in
 * a compact {@link NodeStore} and only the ways it will use, plus the node lists of every other
 * way with an id (multipolygon members come before their relation and are usually untagged).
 * Multipolygon relations with a basemap tag (water, parks, landuse, buildings) become areas
 * built by the database from their member ways; a relation missing a member way or node (cut by
 * the extract's edge) is left out.
 */
export class NetworkBuilder implements OsmSink {
  private readonly nodes = new NodeStore();
  private readonly roads: RoadWay[] = [];
  private readonly areas: AreaWay[] = [];
  private readonly features: MapFeature[] = [];
  private readonly addresses: Address[] = [];
  private readonly otherWays = new Map<number, ArrayLike<number>>();
  private readonly relations: AreaRelation[] = [];
  private readonly coastlines: ArrayLike<number>[] = [];
  private waysRead = 0;

  node(id: number, lon: number, lat: number, tags: Tags | undefined): void {
    if (!Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lon) > 180 || Math.abs(lat) > 90) return;
    this.nodes.add(id, lon, lat);
    if (!tags) return;
    const feature = pointFeature(tags);
    if (feature) this.features.push({ ...feature, name: tags.name ?? null, geometry: { type: 'Point', lon, lat } });
    const address = addressOf(tags);
    if (address) this.addresses.push({ ...address, lon, lat });
  }

  way(id: number | null, refs: ArrayLike<number>, tags: Tags | undefined): void {
    this.waysRead++;
    if (refs.length < 2) return;
    if (!tags) {
      if (id !== null) this.otherWays.set(id, refs);
      return;
    }
    const cls = roadClass(tags);
    if (cls) {
      const oneway = onewayOf(tags);
      if (oneway !== null) {
        this.roads.push({ id, refs, class: cls, name: tags.name ?? null, ref: tags.ref ?? null, maxspeedKmh: parseMaxspeed(tags.maxspeed), oneway });
      }
      return;
    }
    if (id !== null) this.otherWays.set(id, refs);
    if (tags.natural === 'coastline') this.coastlines.push(refs);
    const closed = refs.length >= 4 && refs[0] === refs[refs.length - 1];
    if (!closed) return;
    const feature = areaFeature(tags);
    const address = addressOf(tags);
    if (feature || address) this.areas.push({ refs, feature: feature ? { ...feature, name: tags.name ?? null } : null, address });
  }

  relation(_id: number, members: ReadonlyArray<RelationMember>, tags: Tags | undefined): void {
    if (!tags || tags.type !== 'multipolygon') return;
    const feature = areaFeature(tags);
    if (!feature) return;
    const ways = members.filter((m) => m.type === 'way' && m.role !== 'subarea').map((m) => m.ref);
    if (ways.length > 0) this.relations.push({ ways, feature: { ...feature, name: tags.name ?? null } });
  }

  finish(): RoadNetworkData {
    const nodes = this.nodes;
    nodes.finish();
    const indexed = this.roads.map((w) => {
      const idx = new Int32Array(w.refs.length);
      for (let i = 0; i < w.refs.length; i++) idx[i] = nodes.indexOf(w.refs[i]!);
      return idx;
    });
    const pieces = splitAtJunctions(indexed, nodes.size);
    const segments: RoadSegment[] = [];
    let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
    let ways = 0;
    this.roads.forEach((road, k) => {
      const parts = pieces[k]!;
      if (parts.length > 0) ways++;
      for (const part of parts) {
        const coords = new Float64Array(part.length * 2);
        part.forEach((ix, j) => {
          const lon = nodes.lon(ix);
          const lat = nodes.lat(ix);
          coords[2 * j] = lon;
          coords[2 * j + 1] = lat;
          if (lon < w) w = lon;
          if (lon > e) e = lon;
          if (lat < s) s = lat;
          if (lat > n) n = lat;
        });
        segments.push({ wayId: road.id, name: road.name, ref: road.ref, class: road.class, maxspeedKmh: road.maxspeedKmh, oneway: road.oneway, coords });
      }
    });

    const features = [...this.features];
    const addresses = [...this.addresses];
    for (const area of this.areas) {
      const ring = this.ring(area.refs);
      if (!ring) continue;
      if (area.feature) features.push({ ...area.feature, geometry: { type: 'Polygon', ring } });
      if (area.address) addresses.push({ ...area.address, ...centroid(ring) });
    }
    for (const relation of this.relations) {
      const lines = this.lines(relation.ways);
      if (lines) features.push({ ...relation.feature, geometry: { type: 'Area', lines } });
    }
    const coastlines = this.coastlines.map((refs) => this.line(refs)).filter((line): line is Float64Array => line !== null);
    return { ways, segments, features, addresses, coastlines, bbox: segments.length ? [w, s, e, n] : null, read: { nodes: nodes.size, ways: this.waysRead } };
  }

  /** A way's line, or null when one of its nodes is not in the file. */
  private line(refs: ArrayLike<number>): Float64Array | null {
    const line = new Float64Array(refs.length * 2);
    for (let i = 0; i < refs.length; i++) {
      const ix = this.nodes.indexOf(refs[i]!);
      if (ix < 0) return null;
      line[2 * i] = this.nodes.lon(ix);
      line[2 * i + 1] = this.nodes.lat(ix);
    }
    return line;
  }

  /** The member ways' lines, or null when a way or one of its nodes is not in the file. */
  private lines(wayIds: readonly number[]): Float64Array[] | null {
    const lines: Float64Array[] = [];
    for (const id of wayIds) {
      const refs = this.otherWays.get(id);
      const line = refs ? this.line(refs) : null;
      if (!line) return null;
      lines.push(line);
    }
    return lines;
  }

  /** The closed ring of a way, or null when a node is missing or fewer than 3 distinct points remain. */
  private ring(refs: ArrayLike<number>): Float64Array | null {
    const out = new Float64Array(refs.length * 2);
    for (let i = 0; i < refs.length; i++) {
      const ix = this.nodes.indexOf(refs[i]!);
      if (ix < 0) return null;
      out[2 * i] = this.nodes.lon(ix);
      out[2 * i + 1] = this.nodes.lat(ix);
    }
    return refs.length >= 4 ? out : null;
  }
}

/** The area centroid of a closed ring (planar in degrees: fine at building scale); the vertex mean for a degenerate ring. */
export function centroid(ring: Float64Array): { lon: number; lat: number } {
  const k = ring.length / 2 - 1; // distinct points (last repeats the first)
  const x0 = ring[0]!;
  const y0 = ring[1]!;
  let a = 0, cx = 0, cy = 0;
  for (let i = 0; i < k; i++) {
    const x1 = ring[2 * i]! - x0, y1 = ring[2 * i + 1]! - y0;
    const x2 = ring[2 * i + 2]! - x0, y2 = ring[2 * i + 3]! - y0;
    const cross = x1 * y2 - x2 * y1;
    a += cross;
    cx += (x1 + x2) * cross;
    cy += (y1 + y2) * cross;
  }
  if (Math.abs(a) < 1e-18) {
    let sx = 0, sy = 0;
    for (let i = 0; i < k; i++) {
      sx += ring[2 * i]!;
      sy += ring[2 * i + 1]!;
    }
    return { lon: sx / k, lat: sy / k };
  }
  return { lon: x0 + cx / (3 * a), lat: y0 + cy / (3 * a) };
}
