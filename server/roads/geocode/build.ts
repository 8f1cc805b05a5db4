/**
 * The search index of one tenant, built from its addresses, street names, named places and POIs,
 * in typed arrays: one row per entry (kind, position, importance, string ids), a sorted token
 * vocabulary (so every prefix is one contiguous range of token ids), a forward list of each
 * entry's tokens and the inverted postings of each token. No object per entry.
 */
import Flatbush from 'flatbush';
import { METERS_PER_DEGREE, RAD, haversineMeters } from '../graph/geo';
import { tokenize } from './normalize';

export const KINDS = ['address', 'street', 'place', 'poi'] as const;
export type GeocodeKind = (typeof KINDS)[number];
export const ADDRESS = 0;
export const STREET = 1;
export const PLACE = 2;
export const POI = 3;

export interface StreetSegmentInput {
  name: string;
  /** OSM highway value. */
  class: string;
  /** Flat lng, lat, lng, lat, … */
  coords: ArrayLike<number>;
}

export interface AddressInput {
  housenumber: string | null;
  street: string | null;
  postcode: string | null;
  city: string | null;
  name: string | null;
  lng: number;
  lat: number;
}

export interface FeatureInput {
  layer: 'place' | 'poi';
  /** OSM value: city, suburb, neighbourhood… for places; restaurant, cafe… for POIs. */
  kind: string;
  name: string;
  lng: number;
  lat: number;
}

export interface GeocodeSource {
  streets: readonly StreetSegmentInput[];
  addresses: readonly AddressInput[];
  features: readonly FeatureInput[];
}

/** String columns per entry (index into `strings`, -1 when none). */
export const COL_NAME = 0;
export const COL_HOUSENUMBER = 1;
export const COL_STREET = 2;
export const COL_POSTCODE = 3;
/** City for addresses; for streets and POIs the nearest neighbourhood or suburb (label context). */
export const COL_CONTEXT = 4;
/** OSM kind of places and POIs. */
export const COL_SUBKIND = 5;
export const COLS = 6;

export interface GeocodeIndex {
  readonly size: number;
  readonly kind: Uint8Array;
  readonly lng: Float64Array;
  readonly lat: Float64Array;
  /** 0..1: place rank, road class and length. */
  readonly importance: Float32Array;
  /** Per entry COLS string ids. */
  readonly cols: Int32Array;
  readonly strings: readonly string[];
  /** Streets: west, south, east, north; NaN for the other kinds. */
  readonly bbox: Float32Array;
  /** Sorted distinct tokens; a token's id is its rank. */
  readonly vocab: readonly string[];
  /** Entry e's tokens are entryTok[entryTokStart[e] .. entryTokStart[e + 1]), the first entryPrimary[e] the "name" tokens. */
  readonly entryTokStart: Int32Array;
  readonly entryTok: Int32Array;
  readonly entryPrimary: Uint8Array;
  /** Token t's entries are post[postStart[t] .. postStart[t + 1]) (ascending). */
  readonly postStart: Int32Array;
  readonly post: Int32Array;
  /** Address points (entry ids of kind address), for reverse geocoding; x = lng·kx, y = lat. */
  readonly addressIndex: Flatbush | null;
  readonly addressIds: Int32Array;
  readonly kx: number;
  /** Centre of the tenant's area (the streets' extent), the default focus of proximity. */
  readonly centre: { lng: number; lat: number };
}

export interface GeocodeBuildReport {
  entries: number;
  addresses: number;
  streets: number;
  places: number;
  pois: number;
  tokens: number;
  postings: number;
}

const CLASS_RANK: Record<string, number> = {
  motorway: 1, trunk: 1, primary: 0.9, secondary: 0.8, tertiary: 0.7, motorway_link: 0.6, trunk_link: 0.6, primary_link: 0.6,
  secondary_link: 0.55, tertiary_link: 0.55, unclassified: 0.5, residential: 0.5, living_street: 0.4, service: 0.3,
};
const PLACE_RANK: Record<string, number> = { city: 1, town: 0.9, suburb: 0.85, borough: 0.85, quarter: 0.8, village: 0.75, neighbourhood: 0.7, hamlet: 0.6, locality: 0.55 };
/** Segments of one name farther apart than this (m) become separate street entries. */
export const STREET_SPLIT_M = 1000;
/** Streets and POIs take the nearest neighbourhood/suburb within this distance (m) as label context. */
const CONTEXT_M = 3000;

interface Pending {
  kind: number;
  lng: number;
  lat: number;
  importance: number;
  cols: number[];
  bbox: [number, number, number, number] | null;
  primary: string[];
  secondary: string[];
}

