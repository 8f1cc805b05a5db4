import { describe, expect, it } from 'vitest';
import { ApiError } from '../protocol/errors';
import { positionInput } from '../protocol/position';
import { basicCredentials, parseOwntracks } from './owntracks';

const TST = 1_795_000_000;
const location = {
  _type: 'location',
  lat: 52.52,
  lon: 13.405,
  tst: TST,
  acc: 10,
  alt: 35,
  vel: 42,
  cog: 270,
  batt: 66,
  tid: 'ab',
  conn: 'm',
  bs: 2,
  t: 'u',
  m: 1,
  inregions: ['home'],
  topic: 'owntracks/alice/phone',
};

function input(message: Record<string, unknown>) {
  const parsed = parseOwntracks(message);
  if (parsed.kind !== 'location') throw new Error(`expected a location, got ${parsed.type}`);
  return parsed.input;
}

function refusal(message: unknown): { code: string; field?: string } {
  try {
    parseOwntracks(message);
  } catch (error) {
    if (error instanceof ApiError) return { code: error.code, field: error.field };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('OwnTracks location', () => {
  it('reads every field: tst seconds → ms, vel already km/h, extra keys as attributes', () => {
    expect(input(location)).toEqual({
      lat: 52.52,
      lng: 13.405,
      timestamp: TST * 1000,
      accuracy: 10,
      altitude: 35,
      speed: 42,
      heading: 270,
      battery: 66,
      attributes: { tid: 'ab', conn: 'm', bs: 2, t: 'u', m: 1, inregions: ['home'], topic: 'owntracks/alice/phone' },
    });
    expect(positionInput.safeParse(input(location)).success).toBe(true);
  });

  it('needs only lat, lon and tst', () => {
    expect(input({ _type: 'location', lat: -33.9, lon: 18.4, tst: TST })).toEqual({ lat: -33.9, lng: 18.4, timestamp: TST * 1000 });
  });

  it.each([
    [0, 0],
    [18, 18],
    [120.5, 120.5],
  ])('vel %s km/h stays %s km/h', (vel, kmh) => {
    expect(input({ ...location, vel }).speed).toBe(kmh);
  });

  it('leaves out -1 (and other negative) vel, cog, acc and batt as unknown; cog 360 is north', () => {
    const parsed = input({ _type: 'location', lat: 1, lon: 2, tst: TST, vel: -1, cog: -1, acc: -1, batt: -1, alt: -5 });
    expect(parsed).toEqual({ lat: 1, lng: 2, timestamp: TST * 1000, altitude: -5 });
    expect(input({ ...location, cog: 360 }).heading).toBe(0);
    expect(input({ ...location, cog: 0 }).heading).toBe(0);
  });

  it('reads fractional seconds to the millisecond', () => {
    expect(input({ ...location, tst: TST + 0.5 }).timestamp).toBe(TST * 1000 + 500);
  });

  it('names the OwnTracks keys for the pipeline’s fields', () => {
    const parsed = parseOwntracks(location);
    expect(parsed.kind === 'location' && parsed.fields).toEqual({ lat: 'lat', lng: 'lon', timestamp: 'tst', accuracy: 'acc', altitude: 'alt', speed: 'vel', heading: 'cog', battery: 'batt' });
  });

  it.each([
    ['transition', { _type: 'transition', event: 'enter', desc: 'home', tst: TST }],
    ['waypoint', { _type: 'waypoint', desc: 'office', lat: 1, lon: 2, rad: 50, tst: TST }],
    ['lwt', { _type: 'lwt', tst: TST }],
    ['card', { _type: 'card', name: 'Alice' }],
    ['encrypted', { _type: 'encrypted', data: 'xyz' }],
  ])('accepts and ignores %s messages', (type, message) => {
    expect(parseOwntracks(message)).toEqual({ kind: 'ignored', type });
  });

  it.each([
    [null, '_type'],
    ['location', '_type'],
    [[location], '_type'],
    [42, '_type'],
    [{ lat: 1, lon: 2, tst: TST }, '_type'],
    [{ _type: 5, lat: 1, lon: 2, tst: TST }, '_type'],
    [{ _type: '', lat: 1, lon: 2, tst: TST }, '_type'],
    [{ _type: 'location', lon: 2, tst: TST }, 'lat'],
    [{ _type: 'location', lat: 1, tst: TST }, 'lon'],
    [{ _type: 'location', lat: 1, lon: 2 }, 'tst'],
    [{ _type: 'location', lat: '52.5', lon: 2, tst: TST }, 'lat'],
    [{ _type: 'location', lat: 91, lon: 2, tst: TST }, 'lat'],
    [{ _type: 'location', lat: 1, lon: 181, tst: TST }, 'lon'],
    [{ _type: 'location', lat: 1, lon: 2, tst: 'now' }, 'tst'],
    [{ _type: 'location', lat: 1, lon: 2, tst: 0 }, 'tst'],
    [{ _type: 'location', lat: 1, lon: 2, tst: -5 }, 'tst'],
    [{ _type: 'location', lat: 1, lon: 2, tst: TST, vel: 'fast' }, 'vel'],
    [{ _type: 'location', lat: 1, lon: 2, tst: TST, cog: {} }, 'cog'],
    [{ _type: 'location', lat: 1, lon: 2, tst: TST, acc: true }, 'acc'],
    [{ _type: 'location', lat: 1, lon: 2, tst: TST, alt: '1' }, 'alt'],
    [{ _type: 'location', lat: 1, lon: 2, tst: TST, batt: [] }, 'batt'],
  ])('refuses %j naming %s', (message, field) => {
    expect(refusal(message)).toEqual({ code: 'VALIDATION_ERROR', field });
  });

  it('leaves ranges beyond the wire format to the pipeline', () => {
    const parsed = input({ ...location, vel: 5000, cog: 400, batt: 101 });
    expect(positionInput.safeParse(parsed).error!.issues.map((i) => i.path.join('.'))).toEqual(['speed', 'heading', 'battery']);
  });
});

describe('basicCredentials', () => {
  const header = (text: string) => `Basic ${Buffer.from(text).toString('base64')}`;

  it('splits user and password at the first colon', () => {
    expect(basicCredentials(header('phone-1:tok:en'))).toEqual({ user: 'phone-1', password: 'tok:en' });
    expect(basicCredentials(header('phone-1:'))).toEqual({ user: 'phone-1', password: '' });
    expect(basicCredentials(`basic   ${Buffer.from('a:b').toString('base64')}`)).toEqual({ user: 'a', password: 'b' });
  });

  it('returns null for anything else', () => {
    expect(basicCredentials(null)).toBeNull();
    expect(basicCredentials('')).toBeNull();
    expect(basicCredentials('Bearer abc')).toBeNull();
    expect(basicCredentials(header('no-colon'))).toBeNull();
    expect(basicCredentials('Basic !!!')).toBeNull();
  });
});
