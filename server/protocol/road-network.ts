/**
 * A tenant's imported road network as REST, the admin page and the routing graph see it.
 */

/** What one import produced (road_networks.summary). */
export interface RoadNetworkSummary {
  /** OSM ways (or GeoJSON lines) that became roads. */
  ways: number;
  /** road_segments rows: the ways split at junctions. */
  segments: number;
  /** Kilometres of road by class (OSM highway value). */
  kmByClass: Record<string, number>;
  /** map_features rows. */
  features: number;
  /** addresses rows. */
  addresses: number;
  /** Extent of the roads: [west, south, east, north]. */
  bbox: [number, number, number, number];
}

/** GET /api/v1/road-network: the current network, or `network: null` before the first import. */
export interface RoadNetworkDto {
  network: { source: string; importedAt: string; summary: RoadNetworkSummary } | null;
}

export type RoadImportPhase = 'reading' | 'building' | 'writing' | 'done';

/** Progress of an import: the phase, bytes of the file read so far (and its size when known), rows written. */
export interface RoadImportProgress {
  phase: RoadImportPhase;
  bytesRead: number;
  totalBytes: number | null;
  rowsWritten: number;
  totalRows: number | null;
}