class Strings {
  readonly list: string[] = [];
  private readonly ids = new Map<string, number>();
  id(s: string | null | undefined): number {
    if (s == null || s === '') return -1;
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.list.length;
      this.list.push(s);
      this.ids.set(s, id);
    }
    return id;
  }
}

export function buildGeocodeIndex(source: GeocodeSource): { index: GeocodeIndex; report: GeocodeBuildReport } {
  const strings = new Strings();
  const pending: Pending[] = [];
  const cols = (c: Partial<Record<number, string | null>>) => {
    const out = new Array<number>(COLS).fill(-1);
    for (const [k, v] of Object.entries(c)) out[Number(k)] = strings.id(v);
    return out;
  };

  // Places first: streets and POIs take the nearest one as context.
  const places = source.features.filter((f) => f.layer === 'place' && f.name);
  const local = places.filter((p) => p.kind !== 'city' && p.kind !== 'town');
  const contextAt = (lng: number, lat: number): string | null => {
    let best: string | null = null;
    let bestD = CONTEXT_M;
    for (const p of local) {
      const d = haversineMeters(lng, lat, p.lng, p.lat);
      if (d < bestD) {
        bestD = d;
        best = p.name;
      }
    }
    return best;
  };
  for (const p of places) {
    pending.push({ kind: PLACE, lng: p.lng, lat: p.lat, importance: PLACE_RANK[p.kind] ?? 0.5, cols: cols({ [COL_NAME]: p.name, [COL_SUBKIND]: p.kind }), bbox: null, primary: tokenize(p.name), secondary: [] });
  }

  // Addresses, and where a POI stands exactly on an address node, that address as its context.
  const addressAt = new Map<string, AddressInput>();
  let addressCount = 0;
  for (const a of source.addresses) {
    if (!a.housenumber || !a.street) continue;
    addressCount++;
    addressAt.set(`${a.lng},${a.lat}`, a);
    pending.push({
      kind: ADDRESS,
      lng: a.lng,
      lat: a.lat,
      importance: 0.4,
      cols: cols({ [COL_NAME]: a.name, [COL_HOUSENUMBER]: a.housenumber, [COL_STREET]: a.street, [COL_POSTCODE]: a.postcode, [COL_CONTEXT]: a.city }),
      bbox: null,
      primary: [...tokenize(a.housenumber), ...tokenize(a.street)],
      secondary: [...tokenize(a.postcode ?? ''), ...tokenize(a.city ?? ''), ...tokenize(a.name ?? '')],
    });
  }
  let poiCount = 0;
  for (const f of source.features) {
    if (f.layer !== 'poi' || !f.name) continue;
    poiCount++;
    const at = addressAt.get(`${f.lng},${f.lat}`);
    pending.push({
      kind: POI,
      lng: f.lng,
      lat: f.lat,
      importance: 0.5,
      cols: cols({ [COL_NAME]: f.name, [COL_SUBKIND]: f.kind, [COL_HOUSENUMBER]: at?.housenumber, [COL_STREET]: at?.street, [COL_CONTEXT]: at ? null : contextAt(f.lng, f.lat) }),
      bbox: null,
      primary: tokenize(f.name),
      secondary: tokenize(f.kind.replace(/_/g, ' ')),
    });
  }

  // Streets: one entry per name and connected stretch (segments sharing end points, or closer than STREET_SPLIT_M).
  let streetCount = 0;
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  for (const [name, segs] of groupByName(source.streets)) {
    for (const cluster of clusterSegments(segs)) {
      streetCount++;
      const box = cluster.bbox;
      if (box[0] < w) w = box[0];
      if (box[1] < s) s = box[1];
      if (box[2] > e) e = box[2];
      if (box[3] > n) n = box[3];
      const at = nearestVertex(cluster.segments, (box[0] + box[2]) / 2, (box[1] + box[3]) / 2);
      const importance = 0.7 * cluster.classRank + 0.3 * Math.min(1, Math.log10(1 + cluster.lengthM) / 4);
      pending.push({ kind: STREET, lng: at[0], lat: at[1], importance, cols: cols({ [COL_NAME]: name, [COL_CONTEXT]: contextAt(at[0], at[1]) }), bbox: box, primary: tokenize(name), secondary: [] });
    }
  }
  if (!Number.isFinite(w)) {
    // No streets: the extent of whatever there is.
    for (const p of pending) {
      w = Math.min(w, p.lng);
      e = Math.max(e, p.lng);
      s = Math.min(s, p.lat);
      n = Math.max(n, p.lat);
    }
  }
  const centre = Number.isFinite(w) ? { lng: (w + e) / 2, lat: (s + n) / 2 } : { lng: 0, lat: 0 };

  // Vocabulary: sorted, ids by rank.
  const vocabSet = new Set<string>();
  for (const p of pending) {
    for (const t of p.primary) vocabSet.add(t);
    for (const t of p.secondary) vocabSet.add(t);
  }
  const vocab = [...vocabSet].sort();
  const tokenId = new Map(vocab.map((t, i) => [t, i]));

  const size = pending.length;
  const kind = new Uint8Array(size);
  const lng = new Float64Array(size);
  const lat = new Float64Array(size);
  const importance = new Float32Array(size);
  const colArr = new Int32Array(size * COLS);
  const bbox = new Float32Array(size * 4).fill(NaN);
  const entryTokStart = new Int32Array(size + 1);
  const entryPrimary = new Uint8Array(size);
  const forward: number[] = [];
  const counts = new Int32Array(vocab.length + 1);
  pending.forEach((p, i) => {
    kind[i] = p.kind;
    lng[i] = p.lng;
    lat[i] = p.lat;
    importance[i] = p.importance;
    colArr.set(p.cols, i * COLS);
    if (p.bbox) bbox.set(p.bbox, i * 4);
    entryTokStart[i] = forward.length;
    // Distinct tokens; primary first (a word in both stays primary).
    const seen = new Set<number>();
    for (const t of p.primary) {
      const id = tokenId.get(t)!;
      if (!seen.has(id)) {
        seen.add(id);
        forward.push(id);
      }
    }
    entryPrimary[i] = Math.min(255, seen.size);
    for (const t of p.secondary) {
      const id = tokenId.get(t)!;
      if (!seen.has(id)) {
        seen.add(id);
        forward.push(id);
      }
    }
    for (const id of seen) counts[id + 1]!++;
  });
  entryTokStart[size] = forward.length;
  const entryTok = Int32Array.from(forward);
  const postStart = new Int32Array(vocab.length + 1);
  for (let t = 0; t < vocab.length; t++) postStart[t + 1] = postStart[t]! + counts[t + 1]!;
  const post = new Int32Array(entryTok.length);
  const fill = postStart.slice(0, vocab.length);
  for (let i = 0; i < size; i++) for (let k = entryTokStart[i]!; k < entryTokStart[i + 1]!; k++) post[fill[entryTok[k]!]!++] = i;

  // Address points for reverse geocoding.
  const kx = Math.cos(centre.lat * RAD);
  const addressIds = new Int32Array(addressCount);
  let ai = 0;
  for (let i = 0; i < size; i++) if (kind[i] === ADDRESS) addressIds[ai++] = i;
  let addressIndex: Flatbush | null = null;
  if (addressCount > 0) {
    addressIndex = new Flatbush(addressCount);
    for (const id of addressIds) addressIndex.add(lng[id]! * kx, lat[id]!, lng[id]! * kx, lat[id]!);
    addressIndex.finish();
  }

  const index: GeocodeIndex = {
    size, kind, lng, lat, importance, cols: colArr, strings: strings.list, bbox, vocab, entryTokStart, entryTok, entryPrimary, postStart, post, addressIndex, addressIds, kx, centre,
  };
  return {
    index,
    report: { entries: size, addresses: addressCount, streets: streetCount, places: places.length, pois: poiCount, tokens: vocab.length, postings: post.length },
  };
}

