import { describe, expect, it } from 'vitest';
import { parseLatLng } from './lat-lng';

describe('parseLatLng', () => {
  it('reads "latitude, longitude" as map apps copy it, with commas or spaces', () => {
    expect(parseLatLng('52.5200, 13.4050')).toEqual({ lat: 52.52, lng: 13.405 });
    expect(parseLatLng(' 52.52 13.405 ')).toEqual({ lat: 52.52, lng: 13.405 });
    expect(parseLatLng('-33.8688,151.2093')).toEqual({ lat: -33.8688, lng: 151.2093 });
  });

  it('names what is wrong', () => {
    expect(parseLatLng('')).toMatch(/latitude, longitude/);
    expect(parseLatLng('52.52')).toMatch(/latitude, longitude/);
    expect(parseLatLng('52.52, 13.4, 7')).toMatch(/latitude, longitude/);
    expect(parseLatLng('north, east')).toMatch(/latitude, longitude/);
    expect(parseLatLng('91, 13')).toBe('latitude must be between -90 and 90');
    expect(parseLatLng('52.52, 200')).toBe('longitude must be between -180 and 180');
  });
});
