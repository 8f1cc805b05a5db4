import { z } from 'zod';
import { parsePoint, POINT_FORMAT } from './routing';

/**
 * The geocoding API: `GET /api/v1/geocode?q=&limit=&near=lng,lat` (search) and
 * `GET /api/v1/geocode/reverse?lng=&lat=` (what is here). Coordinates are WGS 84.
 */

export const GEOCODE_KINDS = ['address', 'street', 'place', 'poi'] as const;
export type GeocodeKindDto = (typeof GEOCODE_KINDS)[number];
export const GEOCODE_MAX_LIMIT = 50;
export const GEOCODE_DEFAULT_LIMIT = 10;
export const GEOCODE_MAX_QUERY = 200;

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

export const geocodeQuery = z.object({
  q: z
    .string({ error: 'is required' })
    .trim()
    .min(1, 'must not be empty')
    .max(GEOCODE_MAX_QUERY, `at most ${GEOCODE_MAX_QUERY} characters`),
  limit: z
    .preprocess(blankToUndefined, z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'at least 1').max(GEOCODE_MAX_LIMIT, `at most ${GEOCODE_MAX_LIMIT}`).optional())
    .transform((v) => v ?? GEOCODE_DEFAULT_LIMIT),
  near: z
    .preprocess(blankToUndefined, z.string({ error: POINT_FORMAT }).optional())
    .transform((text, ctx) => {
      if (text === undefined) return null;
      const p = parsePoint(text);
      if (typeof p === 'string') {
        ctx.addIssue({ code: 'custom', message: p });
        return z.NEVER;
      }
      return p;
    }),
});
export type GeocodeQuery = z.infer<typeof geocodeQuery>;

const coordinate = (name: 'lng' | 'lat', bound: number) =>
  z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ error: (issue) => (issue.input === undefined ? 'is required' : `must be a ${name === 'lng' ? 'longitude' : 'latitude'} in degrees`) })
      .min(-bound, `must be between -${bound} and ${bound}`)
      .max(bound, `must be between -${bound} and ${bound}`),
  );

export const reverseGeocodeQuery = z.object({ lng: coordinate('lng', 180), lat: coordinate('lat', 90) });
export type ReverseGeocodeQuery = z.infer<typeof reverseGeocodeQuery>;

export interface GeocodeResultDto {
  kind: GeocodeKindDto;
  /** One line for a list: "750 East Pratt Street, Baltimore 21202", "East Pratt Street, Little Italy". */
  label: string;
  /** The street's, place's or POI's own name; the named place at an address. */
  name?: string;
  /** OSM kind of a place or POI (neighbourhood, restaurant, …). */
  category?: string;
  lng: number;
  lat: number;
  /** Streets: [west, south, east, north], to fit the map to. */
  bbox?: [number, number, number, number];
  /** 0..1, higher is better; results come best first. */
  score: number;
}

export interface GeocodeResponse {
  results: GeocodeResultDto[];
}

export interface ReverseAddressDto {
  label: string;
  housenumber: string;
  street: string;
  postcode: string | null;
  city: string | null;
  name: string | null;
  lng: number;
  lat: number;
  distanceM: number;
}

export interface ReverseStreetDto {
  /** Null for an unnamed road. */
  name: string | null;
  ref: string | null;
  /** OSM highway class. */
  class: string;
  /** The nearest point on the street. */
  lng: number;
  lat: number;
  distanceM: number;
  /**
   * Degrees clockwise from north of the street there: the direction of travel on a one-way street,
   * otherwise the direction the way is drawn in (traffic may also go bearing + 180).
   */
  bearing: number;
  oneway: boolean;
}

/** What is at a point: the nearest address within 50 m and the nearest street; `label` the address, else the street. */
export interface ReverseGeocodeResponse {
  label: string | null;
  address: ReverseAddressDto | null;
  street: ReverseStreetDto | null;
}

/** `details.reason` of the geocoding API's errors besides plain validation. */
export type GeocodeErrorReason = 'NO_ROAD_NETWORK' | 'GEOCODER_BUILDING';