/**
 * Bytes held by the index: typed arrays and flatbush exactly, strings (vocabulary and labels)
 * at 2 bytes per character plus ≈16 bytes per string header (V8 keeps one-byte strings in 1 byte
 * per character, so this errs high).
 */
export function geocodeIndexBytes(index: GeocodeIndex): number {
  let bytes = 0;
  for (const a of [index.kind, index.lng, index.lat, index.importance, index.cols, index.bbox, index.entryTokStart, index.entryTok, index.entryPrimary, index.postStart, index.post, index.addressIds]) bytes += a.byteLength;
  if (index.addressIndex) bytes += index.addressIndex.data.byteLength;
  for (const s of index.strings) bytes += 16 + 2 * s.length;
  for (const s of index.vocab) bytes += 16 + 2 * s.length;
  return bytes;
}

function groupByName(segments: readonly StreetSegmentInput[]): Map<string, StreetSegmentInput[]> {
  const byName = new Map<string, StreetSegmentInput[]>();
  for (const seg of segments) {
    if (!seg.name || seg.coords.length < 4) continue;
    const list = byName.get(seg.name);
    if (list) list.push(seg);
    else byName.set(seg.name, [seg]);
  }
  return byName;
}

interface Cluster {
  segments: StreetSegmentInput[];
  bbox: [number, number, number, number];
  lengthM: number;
  classRank: number;
}

