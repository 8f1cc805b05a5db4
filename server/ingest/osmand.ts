import { ApiError } from '../protocol/errors';
import type { PositionInput } from '../protocol/position';
import type { FieldNames } from './http-answer';

/**
 * OsmAnd protocol (Traccar Client, OsmAnd, GPSLogger and compatible apps): a pure translation of
 * one request into a device identifier and a PositionInput. No I/O; range checks beyond the wire
 * format are left to the pipeline (normalize), whose field names `fields` maps back.
 *
 * Query-string form (GET, POST with query, or POST application/x-www-form-urlencoded):
 *   id | deviceid, lat + lon | location=lat,lon, timestamp (unix s, unix ms or ISO 8601),
 *   speed (knots), bearing | heading, altitude, accuracy, batt (%), hdop and any other key
 *   → attributes.
 * JSON form (Traccar Client ≥ 9, transistorsoft background-geolocation):
 *   {"device_id", "location": {"timestamp", "coords": {"latitude", "longitude", "speed" (m/s),
 *   "heading", "accuracy", "altitude"}, "battery": {"level" (0..1), "is_charging"}, "is_moving",
 *   "odometer", "event", "activity": {"type"}, …}}
 * Negative speed, heading, accuracy or battery mean "unknown" and are left out; heading 360 is 0.
 * A missing timestamp means "now" (the time of receipt), as Traccar does.
 */
export interface OsmandRequest {
  method: string;
  searchParams: URLSearchParams;
  body?: string;
  contentType?: string | null;
}

export interface OsmandPosition {
  deviceIdentifier: string;
  input: PositionInput;
  /** Wire name of each PositionInput field (and of `id`, the device identifier) in the request, for error messages. */
  fields: FieldNames;
}

export const KNOTS_TO_KMH = 1.852;
export const MS_TO_KMH = 3.6;

/** Unix seconds below this, unix milliseconds above (1e11 s is the year 5138, 1e11 ms is 1973). */
const SECONDS_BELOW = 1e11;
const NUMERIC = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const NAIVE_DATETIME = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

const QUERY_KEYS = new Set(['id', 'deviceid', 'lat', 'lon', 'location', 'timestamp', 'speed', 'bearing', 'heading', 'altitude', 'accuracy', 'batt']);

export function parseOsmand(request: OsmandRequest, now = Date.now()): OsmandPosition {
  const body = request.body?.trim() ?? '';
  const contentType = (request.contentType ?? '').toLowerCase();
  const looksJson = contentType.includes('json') || body.startsWith('{') || body.startsWith('[');
  if (body && looksJson) return parseJsonForm(body, request.searchParams, now);
  const params = new Map<string, string>();
  for (const [key, value] of request.searchParams) if (!params.has(key)) params.set(key, value);
  if (body) {
    // Form fields in the body (Traccar Client's POST mode) take precedence over the query string.
    for (const [key, value] of new URLSearchParams(body)) params.set(key, value);
  }
  return parseQueryForm(params, now);
}

