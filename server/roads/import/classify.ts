/**
 * Which OSM objects become what: roads (road_segments), basemap features (map_features) and
 * addresses. Pure functions of an object's tags.
 */

export type Tags = Readonly<Record<string, string>>;

/** Highway values vehicles use: always roads unless their access says otherwise. */
const MOTOR_CLASSES = new Set([
  'motorway', 'trunk', 'primary', 'secondary', 'tertiary', 'unclassified', 'residential',
  'service', 'living_street', 'road',
  'motorway_link', 'trunk_link', 'primary_link', 'secondary_link', 'tertiary_link',
]);

/** Highway values for other traffic: roads only when they explicitly admit motor vehicles. */
const NON_MOTOR_CLASSES = new Set(['track', 'pedestrian', 'footway', 'cycleway', 'path', 'bridleway']);

/** Access values that keep ordinary vehicles out. */
const NO_ACCESS = new Set(['no', 'private', 'agricultural', 'forestry', 'emergency', 'military', 'delivery', 'customers', 'permit']);
/** Access values that let them in. */
const ACCESS = new Set(['yes', 'designated', 'permissive', 'destination', 'official']);

/** The access keys for a car, most specific first (the first one present decides). */
const ACCESS_KEYS = ['motorcar', 'motor_vehicle', 'vehicle', 'access'] as const;

/** What the most specific access tag present says for a car: true, false, or undefined if untagged/unknown. */
export function motorAccess(tags: Tags): boolean | undefined {
  for (const key of ACCESS_KEYS) {
    const v = tags[key];
    if (v === undefined) continue;
    if (ACCESS.has(v)) return true;
    if (NO_ACCESS.has(v)) return false;
    // Unknown value (e.g. "unknown", "bus"): look at the next, less specific key.
  }
  return undefined;
}

/**
 * The road class (the OSM highway value) when a car may use the way, else null.
 * - motorway … residential, service, living_street, road and the *_link classes are roads unless
 *   access (motorcar > motor_vehicle > vehicle > access) is no / private / agricultural /
 *   forestry / emergency / military / delivery / customers / permit;
 * - track, pedestrian, footway, cycleway, path, bridleway only with explicit motor access
 *   (yes / designated / permissive / destination / official);
 * - steps, construction, proposed, abandoned, platforms, raceways, bus-only ways, and highway
 *   areas (area=yes: squares, not lines) never.
 */
export function roadClass(tags: Tags): string | null {
  const highway = tags.highway;
  if (!highway || tags.area === 'yes') return null;
  const access = motorAccess(tags);
  if (MOTOR_CLASSES.has(highway)) return access === false ? null : highway;
  if (NON_MOTOR_CLASSES.has(highway)) return access === true ? highway : null;
  return null;
}

/**
 * Travel direction: 1 only along the way, -1 only against it, 0 both, null to leave the way out.
 * oneway=yes/true/1 → 1; oneway=-1/reverse → -1; oneway=no/false/0 → 0. Implied oneway when
 * untagged: highway=motorway and junction=roundabout/circular (OSM's defaults; *_link is not
 * implied, as OSM leaves that to each country's tagging). oneway=reversible/alternating (the
 * direction changes by time of day or by signals) → null: the way is left out of the network,
 * as OSRM does, since routing over it in either fixed direction could send a vehicle the
 * wrong way. Unknown values fall back to the implied default.
 */
export function onewayOf(tags: Tags): -1 | 0 | 1 | null {
  const v = tags.oneway;
  switch (v) {
    case 'yes': case 'true': case '1': return 1;
    case '-1': case 'reverse': return -1;
    case 'no': case 'false': case '0': return 0;
    case 'reversible': case 'alternating': return null;
  }
  if (tags.highway === 'motorway') return 1;
  if (tags.junction === 'roundabout' || tags.junction === 'circular') return 1;
  return 0;
}

export type FeatureLayer = 'water' | 'park' | 'landuse' | 'building' | 'place' | 'poi';
export interface FeatureClass {
  layer: FeatureLayer;
  kind: string;
}

const PARK_LEISURE = new Set(['park', 'garden', 'playground', 'pitch', 'golf_course', 'nature_reserve', 'recreation_ground', 'dog_park', 'common']);
const PARK_LANDUSE = new Set(['grass', 'forest', 'meadow', 'village_green', 'recreation_ground', 'cemetery', 'orchard', 'vineyard', 'allotments']);
const LANDUSE = new Set(['residential', 'industrial', 'commercial', 'retail', 'railway', 'farmland', 'farmyard', 'construction', 'military', 'brownfield', 'education', 'religious']);
const PARK_NATURAL = new Set(['wood', 'scrub', 'heath', 'grassland', 'wetland']);
const PLACES = new Set(['city', 'town', 'suburb', 'quarter', 'neighbourhood', 'village', 'hamlet']);

/**
 * The basemap layer of a closed way (an area). Water: natural=water, waterway=riverbank/dock,
 * landuse=reservoir/basin, any water=*, harbour=yes. Parks: leisure=park/garden/…,
 * landuse=grass/forest/…, natural=wood/scrub/…. Landuse: residential, industrial, commercial…
 * Buildings: any building=* except "no". Water comes first (a park's pond is water).
 */
export function areaFeature(tags: Tags): FeatureClass | null {
  if (tags.area === 'no') return null;
  if (tags.natural === 'water') return { layer: 'water', kind: tags.water ?? 'water' };
  if (tags.waterway === 'riverbank' || tags.waterway === 'dock') return { layer: 'water', kind: tags.waterway };
  if (tags.landuse === 'reservoir' || tags.landuse === 'basin') return { layer: 'water', kind: tags.landuse };
  if (tags.water) return { layer: 'water', kind: tags.water };
  if (tags.harbour === 'yes') return { layer: 'water', kind: 'harbour' };
  if (tags.building && tags.building !== 'no') return { layer: 'building', kind: tags.building === 'yes' ? 'building' : tags.building };
  if (tags.leisure && PARK_LEISURE.has(tags.leisure)) return { layer: 'park', kind: tags.leisure };
  if (tags.landuse && PARK_LANDUSE.has(tags.landuse)) return { layer: 'park', kind: tags.landuse };
  if (tags.natural && PARK_NATURAL.has(tags.natural)) return { layer: 'park', kind: tags.natural };
  if (tags.landuse && LANDUSE.has(tags.landuse)) return { layer: 'landuse', kind: tags.landuse };
  return null;
}

/**
 * The basemap layer of a node: a named place (city, town, suburb, quarter, neighbourhood,
 * village, hamlet) or a named point of interest (amenity, shop, tourism; kind = the value).
 */
export function pointFeature(tags: Tags): FeatureClass | null {
  if (!tags.name) return null;
  if (tags.place && PLACES.has(tags.place)) return { layer: 'place', kind: tags.place };
  if (tags.amenity) return { layer: 'poi', kind: tags.amenity };
  if (tags.shop) return { layer: 'poi', kind: tags.shop === 'yes' ? 'shop' : tags.shop };
  if (tags.tourism) return { layer: 'poi', kind: tags.tourism };
  return null;
}

export interface AddressTags {
  housenumber: string;
  street: string;
  postcode: string | null;
  city: string | null;
  name: string | null;
}

/** An address when the object has both addr:housenumber and addr:street. */
export function addressOf(tags: Tags): AddressTags | null {
  const housenumber = tags['addr:housenumber'];
  const street = tags['addr:street'];
  if (!housenumber || !street) return null;
  return { housenumber, street, postcode: tags['addr:postcode'] ?? null, city: tags['addr:city'] ?? null, name: tags.name ?? null };
}
