import { describe, expect, it } from 'vitest';
import { ApiError } from '../protocol/errors';
import { positionInput } from '../protocol/position';
import { parseOsmand, parseTimestamp, type OsmandRequest } from './osmand';

const NOW = Date.parse('2026-11-22T12:00:00Z');
const TS_S = 1_795_000_000; // 2026-11-18T…Z, in seconds

function get(query: string): ReturnType<typeof parseOsmand> {
  return parseOsmand({ method: 'GET', searchParams: new URLSearchParams(query) }, NOW);
}

function post(body: string, contentType: string | null, query = ''): ReturnType<typeof parseOsmand> {
  return parseOsmand({ method: 'POST', searchParams: new URLSearchParams(query), body, contentType }, NOW);
}

function json(value: unknown, query = ''): ReturnType<typeof parseOsmand> {
  return post(JSON.stringify(value), 'application/json', query);
}

function refusal(run: () => unknown): { code: string; field?: string; message: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return { code: error.code, field: error.field, message: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
}

const base = `id=dev-1&lat=52.52&lon=13.405&timestamp=${TS_S}`;

describe('OsmAnd query-string form', () => {
  it('reads a Traccar Client request with every field, converting knots to km/h', () => {
    const { deviceIdentifier, input } = get(`${base}&speed=10&bearing=90.5&altitude=34.2&accuracy=12&batt=87&hdop=1.2&charge=true&valid=true&driverUniqueId=abc`);
    expect(deviceIdentifier).toBe('dev-1');
    expect(input).toEqual({
      lat: 52.52,
      lng: 13.405,
      timestamp: TS_S * 1000,
      speed: 18.52,
      heading: 90.5,
      altitude: 34.2,
      accuracy: 12,
      battery: 87,
      attributes: { hdop: 1.2, charge: true, valid: true, driverUniqueId: 'abc' },
    });
    // what the adapter produces is a valid pipeline input
    expect(positionInput.safeParse(input).success).toBe(true);
  });

  it.each([
    ['0', 0],
    ['1', 1.852],
    ['10', 18.52],
    ['2.5', 4.63],
    ['27', 50.004],
    ['100', 185.2],
    ['0.1', 0.1852],
  ])('speed %s knots → %s km/h', (knots, kmh) => {
    expect(get(`${base}&speed=${knots}`).input.speed).toBe(kmh);
  });

  it.each([
    [`${TS_S}`, TS_S * 1000],
    [`${TS_S}.25`, TS_S * 1000 + 250],
    [`${TS_S * 1000 + 123}`, TS_S * 1000 + 123],
    ['2026-11-22T11:00:00Z', Date.parse('2026-11-22T11:00:00Z')],
    ['2026-11-22T12:00:00%2B01:00', Date.parse('2026-11-22T11:00:00Z')],
    ['2026-11-22T11:00:00.500Z', Date.parse('2026-11-22T11:00:00.500Z')],
    ['2026-11-22%2011:00:00', Date.parse('2026-11-22T11:00:00Z')],
    ['2026-11-22T11:00', Date.parse('2026-11-22T11:00:00Z')],
  ])('timestamp %s → %s ms', (value, ms) => {
    expect(get(`id=d&lat=1&lon=2&timestamp=${value}`).input.timestamp).toBe(ms);
  });

  it('takes the time of receipt when the timestamp is missing or empty', () => {
    expect(get('id=d&lat=1&lon=2').input.timestamp).toBe(NOW);
    expect(get('id=d&lat=1&lon=2&timestamp=').input.timestamp).toBe(NOW);
  });

  it('leaves out -1 (and other negative) speed, bearing, accuracy and battery as unknown', () => {
    const { input } = get(`${base}&speed=-1&bearing=-1&accuracy=-1&batt=-1&altitude=-12.5`);
    expect(input).toEqual({ lat: 52.52, lng: 13.405, timestamp: TS_S * 1000, altitude: -12.5 });
    expect(get(`${base}&speed=-0.5&heading=-20`).input).not.toHaveProperty('speed');
  });

  it('reads heading when bearing is absent, and makes 360° north (0)', () => {
    expect(get(`${base}&heading=270`).input.heading).toBe(270);
    expect(get(`${base}&bearing=360`).input.heading).toBe(0);
    expect(get(`${base}&heading=360`).input.heading).toBe(0);
    expect(get(`${base}&bearing=0`).input.heading).toBe(0);
  });

  it('accepts deviceid instead of id, and location=lat,lon instead of lat and lon', () => {
    const { deviceIdentifier, input } = get(`deviceid=abc-7&location=${encodeURIComponent('48.1374,11.5755')}&timestamp=${TS_S}`);
    expect(deviceIdentifier).toBe('abc-7');
    expect(input).toMatchObject({ lat: 48.1374, lng: 11.5755 });
    expect(get(`id=x&location=${encodeURIComponent('-33.9, 18.4')}`).input).toMatchObject({ lat: -33.9, lng: 18.4 });
    expect(input).not.toHaveProperty('attributes');
  });

  it('keeps every other key in attributes, numbers parsed, strings kept', () => {
    const { input } = get(`${base}&hdop=0.9&sat=7&ignition=false&event=start&note=12abc&odometer=12345.5&neg=-3`);
    expect(input.attributes).toEqual({ hdop: 0.9, sat: 7, ignition: false, event: 'start', note: '12abc', odometer: 12345.5, neg: -3 });
  });

  it('reads form fields from a POST body (overriding the query) and the query of a POST', () => {
    const fromBody = post(`id=form-1&lat=10&lon=20&timestamp=${TS_S}&speed=1`, 'application/x-www-form-urlencoded');
    expect(fromBody).toMatchObject({ deviceIdentifier: 'form-1', input: { lat: 10, lng: 20, speed: 1.852 } });
    const mixed = post('lat=11', 'application/x-www-form-urlencoded', 'id=q-1&lat=10&lon=20');
    expect(mixed).toMatchObject({ deviceIdentifier: 'q-1', input: { lat: 11, lng: 20 } });
    const queryOnly = post('', null, `id=q-2&lat=1&lon=2&timestamp=${TS_S}`);
    expect(queryOnly).toMatchObject({ deviceIdentifier: 'q-2', input: { lat: 1, lng: 2, timestamp: TS_S * 1000 } });
  });

  it('maps pipeline field names back to the wire names used', () => {
    expect(get(`${base}&bearing=1`).fields).toMatchObject({ lat: 'lat', lng: 'lon', heading: 'bearing', speed: 'speed', battery: 'batt', timestamp: 'timestamp' });
    expect(get(`${base}&heading=1`).fields.heading).toBe('heading');
    expect(get('id=x&location=1,2').fields).toMatchObject({ lat: 'location', lng: 'location' });
  });

  it.each([
    ['lat=1&lon=2', 'id'],
    ['id=&lat=1&lon=2', 'id'],
    ['id=%20&lat=1&lon=2', 'id'],
    ['id=x&lon=2', 'lat'],
    ['id=x&lat=1', 'lon'],
    ['id=x', 'lat'],
    ['id=x&lat=abc&lon=2', 'lat'],
    ['id=x&lat=1&lon=2,5', 'lon'],
    ['id=x&lat=91&lon=2', 'lat'],
    ['id=x&lat=-90.5&lon=2', 'lat'],
    ['id=x&lat=1&lon=180.01', 'lon'],
    ['id=x&lat=1e400&lon=2', 'lat'],
    ['id=x&lat=NaN&lon=2', 'lat'],
    ['id=x&lat=Infinity&lon=2', 'lat'],
    ['id=x&location=1', 'location'],
    ['id=x&location=a,b', 'location'],
    ['id=x&location=1,2,3', 'location'],
    ['id=x&location=95,2', 'location'],
    ['id=x&lat=1&lon=2&timestamp=yesterday', 'timestamp'],
    ['id=x&lat=1&lon=2&timestamp=0', 'timestamp'],
    ['id=x&lat=1&lon=2&timestamp=-5', 'timestamp'],
    ['id=x&lat=1&lon=2&speed=fast', 'speed'],
    ['id=x&lat=1&lon=2&bearing=north', 'bearing'],
    ['id=x&lat=1&lon=2&heading=north', 'heading'],
    ['id=x&lat=1&lon=2&altitude=high', 'altitude'],
    ['id=x&lat=1&lon=2&accuracy=good', 'accuracy'],
    ['id=x&lat=1&lon=2&batt=full', 'batt'],
  ])('refuses %s naming %s', (query, field) => {
    expect(refusal(() => get(query))).toMatchObject({ code: 'VALIDATION_ERROR', field });
  });

  it('leaves ranges beyond the wire format to the pipeline (which refuses them by field)', () => {
    const { input } = get(`${base}&speed=5000&bearing=400&batt=150`);
    expect(input).toMatchObject({ speed: 9260, heading: 400, battery: 150 });
    const issues = positionInput.safeParse(input).error!.issues.map((i) => i.path.join('.'));
    expect(issues).toEqual(['speed', 'heading', 'battery']);
  });
});

describe('OsmAnd JSON form', () => {
  const message = {
    device_id: 'phone-1',
    location: {
      timestamp: '2026-11-22T11:59:00.000Z',
      coords: { latitude: 52.5, longitude: 13.4, speed: 5, heading: 180, accuracy: 8.5, altitude: 40 },
      battery: { level: 0.85, is_charging: true },
      is_moving: true,
      odometer: 1234.5,
      event: 'motionchange',
      activity: { type: 'in_vehicle', confidence: 100 },
      uuid: 'abc-123',
      extras: { trip: 7 },
    },
  };

  it('reads the Traccar Client JSON message, m/s → km/h and battery fraction → percent', () => {
    const { deviceIdentifier, input } = json(message);
    expect(deviceIdentifier).toBe('phone-1');
    expect(input).toEqual({
      lat: 52.5,
      lng: 13.4,
      timestamp: Date.parse('2026-11-22T11:59:00Z'),
      speed: 18,
      heading: 180,
      accuracy: 8.5,
      altitude: 40,
      battery: 85,
      attributes: { is_charging: true, is_moving: true, odometer: 1234.5, event: 'motionchange', activity: 'in_vehicle', uuid: 'abc-123', extras: { trip: 7 } },
    });
    expect(positionInput.safeParse(input).success).toBe(true);
  });

  it.each([
    [0, 0],
    [1, 3.6],
    [1.1, 3.96],
    [5, 18],
    [13.89, 50.004],
    [33.3333, 119.99988],
  ])('speed %s m/s → %s km/h', (ms, kmh) => {
    expect(json({ ...message, location: { ...message.location, coords: { ...message.location.coords, speed: ms } } }).input.speed).toBe(kmh);
  });

  it.each([
    [0.85, 85],
    [0.5, 50],
    [0.07, 7],
    [1, 100],
    [0, 0],
    [55, 55],
    [-1, undefined],
  ])('battery level %s → %s %%', (level, percent) => {
    expect(json({ ...message, location: { ...message.location, battery: { level } } }).input.battery).toBe(percent);
  });

  it.each([
    ['2026-11-22T11:59:00Z', Date.parse('2026-11-22T11:59:00Z')],
    ['2026-11-22T12:59:00+01:00', Date.parse('2026-11-22T11:59:00Z')],
    [Date.parse('2026-11-22T11:59:00Z'), Date.parse('2026-11-22T11:59:00Z')],
    [TS_S, TS_S * 1000],
    [`${TS_S}`, TS_S * 1000],
  ])('timestamp %j → %s ms', (timestamp, ms) => {
    expect(json({ ...message, location: { ...message.location, timestamp } }).input.timestamp).toBe(ms);
  });

  it('leaves out -1 speed, heading and accuracy, makes heading 360 north, and defaults the time to now', () => {
    const { input } = json({ device_id: 'p', location: { coords: { latitude: 1, longitude: 2, speed: -1, heading: -1, accuracy: -1, altitude: -1 } } });
    expect(input).toEqual({ lat: 1, lng: 2, timestamp: NOW, altitude: -1 });
    expect(json({ device_id: 'p', location: { coords: { latitude: 1, longitude: 2, heading: 360 } } }).input.heading).toBe(0);
  });

  it('reads numeric strings and a numeric device_id, and falls back to ?id= for the device', () => {
    const { deviceIdentifier, input } = json({ device_id: 12345, location: { coords: { latitude: '52.1', longitude: '13.2' } } });
    expect(deviceIdentifier).toBe('12345');
    expect(input).toMatchObject({ lat: 52.1, lng: 13.2 });
    expect(json({ location: { coords: { latitude: 1, longitude: 2 } } }, 'id=from-query').deviceIdentifier).toBe('from-query');
  });

  it('recognises JSON by content or by content type', () => {
    expect(post(JSON.stringify(message), 'text/plain').deviceIdentifier).toBe('phone-1');
    expect(post(`  ${JSON.stringify(message)}`, null).deviceIdentifier).toBe('phone-1');
  });

  it('names JSON paths in its fields', () => {
    expect(json(message).fields).toMatchObject({ lat: 'location.coords.latitude', lng: 'location.coords.longitude', speed: 'location.coords.speed', battery: 'location.battery.level', timestamp: 'location.timestamp' });
  });

  it.each([
    ['{not json', undefined],
    ['[1,2]', undefined],
    ['null', undefined],
    ['{"location":{"coords":{"latitude":1,"longitude":2}}}', 'device_id'],
    ['{"device_id":"","location":{"coords":{"latitude":1,"longitude":2}}}', 'device_id'],
    ['{"device_id":"p"}', 'location'],
    ['{"device_id":"p","location":[]}', 'location'],
    ['{"device_id":"p","location":{}}', 'location.coords'],
    ['{"device_id":"p","location":{"coords":"x"}}', 'location.coords'],
    ['{"device_id":"p","location":{"coords":{"longitude":2}}}', 'location.coords.latitude'],
    ['{"device_id":"p","location":{"coords":{"latitude":1}}}', 'location.coords.longitude'],
    ['{"device_id":"p","location":{"coords":{"latitude":"north","longitude":2}}}', 'location.coords.latitude'],
    ['{"device_id":"p","location":{"coords":{"latitude":true,"longitude":2}}}', 'location.coords.latitude'],
    ['{"device_id":"p","location":{"coords":{"latitude":100,"longitude":2}}}', 'location.coords.latitude'],
    ['{"device_id":"p","location":{"coords":{"latitude":1,"longitude":-200}}}', 'location.coords.longitude'],
    ['{"device_id":"p","location":{"coords":{"latitude":1,"longitude":2,"speed":"fast"}}}', 'location.coords.speed'],
    ['{"device_id":"p","location":{"coords":{"latitude":1,"longitude":2,"heading":[]}}}', 'location.coords.heading'],
    ['{"device_id":"p","location":{"timestamp":"soon","coords":{"latitude":1,"longitude":2}}}', 'location.timestamp'],
    ['{"device_id":"p","location":{"timestamp":{},"coords":{"latitude":1,"longitude":2}}}', 'location.timestamp'],
    ['{"device_id":"p","location":{"timestamp":-1,"coords":{"latitude":1,"longitude":2}}}', 'location.timestamp'],
    ['{"device_id":"p","location":{"battery":5,"coords":{"latitude":1,"longitude":2}}}', 'location.battery'],
    ['{"device_id":"p","location":{"battery":{"level":"full"},"coords":{"latitude":1,"longitude":2}}}', 'location.battery.level'],
  ])('refuses %s naming %s', (body, field) => {
    const error = refusal(() => post(body, 'application/json'));
    expect(error.code).toBe('VALIDATION_ERROR');
    expect(error.field).toBe(field);
  });
});

describe('parseTimestamp', () => {
  it('tells unix seconds from unix milliseconds by magnitude', () => {
    expect(parseTimestamp('99999999999', 't', NOW)).toBe(99_999_999_999_000);
    expect(parseTimestamp('100000000000', 't', NOW)).toBe(100_000_000_000);
    expect(parseTimestamp('1', 't', NOW)).toBe(1000);
  });

  it('never reads a zone-less date in the server’s local zone', () => {
    expect(parseTimestamp('2026-01-01 00:00:00', 't', NOW)).toBe(Date.UTC(2026, 0, 1));
  });
});

describe('request shape', () => {
  it('ignores a body on GET-like parsing only when empty', () => {
    const request: OsmandRequest = { method: 'POST', searchParams: new URLSearchParams(`id=a&lat=1&lon=2`), body: '   ', contentType: 'application/x-www-form-urlencoded' };
    expect(parseOsmand(request, NOW).input).toMatchObject({ lat: 1, lng: 2 });
  });
});
