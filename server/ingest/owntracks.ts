import { ApiError } from '../protocol/errors';
import type { PositionInput } from '../protocol/position';
import type { FieldNames } from './http-answer';
import { known, normalizeHeading } from './osmand';

/**
 * OwnTracks HTTP mode: a pure translation of one JSON message. `location` messages become a
 * PositionInput; every other `_type` (transition, waypoint(s), lwt, card, encrypted, …) is
 * accepted and ignored. Units on the wire: lat/lon degrees, tst unix seconds, acc/alt metres,
 * vel km/h, cog degrees, batt percent. Negative vel, cog, acc or batt mean "unknown"; cog 360 is 0.
 * Every other key (tid, conn, bs, t, m, inregions, SSID, …) is kept in attributes.
 */
export type OwntracksMessage =
  | { kind: 'location'; input: PositionInput; fields: FieldNames }
  | { kind: 'ignored'; type: string };

/** Wire name of each PositionInput field, for error messages. */
export const OWNTRACKS_FIELDS: FieldNames = {
  lat: 'lat',
  lng: 'lon',
  timestamp: 'tst',
  accuracy: 'acc',
  altitude: 'alt',
  speed: 'vel',
  heading: 'cog',
  battery: 'batt',
};

const MAPPED = new Set(['_type', 'lat', 'lon', 'tst', 'acc', 'alt', 'vel', 'cog', 'batt']);

export function parseOwntracks(message: unknown): OwntracksMessage {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    throw new ApiError('VALIDATION_ERROR', 'request body must be a JSON object with a _type', '_type');
  }
  const m = message as Record<string, unknown>;
  if (typeof m._type !== 'string' || m._type === '') throw new ApiError('VALIDATION_ERROR', '_type: is required', '_type');
  if (m._type !== 'location') return { kind: 'ignored', type: m._type };

  const number = (key: string, required = false): number | undefined => {
    const value = m[key];
    if (value === undefined || value === null) {
      if (required) throw new ApiError('VALIDATION_ERROR', `${key}: is required`, key);
      return undefined;
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new ApiError('VALIDATION_ERROR', `${key}: must be a number`, key);
    return value;
  };

  const lat = number('lat', true)!;
  const lng = number('lon', true)!;
  if (lat < -90 || lat > 90) throw new ApiError('VALIDATION_ERROR', 'lat: latitude must be within [-90, 90]', 'lat');
  if (lng < -180 || lng > 180) throw new ApiError('VALIDATION_ERROR', 'lon: longitude must be within [-180, 180]', 'lon');
  const tst = number('tst', true)!;
  if (tst <= 0) throw new ApiError('VALIDATION_ERROR', 'tst: must be a positive number of unix seconds', 'tst');

  const input: PositionInput = { lat, lng, timestamp: Math.round(tst * 1000) };
  const accuracy = known(number('acc'));
  if (accuracy !== undefined) input.accuracy = accuracy;
  const altitude = number('alt');
  if (altitude !== undefined) input.altitude = altitude;
  const speed = known(number('vel'));
  if (speed !== undefined) input.speed = speed;
  const heading = normalizeHeading(known(number('cog')));
  if (heading !== undefined) input.heading = heading;
  const battery = known(number('batt'));
  if (battery !== undefined) input.battery = battery;

  const attributes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(m)) {
    if (!MAPPED.has(key) && key !== '__proto__' && value !== undefined) attributes[key] = value;
  }
  if (Object.keys(attributes).length > 0) input.attributes = attributes;
  return { kind: 'location', input, fields: OWNTRACKS_FIELDS };
}

/** User and password of an `Authorization: Basic …` header, or null. */
export function basicCredentials(header: string | null | undefined): { user: string; password: string } | null {
  const match = header?.match(/^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i);
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