/**
 * Segments of one name in groups: first those connected through shared end points (union-find),
 * then groups whose extents come closer than STREET_SPLIT_M merged (a few per name, pairwise).
 */
function clusterSegments(segs: StreetSegmentInput[]): Cluster[] {
  const parent = segs.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const byEnd = new Map<string, number>();
  segs.forEach((seg, i) => {
    const c = seg.coords;
    for (const k of [0, c.length - 2]) {
      const key = `${c[k]},${c[k + 1]}`;
      const other = byEnd.get(key);
      if (other === undefined) byEnd.set(key, i);
      else parent[find(i)] = find(other);
    }
  });
  const groups = new Map<number, Cluster>();
  segs.forEach((seg, i) => {
    const root = find(i);
    let g = groups.get(root);
    if (!g) groups.set(root, (g = { segments: [], bbox: [Infinity, Infinity, -Infinity, -Infinity], lengthM: 0, classRank: 0 }));
    g.segments.push(seg);
    const c = seg.coords;
    for (let k = 0; k < c.length; k += 2) {
      if (c[k]! < g.bbox[0]) g.bbox[0] = c[k]!;
      if (c[k + 1]! < g.bbox[1]) g.bbox[1] = c[k + 1]!;
      if (c[k]! > g.bbox[2]) g.bbox[2] = c[k]!;
      if (c[k + 1]! > g.bbox[3]) g.bbox[3] = c[k + 1]!;
      if (k > 0) g.lengthM += haversineMeters(c[k - 2]!, c[k - 1]!, c[k]!, c[k + 1]!);
    }
    g.classRank = Math.max(g.classRank, CLASS_RANK[seg.class] ?? 0.4);
  });
  const clusters = [...groups.values()];
  let merged = true;
  while (merged && clusters.length > 1) {
    merged = false;
    outer: for (let i = 0; i < clusters.length; i++) {
      for (let j = i + 1; j < clusters.length; j++) {
        if (boxGapM(clusters[i]!.bbox, clusters[j]!.bbox) < STREET_SPLIT_M) {
          const a = clusters[i]!;
          const b = clusters.splice(j, 1)[0]!;
          a.segments.push(...b.segments);
          a.bbox = [Math.min(a.bbox[0], b.bbox[0]), Math.min(a.bbox[1], b.bbox[1]), Math.max(a.bbox[2], b.bbox[2]), Math.max(a.bbox[3], b.bbox[3])];
          a.lengthM += b.lengthM;
          a.classRank = Math.max(a.classRank, b.classRank);
          merged = true;
          break outer;
        }
      }
    }
  }
  return clusters;
}

/** Meters between two boxes (0 when they overlap), equirectangular. */
function boxGapM(a: readonly number[], b: readonly number[]): number {
  const kx = Math.cos(((a[1]! + a[3]!) / 2) * RAD);
  const dx = Math.max(0, a[0]! - b[2]!, b[0]! - a[2]!) * kx;
  const dy = Math.max(0, a[1]! - b[3]!, b[1]! - a[3]!);
  return Math.hypot(dx, dy) * METERS_PER_DEGREE;
}

/**
 * A point ON the street near a point (its extent's centre): of each segment's half-way point
 * (half its length along the line), the nearest — between junctions, so that reverse geocoding
 * there names this street and a marker there sits on it.
 */
function nearestVertex(segments: readonly StreetSegmentInput[], lng: number, lat: number): [number, number] {
  const kx = Math.cos(lat * RAD);
  let best: [number, number] = [segments[0]!.coords[0]!, segments[0]!.coords[1]!];
  let bestD = Infinity;
  for (const seg of segments) {
    const mid = halfway(seg.coords, kx);
    const dx = (mid[0] - lng) * kx;
    const dy = mid[1] - lat;
    const d = dx * dx + dy * dy;
    if (d < bestD) {
      bestD = d;
      best = mid;
    }
  }
  return best;
}

function halfway(c: ArrayLike<number>, kx: number): [number, number] {
  let total = 0;
  for (let k = 2; k < c.length; k += 2) total += Math.hypot((c[k]! - c[k - 2]!) * kx, c[k + 1]! - c[k - 1]!);
  let left = total / 2;
  for (let k = 2; k < c.length; k += 2) {
    const piece = Math.hypot((c[k]! - c[k - 2]!) * kx, c[k + 1]! - c[k - 1]!);
    if (piece >= left && piece > 0) {
      const t = left / piece;
      return [c[k - 2]! + t * (c[k]! - c[k - 2]!), c[k - 1]! + t * (c[k + 1]! - c[k - 1]!)];
    }
    left -= piece;
  }
  return [c[0]!, c[1]!];
}
