/**
 * History snapped to roads (`?matched=true`): the matcher runs offline over the window's
 * positions; each position's geometry becomes its matched point (the reported one kept in
 * `raw`, its road in `road`), and the track follows the roads between matched positions.
 */
import type { MapMatcher } from '../roads/matching/matcher';
import { matchTrace } from '../roads/matching/trace';
import type { HistoryFeatureCollection, HistoryPointProperties } from '../protocol/spatial';

export function matchHistory(collection: HistoryFeatureCollection, matcher: MapMatcher): HistoryFeatureCollection {
  const [track, ...points] = collection.features;
  const fixes = points.map((f) => ({
    lng: f.geometry.coordinates[0],
    lat: f.geometry.coordinates[1],
    ts: Date.parse(f.properties.ts),
    speed: f.properties.speed,
    accuracy: f.properties.accuracy,
  }));
  const result = matchTrace(matcher, fixes);
  let matchedCount = 0;
  const matchedPoints = points.map((f, i) => {
    const m = result.matches[i];
    const properties: HistoryPointProperties = { ...f.properties, raw: f.geometry.coordinates, road: null };
    if (!m) return { ...f, properties };
    matchedCount++;
    properties.road = { segmentId: m.segmentId, name: m.name, ref: m.ref, class: m.class, limitKmh: m.limitKmh, distanceM: Math.round(m.distanceM * 10) / 10 };
    return { ...f, geometry: { type: 'Point' as const, coordinates: [m.lng, m.lat] as [number, number] }, properties };
  });
  return {
    type: 'FeatureCollection',
    features: [
      {
        ...track,
        geometry: result.line.length >= 2 ? { type: 'LineString', coordinates: result.line } : null,
        properties: { ...track.properties, matched: true, matchedCount, lengthM: Math.round(result.lengthM * 10) / 10 },
      },
      ...matchedPoints,
    ],
  };
}

