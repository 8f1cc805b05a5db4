import { describe, expect, it } from 'vitest';
import { positionInput } from '@/server/protocol/position';
import { fixFromGeolocation, keepsRate, toPositionInput } from './fix';

const coords = (over: Partial<GeolocationCoordinates>): GeolocationCoordinates =>
  ({ latitude: 52.52, longitude: 13.405, accuracy: 7, altitude: null, altitudeAccuracy: null, heading: null, speed: null, ...over }) as GeolocationCoordinates;

describe('fixFromGeolocation', () => {
  it('keeps the fix’s own time and accuracy, converts m/s to km/h, leaves unknowns out', () => {
    const fix = fixFromGeolocation({ timestamp: 1_800_000_000_123.4, coords: coords({ speed: 10, heading: 90, altitude: 34 }) });
    expect(fix).toEqual({ lat: 52.52, lng: 13.405, timestamp: 1_800_000_000_123, accuracy: 7, speed: 36, heading: 90, altitude: 34 });
    expect(fixFromGeolocation({ timestamp: 1, coords: coords({ heading: Number.NaN, speed: null }) })).toEqual({ lat: 52.52, lng: 13.405, timestamp: 1, accuracy: 7 });
  });

  it('produces positions the server accepts (heading 360 → 0, impossible altitude dropped)', () => {
    const fix = fixFromGeolocation({ timestamp: 1_800_000_000_000, coords: coords({ heading: 360, altitude: -5000, speed: 0 }) });
    expect(fix.heading).toBe(0);
    expect(fix.altitude).toBeUndefined();
    expect(positionInput.safeParse(toPositionInput(fix, '6f1c2a52-5b8e-4c1e-9d51-4d0a8f0e7a11')).success).toBe(true);
  });
});

describe('keepsRate', () => {
  it('keeps one fix per 1/rate seconds by the fixes’ clock, with slack for jitter', () => {
    expect(keepsRate(null, 5000, 1)).toBe(true);
    expect(keepsRate(5000, 5950, 1)).toBe(true);
    expect(keepsRate(5000, 5500, 1)).toBe(false);
    expect(keepsRate(5000, 5200, 5)).toBe(true);
  });
});
