import { describe, expect, it } from 'vitest';
import { ApiError } from '../protocol/errors';
import { MERCATOR_HALF, parseTileCoord, planTile, roadClassesAt, tileBounds, tileLngLatBounds } from './tile-rules';

const fieldOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error instanceof ApiError ? `${error.code}:${error.field}` : 'other';
  }
  return 'ok';
};

describe('tile addresses', () => {
  it('parses z/x/y.mvt and y.pbf', () => {
    expect(parseTileCoord('14', '4705', '6264.mvt')).toEqual({ z: 14, x: 4705, y: 6264 });
    expect(parseTileCoord('0', '0', '0.pbf')).toEqual({ z: 0, x: 0, y: 0 });
  });

  it('refuses addresses outside the pyramid with the offending field', () => {
    expect(fieldOf(() => parseTileCoord('23', '0', '0.mvt'))).toBe('VALIDATION_ERROR:z');
    expect(fieldOf(() => parseTileCoord('-1', '0', '0.mvt'))).toBe('VALIDATION_ERROR:z');
    expect(fieldOf(() => parseTileCoord('a', '0', '0.mvt'))).toBe('VALIDATION_ERROR:z');
    expect(fieldOf(() => parseTileCoord('2', '4', '0.mvt'))).toBe('VALIDATION_ERROR:x');
    expect(fieldOf(() => parseTileCoord('2', '1.5', '0.mvt'))).toBe('VALIDATION_ERROR:x');
    expect(fieldOf(() => parseTileCoord('2', '3', '4.mvt'))).toBe('VALIDATION_ERROR:y');
    expect(fieldOf(() => parseTileCoord('2', '3', '3.png'))).toBe('VALIDATION_ERROR:y');
    expect(fieldOf(() => parseTileCoord('2', '3', '3'))).toBe('VALIDATION_ERROR:y');
  });

  it('bounds: z0 is the whole Mercator square; tiles of a zoom abut', () => {
    expect(tileBounds({ z: 0, x: 0, y: 0 })).toEqual([-MERCATOR_HALF, -MERCATOR_HALF, MERCATOR_HALF, MERCATOR_HALF]);
    const a = tileBounds({ z: 14, x: 4705, y: 6264 });
    const right = tileBounds({ z: 14, x: 4706, y: 6264 });
    const below = tileBounds({ z: 14, x: 4705, y: 6265 });
    expect(right[0]).toBeCloseTo(a[2], 6);
    expect(below[3]).toBeCloseTo(a[1], 6);
  });

  it('degree bounds contain a point known to lie in the tile (Baltimore, z14)', () => {
    // -76.605, 39.295 → tile 14/4705/6244
    const [w, s, e, n] = tileLngLatBounds({ z: 14, x: 4705, y: 6244 });
    expect(w).toBeLessThan(-76.605);
    expect(e).toBeGreaterThan(-76.605);
    expect(s).toBeLessThan(39.295);
    expect(n).toBeGreaterThan(39.295);
    const buffered = tileLngLatBounds({ z: 14, x: 4705, y: 6244 }, 64);
    expect(buffered[0]).toBeLessThan(w);
    expect(buffered[3]).toBeGreaterThan(n);
  });
});

describe('what a tile holds by zoom', () => {
  it('adds road classes down the hierarchy as the zoom grows', () => {
    expect(roadClassesAt(8)).toEqual(expect.arrayContaining(['motorway', 'trunk']));
    expect(roadClassesAt(8)).not.toContain('residential');
    expect(roadClassesAt(12)).toContain('residential');
    expect(roadClassesAt(12)).not.toContain('service');
    expect(roadClassesAt(14)).toContain('service');
    expect(roadClassesAt(15)).toContain('footway');
    for (let z = 8; z < 16; z++) expect(roadClassesAt(z + 1)).toEqual(expect.arrayContaining(roadClassesAt(z)));
  });

  it('buildings and POIs from z15, a shrinking polygon threshold and tolerance', () => {
    expect(planTile({ z: 14, x: 0, y: 0 })).toMatchObject({ buildings: false, pois: false });
    expect(planTile({ z: 15, x: 0, y: 0 })).toMatchObject({ buildings: true, pois: true });
    const z12 = planTile({ z: 12, x: 0, y: 0 });
    const z14 = planTile({ z: 14, x: 0, y: 0 });
    expect(z14.minArea).toBeCloseTo(z12.minArea / 16, 15);
    expect(z14.tolerance).toBeCloseTo(z12.tolerance / 4, 9);
    expect(planTile({ z: 16, x: 0, y: 0 }).minArea).toBe(0);
  });
});
