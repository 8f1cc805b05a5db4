/**
 * Reverse geocoding: the nearest address within a few tens of meters (from the geocode index),
 * and the street under a point (the routing graph's snapping: the nearest drivable segment),
 * with the bearing of that street where the point meets it.
 */
import type { ReverseStreetDto } from '../../protocol/geocode';
import type { RoadGraph } from '../graph/build';
import { haversineMeters, METERS_PER_DEGREE, RAD } from '../graph/geo';
import { snapToNetwork } from '../graph/snap';
import { ADDRESS, type GeocodeIndex } from './build';

/** An address farther than this (m) from the point is not "at" it. */
export const REVERSE_ADDRESS_M = 50;

export interface NearestAddress {
  entry: number;
  distanceM: number;
}

/** The nearest address entry within `maxM` meters, or null. */
export function nearestAddress(index: GeocodeIndex, lng: number, lat: number, maxM = REVERSE_ADDRESS_M): NearestAddress | null {
  if (!index.addressIndex) return null;
  // Index space is exact at the centre's latitude: widen the search for the query's own scale.
  const scale = Math.max(1, index.kx / Math.max(0.05, Math.cos(lat * RAD)));
  const ids = index.addressIndex.neighbors(lng * index.kx, lat, 4, ((maxM * 1.5) / METERS_PER_DEGREE) * scale);
  let best: NearestAddress | null = null;
  for (const i of ids) {
    const e = index.addressIds[i]!;
    if (index.kind[e] !== ADDRESS) continue;
    const d = haversineMeters(lng, lat, index.lng[e]!, index.lat[e]!);
    if (d <= maxM && (!best || d < best.distanceM)) best = { entry: e, distanceM: d };
  }
  return best;
}

/** The street under a point: the reverse endpoint's `street`, before rounding. */
export type StreetAt = ReverseStreetDto;

/** The street under (lng, lat): the nearest drivable road within `maxM`, or null. */
export function streetAt(graph: RoadGraph, lng: number, lat: number, maxM: number): StreetAt | null {
  const snap = snapToNetwork(graph, lng, lat, maxM);
  if (!snap) return null;
  const s = snap.segment;
  const i = graph.coordStart[s]! + snap.vertex * 2;
  let bearing = initialBearing(graph.coords[i]!, graph.coords[i + 1]!, graph.coords[i + 2]!, graph.coords[i + 3]!);
  const oneway = graph.segOneway[s]!;
  if (oneway === -1) bearing = (bearing + 180) % 360;
  const nameId = graph.segName[s]!;
  const refId = graph.segRef[s]!;
  return {
    name: nameId < 0 ? null : graph.names[nameId]!,
    ref: refId < 0 ? null : graph.refs[refId]!,
    class: graph.classes[graph.segClass[s]!]!,
    lng: snap.lng,
    lat: snap.lat,
    distanceM: snap.distanceM,
    bearing: Math.round(bearing * 10) / 10,
    oneway: oneway !== 0,
  };
}

/** Initial great-circle bearing from a to b, degrees 0..360 clockwise from north. */
export function initialBearing(lng1: number, lat1: number, lng2: number, lat2: number): number {
  const φ1 = lat1 * RAD;
  const φ2 = lat2 * RAD;
  const Δλ = (lng2 - lng1) * RAD;
  const y = Math.sin(Δλ) * Math.cos(φ2);
  const x = Math.cos(φ1) * Math.sin(φ2) - Math.sin(φ1) * Math.cos(φ2) * Math.cos(Δλ);
  return ((Math.atan2(y, x) / RAD) % 360 + 360) % 360;
}
