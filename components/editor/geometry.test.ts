import { describe, expect, it } from 'vitest';
import { circleFromRing, circleRing, distanceM, errorLocation, formatArea, formatLength, lineLengthM } from './geometry';

describe('editor geometry', () => {
  it('measures great-circle distances (1° of latitude ≈ 111.2 km)', () => {
    expect(distanceM([13.4, 52], [13.4, 53])).toBeCloseTo(111_195, -1);
    expect(lineLengthM([[13.4, 52], [13.4, 52.5], [13.4, 53]])).toBeCloseTo(111_195, -1);
    expect(lineLengthM([[13.4, 52]])).toBe(0);
  });

  it('turns a drawn ring back into the center and radius it was drawn from', () => {
    for (const [center, radius] of [[[13.4, 52.5], 250], [[-70.6, -33.4], 12_000], [[179.9, 0], 5_000]] as const) {
      const ring = circleRing([center[0], center[1]], radius);
      expect(ring).toHaveLength(65);
      expect(ring[0]).toEqual(ring[64]);
      const found = circleFromRing(ring);
      expect(distanceM(found.center, [center[0], center[1]])).toBeLessThan(radius * 0.01);
      expect(Math.abs(found.radiusM / radius - 1)).toBeLessThan(0.01);
    }
  });

  it('reads the location out of a PostGIS reason', () => {
    expect(errorLocation('geometry: invalid geometry: Self-intersection at [13.3923095615, 52.522848757] (lng, lat)')).toEqual([13.3923095615, 52.522848757]);
    expect(errorLocation('Too few points at [-0.5, -1e-7] (lng, lat)')).toEqual([-0.5, -1e-7]);
    expect(errorLocation('invalid geometry: Ring Self-intersection')).toBeNull();
  });

  it('formats lengths and areas for the panels', () => {
    expect(formatLength(850.4)).toBe('850 m');
    expect(formatLength(6449.6)).toBe('6.45 km');
    expect(formatArea(5300.2)).toBe('5,300 m²');
    expect(formatArea(27_810_000)).toBe('27.81 km²');
  });
});
