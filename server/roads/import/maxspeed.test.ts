import { describe, expect, it } from 'vitest';
import { parseMaxspeed, ZONE_LIMITS } from './maxspeed';

describe('parseMaxspeed', () => {
  it.each([
    ['50', 50],
    ['30', 30],
    ['50 km/h', 50],
    ['50km/h', 50],
    ['80 kmh', 80],
    ['80 kph', 80],
    ['25 mph', 40.2336],
    ['25mph', 40.2336],
    ['55 mph', 88.51392],
    ['5 mph', 8.04672],
    ['10 knots', 18.52],
    ['7,5', 7.5],
    ['7.5', 7.5],
    [' 40 ', 40],
    ['50;30', 50],
    ['30 MPH', 48.28032],
    ['DE:urban', 50],
    ['DE:rural', 100],
    ['DE:living_street', 7],
    ['RU:urban', 60],
    ['RU:rural', 90],
    ['RU:motorway', 110],
    ['FR:rural', 80],
    ['CH:motorway', 120],
    ['GB:nsl_single', 96.56064],
    ['GB:motorway', 112.65408],
    ['DE:zone30', 30],
    ['DE:zone:20', 20],
  ])('%s → %s km/h', (input, expected) => {
    expect(parseMaxspeed(input)).toBeCloseTo(expected, 6);
  });

  it.each([
    'none', 'signals', 'variable', 'walk', 'DE:motorway', 'US:urban', 'US:CA:rural', 'XX:urban', '', '   ', '0', '-30', '1000',
    'fast', '50 furlongs', 'mph', '50 mph 30', 'NaN', 'Infinity', '1e3', ';', 'zone30',
  ])('%j → null', (input) => {
    expect(parseMaxspeed(input)).toBeNull();
  });

  it('treats a missing tag as unknown', () => {
    expect(parseMaxspeed(undefined)).toBeNull();
    expect(parseMaxspeed(null)).toBeNull();
  });

  it('has only plausible limits in its zone table', () => {
    for (const [zone, kmh] of Object.entries(ZONE_LIMITS)) {
      expect(zone).toMatch(/^[A-Z]{2}(-[A-Z]+)?:[a-z_]+$/);
      expect(kmh).toBeGreaterThan(0);
      expect(kmh).toBeLessThanOrEqual(140);
    }
  });
});