function parseQueryForm(params: Map<string, string>, now: number): OsmandPosition {
  const fields: FieldNames = {};
  const text = (key: string) => {
    const value = params.get(key)?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const number = (key: string): number | undefined => {
    const value = text(key);
    if (value === undefined) return undefined;
    if (!NUMERIC.test(value)) throw new ApiError('VALIDATION_ERROR', `${key}: must be a number`, key);
    return Number(value);
  };

  const idKey = text('id') !== undefined ? 'id' : 'deviceid';
  const deviceIdentifier = text(idKey);
  if (deviceIdentifier === undefined) throw new ApiError('VALIDATION_ERROR', 'id: the device identifier is required', 'id');
  fields.id = idKey;

  let lat = number('lat');
  let lng = number('lon');
  if (lat !== undefined || lng !== undefined) {
    fields.lat = 'lat';
    fields.lng = 'lon';
  } else if (text('location') !== undefined) {
    const parts = text('location')!.split(',').map((p) => p.trim());
    if (parts.length !== 2 || !parts.every((p) => NUMERIC.test(p))) {
      throw new ApiError('VALIDATION_ERROR', 'location: must be "lat,lon"', 'location');
    }
    [lat, lng] = parts.map(Number) as [number, number];
    fields.lat = 'location';
    fields.lng = 'location';
  }
  if (lat === undefined) throw new ApiError('VALIDATION_ERROR', 'lat: is required', 'lat');
  if (lng === undefined) throw new ApiError('VALIDATION_ERROR', 'lon: is required', 'lon');
  checkCoordinates(lat, lng, fields.lat!, fields.lng!);

  const input: PositionInput = { lat, lng, timestamp: parseTimestamp(text('timestamp'), 'timestamp', now) };
  fields.timestamp = 'timestamp';

  const speed = known(number('speed'));
  if (speed !== undefined) input.speed = round(speed * KNOTS_TO_KMH);
  fields.speed = 'speed';
  const headingKey = text('bearing') !== undefined ? 'bearing' : 'heading';
  const heading = normalizeHeading(known(number(headingKey)));
  if (heading !== undefined) input.heading = heading;
  fields.heading = headingKey;
  const altitude = number('altitude');
  if (altitude !== undefined) input.altitude = altitude;
  fields.altitude = 'altitude';
  const accuracy = known(number('accuracy'));
  if (accuracy !== undefined) input.accuracy = accuracy;
  fields.accuracy = 'accuracy';
  const battery = known(number('batt'));
  if (battery !== undefined) input.battery = battery;
  fields.battery = 'batt';

  const attributes: Record<string, unknown> = {};
  for (const [key, value] of params) {
    if (QUERY_KEYS.has(key) || key === '__proto__') continue;
    attributes[key] = scalar(value);
  }
  if (Object.keys(attributes).length > 0) input.attributes = attributes;
  return { deviceIdentifier, input, fields };
}

function parseJsonForm(body: string, searchParams: URLSearchParams, now: number): OsmandPosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new ApiError('VALIDATION_ERROR', 'request body must be valid JSON');
  }
  if (!isObject(parsed)) throw new ApiError('VALIDATION_ERROR', 'request body must be a JSON object');

  const rawId = parsed.device_id ?? searchParams.get('id') ?? searchParams.get('deviceid');
  const deviceIdentifier = typeof rawId === 'number' ? String(rawId) : typeof rawId === 'string' ? rawId.trim() : '';
  if (!deviceIdentifier) throw new ApiError('VALIDATION_ERROR', 'device_id: the device identifier is required', 'device_id');

  const location = parsed.location;
  if (!isObject(location)) throw new ApiError('VALIDATION_ERROR', 'location: must be an object', 'location');
  const coords = location.coords;
  if (!isObject(coords)) throw new ApiError('VALIDATION_ERROR', 'location.coords: must be an object', 'location.coords');

  const number = (value: unknown, field: string): number | undefined => {
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    if (typeof value === 'string' && NUMERIC.test(value.trim())) return Number(value);
    throw new ApiError('VALIDATION_ERROR', `${field}: must be a number`, field);
  };
  const lat = number(coords.latitude, 'location.coords.latitude');
  const lng = number(coords.longitude, 'location.coords.longitude');
  if (lat === undefined) throw new ApiError('VALIDATION_ERROR', 'location.coords.latitude: is required', 'location.coords.latitude');
  if (lng === undefined) throw new ApiError('VALIDATION_ERROR', 'location.coords.longitude: is required', 'location.coords.longitude');
  checkCoordinates(lat, lng, 'location.coords.latitude', 'location.coords.longitude');

  const fields: FieldNames = {
    id: typeof parsed.device_id === 'string' || typeof parsed.device_id === 'number' ? 'device_id' : searchParams.has('id') ? 'id' : 'deviceid',
    lat: 'location.coords.latitude',
    lng: 'location.coords.longitude',
    timestamp: 'location.timestamp',
    speed: 'location.coords.speed',
    heading: 'location.coords.heading',
    accuracy: 'location.coords.accuracy',
    altitude: 'location.coords.altitude',
    battery: 'location.battery.level',
  };
  const rawTs = location.timestamp;
  if (rawTs !== undefined && rawTs !== null && typeof rawTs !== 'string' && typeof rawTs !== 'number') {
    throw new ApiError('VALIDATION_ERROR', 'location.timestamp: must be an ISO 8601 string or a number', 'location.timestamp');
  }
  const input: PositionInput = { lat, lng, timestamp: parseTimestamp(rawTs === null || rawTs === undefined ? undefined : String(rawTs), 'location.timestamp', now) };

  const speed = known(number(coords.speed, 'location.coords.speed'));
  if (speed !== undefined) input.speed = round(speed * MS_TO_KMH);
  const heading = normalizeHeading(known(number(coords.heading, 'location.coords.heading')));
  if (heading !== undefined) input.heading = heading;
  const accuracy = known(number(coords.accuracy, 'location.coords.accuracy'));
  if (accuracy !== undefined) input.accuracy = accuracy;
  const altitude = number(coords.altitude, 'location.coords.altitude');
  if (altitude !== undefined) input.altitude = altitude;

  const attributes: Record<string, unknown> = {};
  const battery = location.battery;
  if (battery !== undefined && battery !== null) {
    if (!isObject(battery)) throw new ApiError('VALIDATION_ERROR', 'location.battery: must be an object', 'location.battery');
    const level = known(number(battery.level, 'location.battery.level'));
    if (level !== undefined) input.battery = level <= 1 ? round(level * 100) : level;
    if (typeof battery.is_charging === 'boolean') attributes.is_charging = battery.is_charging;
  }
  for (const [key, value] of Object.entries(location)) {
    if (key === 'timestamp' || key === 'coords' || key === 'battery' || key === '__proto__') continue;
    if (key === 'activity' && isObject(value) && typeof value.type === 'string') attributes.activity = value.type;
    else if (isScalar(value) || key === 'extras') attributes[key] = value;
  }
  if (Object.keys(attributes).length > 0) input.attributes = attributes;
  return { deviceIdentifier, input, fields };
}

