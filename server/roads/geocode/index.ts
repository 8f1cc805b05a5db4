/**
 * Offline address and place search over a tenant's imported map data (pure: no database).
 * See docs/geocoding.md.
 */
export { buildGeocodeIndex, geocodeIndexBytes, KINDS, type GeocodeBuildReport, type GeocodeIndex, type GeocodeKind, type GeocodeSource, type AddressInput, type FeatureInput, type StreetSegmentInput } from './build';
export { GeocodeSearcher, DEFAULT_LIMIT, type GeocodeHit, type SearchOptions } from './search';
export { nearestAddress, streetAt, initialBearing, REVERSE_ADDRESS_M, type StreetAt } from './reverse';
export { tokenize, normalizeText } from './normalize';
export { fromNetworkData } from './from-network';
