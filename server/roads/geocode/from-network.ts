import type { RoadNetworkData } from '../import/builder';
import type { GeocodeSource } from './build';

/**
 * The geocoder's input straight from an import's in-memory result (benchmarks, tests), the same
 * rows the database loader gives: named segments, addresses, named places and POIs (area
 * features as points are not in the import's output: places and POIs are nodes).
 */
export function fromNetworkData(data: RoadNetworkData): GeocodeSource {
  return {
    streets: data.segments.filter((s) => s.name).map((s) => ({ name: s.name!, class: s.class, coords: s.coords })),
    addresses: data.addresses.map((a) => ({ housenumber: a.housenumber, street: a.street, postcode: a.postcode, city: a.city, name: a.name, lng: a.lon, lat: a.lat })),
    features: data.features.flatMap((f) =>
      (f.layer === 'place' || f.layer === 'poi') && f.name && f.geometry.type === 'Point'
        ? [{ layer: f.layer, kind: f.kind, name: f.name, lng: f.geometry.lon, lat: f.geometry.lat }]
        : [],
    ),
  };
}