/** Epoch ms from unix seconds, unix ms (told apart by magnitude) or an ISO 8601 date; absent → now. */
export function parseTimestamp(value: string | undefined, field: string, now: number): number {
  const text = value?.trim();
  if (text === undefined || text === '') return now;
  if (NUMERIC.test(text)) {
    const n = Number(text);
    if (!(n > 0) || !Number.isFinite(n)) throw new ApiError('VALIDATION_ERROR', `${field}: must be a positive time`, field);
    return Math.round(n < SECONDS_BELOW ? n * 1000 : n);
  }
  // "2026-11-22 12:00:00" without a zone is UTC, not the server's local time.
  const ms = Date.parse(NAIVE_DATETIME.test(text) ? `${text.replace(' ', 'T')}Z` : text);
  if (!Number.isFinite(ms) || ms <= 0) throw new ApiError('VALIDATION_ERROR', `${field}: not a valid date`, field);
  return ms;
}

function checkCoordinates(lat: number, lng: number, latField: string, lngField: string): void {
  if (!(lat >= -90 && lat <= 90)) throw new ApiError('VALIDATION_ERROR', `${latField}: latitude must be within [-90, 90]`, latField);
  if (!(lng >= -180 && lng <= 180)) throw new ApiError('VALIDATION_ERROR', `${lngField}: longitude must be within [-180, 180]`, lngField);
}

/** Negative values mean "unknown" in these protocols (-1 by convention). */
export function known(value: number | undefined): number | undefined {
  return value === undefined || value < 0 ? undefined : value;
}

/** 360° is north like 0°; anything else is left to the pipeline's range check. */
export function normalizeHeading(value: number | undefined): number | undefined {
  return value === 360 ? 0 : value;
}

/** Unit conversions rounded to 1e-6, so 10 knots is exactly 18.52 km/h. */
export function round(value: number): number {
  return Number.isFinite(value) ? Math.round(value * 1e6) / 1e6 : value;
}

function scalar(value: string): string | number | boolean {
  if (NUMERIC.test(value.trim())) {
    const n = Number(value);
    if (Number.isFinite(n)) return n;
  }
  if (value === 'true') return true;
  if (value === 'false') return false;
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isScalar(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}
