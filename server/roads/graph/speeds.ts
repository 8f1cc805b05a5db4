/**
 * Which road classes (OSM `highway` values) a car may drive, and the speed assumed on each when
 * the segment has no posted limit (`maxspeed_kmh` NULL). docs/routing.md shows the same table:
 * keep them in step.
 */

/** km/h by class, for segments without a usable maxspeed. */
export const DEFAULT_SPEED_KMH: Readonly<Record<string, number>> = {
  motorway: 100,
  motorway_link: 60,
  trunk: 80,
  trunk_link: 50,
  primary: 60,
  primary_link: 45,
  secondary: 50,
  secondary_link: 40,
  tertiary: 40,
  tertiary_link: 35,
  unclassified: 35,
  residential: 30,
  road: 30,
  living_street: 10,
  service: 15,
  track: 15,
  pedestrian: 10,
  footway: 10,
  cycleway: 10,
  path: 10,
  bridleway: 10,
};

/** Speed for a class missing from the table (but drivable). */
export const FALLBACK_SPEED_KMH = 30;

/**
 * Classes no car uses, whatever their tags: the graph leaves them out. (The import keeps track,
 * pedestrian, footway, cycleway, path and bridleway only where their access admits motor
 * vehicles, so those stay in the graph, slowly.)
 */
export const NOT_DRIVABLE: ReadonlySet<string> = new Set([
  'steps',
  'corridor',
  'platform',
  'construction',
  'proposed',
  'abandoned',
  'disused',
  'elevator',
  'bus_guideway',
  'busway',
  'raceway',
  'via_ferrata',
  'escape',
]);

/** Posted limits outside this range are treated as unknown (typos, "999" placeholders). */
const MIN_POSTED_KMH = 5;
const MAX_POSTED_KMH = 200;

export function isDrivable(roadClass: string): boolean {
  return !NOT_DRIVABLE.has(roadClass);
}

/** The posted limit when it is plausible, else null (unknown). */
export function postedKmh(maxspeedKmh: number | null | undefined): number | null {
  return maxspeedKmh != null && Number.isFinite(maxspeedKmh) && maxspeedKmh >= MIN_POSTED_KMH && maxspeedKmh <= MAX_POSTED_KMH ? maxspeedKmh : null;
}

/** The speed used for travel time: the posted limit when plausible, else the class default. */
export function speedKmh(roadClass: string, maxspeedKmh: number | null | undefined): number {
  return postedKmh(maxspeedKmh) ?? DEFAULT_SPEED_KMH[roadClass] ?? FALLBACK_SPEED_KMH;
}
