/**
 * OSM `maxspeed` → km/h. Pure.
 *
 * Accepted: a plain number (km/h: "50"), a number with a unit ("50 km/h", "50 kmh", "50kph",
 * "25 mph", "25mph", "10 knots"), a decimal comma ("7,5"), the first of several values
 * ("50;30"), and the country zone codes of {@link ZONE_LIMITS} ("DE:urban", "RU:rural",
 * "GB:nsl_single", "DE:zone30", "CH:motorway"). Everything else — "none" (no limit: the class
 * default is a better guess for a router than infinity), "signals", "variable", "walk", unknown
 * zone codes such as US states' ("US:…" has no national default), zero, negative, absurdly high
 * or unparsable values — gives null, which the routing graph reads as "use the class default".
 */

const MPH = 1.609344;
const KNOT = 1.852;
/** Above this a value is a tagging error (or a unit mix-up), not a speed limit. */
const MAX_KMH = 300;

/**
 * Statutory default limits by `country:zone`, in km/h — the zone values the OSM wiki lists
 * under "Speed limits by country" for the countries whose codes commonly appear in maxspeed tags.
 * A zone with no general limit (German motorways) is absent, and so gives null.
 */
export const ZONE_LIMITS: Readonly<Record<string, number>> = {
  'AT:urban': 50, 'AT:rural': 100, 'AT:trunk': 100, 'AT:motorway': 130,
  'BE:urban': 50, 'BE-VLG:rural': 70, 'BE-WAL:rural': 90, 'BE:motorway': 120,
  'CH:urban': 50, 'CH:rural': 80, 'CH:trunk': 100, 'CH:motorway': 120,
  'CZ:urban': 50, 'CZ:rural': 90, 'CZ:motorway': 130,
  'DE:living_street': 7, 'DE:urban': 50, 'DE:rural': 100, 'DE:bicycle_road': 30,
  'DK:urban': 50, 'DK:rural': 80, 'DK:motorway': 130,
  'ES:urban': 50, 'ES:rural': 90, 'ES:motorway': 120,
  'FI:urban': 50, 'FI:rural': 80,
  'FR:urban': 50, 'FR:rural': 80, 'FR:motorway': 130,
  'GB:nsl_single': 60 * MPH, 'GB:nsl_dual': 70 * MPH, 'GB:motorway': 70 * MPH,
  'HU:urban': 50, 'HU:rural': 90, 'HU:motorway': 130,
  'IT:urban': 50, 'IT:rural': 90, 'IT:motorway': 130,
  'LI:urban': 50, 'LI:rural': 80,
  'NL:urban': 50, 'NL:rural': 80, 'NL:motorway': 130,
  'NO:urban': 50, 'NO:rural': 80,
  'PL:urban': 50, 'PL:rural': 90, 'PL:motorway': 140,
  'PT:urban': 50, 'PT:rural': 90, 'PT:motorway': 120,
  'RO:urban': 50, 'RO:rural': 90, 'RO:motorway': 130,
  'RU:living_street': 20, 'RU:urban': 60, 'RU:rural': 90, 'RU:motorway': 110,
  'SE:urban': 50, 'SE:rural': 70,
  'UA:urban': 50, 'UA:rural': 90, 'UA:motorway': 130,
};

const NUMBER_WITH_UNIT = /^(\d+(?:[.,]\d+)?)\s*(km\/h|kmh|kph|mph|knots?)?$/;
const ZONE_NUMBER = /^[A-Z]{2}(?:-[A-Z]+)?:zone:?(\d+)$/;

export function parseMaxspeed(value: string | null | undefined): number | null {
  if (value == null) return null;
  const first = value.split(';')[0]!.trim();
  if (first === '') return null;

  const zone = ZONE_LIMITS[first];
  if (zone !== undefined) return zone;
  const zoneNumber = ZONE_NUMBER.exec(first);
  if (zoneNumber) return plausible(Number(zoneNumber[1]));

  const m = NUMBER_WITH_UNIT.exec(first.toLowerCase());
  if (!m) return null;
  const n = Number(m[1]!.replace(',', '.'));
  const unit = m[2];
  const kmh = unit === 'mph' ? n * MPH : unit === 'knot' || unit === 'knots' ? n * KNOT : n;
  return plausible(kmh);
}

function plausible(kmh: number): number | null {
  return Number.isFinite(kmh) && kmh > 0 && kmh <= MAX_KMH ? kmh : null;
}
