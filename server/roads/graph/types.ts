/**
 * One row of road_segments as the graph takes it (from the database loader, or straight from an
 * import reader). `coords` is the LineString, flat `[lng, lat, lng, lat, …]` or as pairs.
 */
export interface RoadSegmentRow {
  id: number;
  wayId: number | null;
  name: string | null;
  ref: string | null;
  /** OSM highway value (motorway, residential, …). */
  class: string;
  /** Posted limit in km/h; null → the class default (speeds.ts). */
  maxspeedKmh: number | null;
  /** 0 both ways, 1 only along the line, -1 only against it. */
  oneway: -1 | 0 | 1;
  coords: readonly number[] | readonly (readonly [number, number])[] | Float64Array;
  /** Length in meters (PostGIS geography length); computed from coords when missing. */
  lengthM?: number | null;
}

/** Which way an arc runs over its segment. */
export const FORWARD = 0;
export const BACKWARD = 1;
