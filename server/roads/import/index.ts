/**
 * Road network import: OSM PBF / OSM XML (.osm, .osm.gz) / GeoJSON → a tenant's road_segments
 * (split at junctions), map_features and addresses, replaced in one transaction.
 */
export { importRoadNetwork, IMPORT_TRANSACTION, type RoadImportInput, type RoadImportOptions, type RoadImportResult } from './import';
export { RoadImportError, isRoadImportError, type RoadImportErrorCode } from './errors';
export { NetworkBuilder, type OsmSink, type RoadNetworkData, type RoadSegment, type MapFeature, type Address } from './builder';
export { readOsm, sniffFormat, type InputFormat } from './readers';
export { parseMaxspeed } from './maxspeed';
export { roadClass, onewayOf, motorAccess, areaFeature, pointFeature, addressOf } from './classify';
export { splitAtJunctions } from './split';
