import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ApiError, parseOrThrow } from './errors';
import {
  DEFAULT_HISTORY_LIMIT,
  DEFAULT_NEAREST_K,
  DEFAULT_NEARBY_LIMIT,
  DEFAULT_WITHIN_LIMIT,
  historyQuery,
  nearbyQuery,
  nearestQuery,
  spatialSocketQuery,
  withinBboxQuery,
  withinPolygonRequest,
} from './spatial';

/** The field and message a VALIDATION_ERROR would carry, or the parsed value. */
function fail(schema: z.ZodType, input: unknown): { field: string | undefined; message: string } {
  try {
    parseOrThrow(schema, input);
  } catch (error) {
    if (error instanceof ApiError && error.code === 'VALIDATION_ERROR') return { field: error.field, message: error.message };
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be refused`);
}

const square = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]];

describe('withinBboxQuery', () => {
  it('parses w,s,e,n from a query string or an array, with the default limit', () => {
    expect(withinBboxQuery.parse({ bbox: '13.3,52.4,13.5,52.6' })).toEqual({ bbox: { west: 13.3, south: 52.4, east: 13.5, north: 52.6 }, limit: DEFAULT_WITHIN_LIMIT });
    expect(withinBboxQuery.parse({ bbox: ' -1 , -2 , 3 , 4 ', limit: '25' })).toEqual({ bbox: { west: -1, south: -2, east: 3, north: 4 }, limit: 25 });
    expect(withinBboxQuery.parse({ bbox: [-180, -90, 180, 90], limit: 7 })).toEqual({ bbox: { west: -180, south: -90, east: 180, north: 90 }, limit: 7 });
  });

  it('accepts a degenerate box (a line or a point) and an empty limit', () => {
    expect(withinBboxQuery.parse({ bbox: '1,2,1,2', limit: '' }).limit).toBe(DEFAULT_WITHIN_LIMIT);
  });

  it.each([
    [{}, 'bbox', /is required/],
    [{ bbox: '' }, 'bbox', /west,south,east,north/],
    [{ bbox: '1,2,3' }, 'bbox', /west,south,east,north/],
    [{ bbox: '1,2,3,4,5' }, 'bbox', /west,south,east,north/],
    [{ bbox: '1,2,,4' }, 'bbox', /west,south,east,north/],
    [{ bbox: 'a,b,c,d' }, 'bbox', /west,south,east,north/],
    [{ bbox: [1, 2, '3', 4] }, 'bbox', /west,south,east,north/],
    [{ bbox: 5 }, 'bbox', /west,south,east,north/],
    [{ bbox: '-181,0,1,1' }, 'bbox', /longitudes/],
    [{ bbox: '0,0,1,90.5' }, 'bbox', /latitudes/],
    [{ bbox: '2,0,1,1' }, 'bbox', /west must not be greater than east/],
    [{ bbox: '0,2,1,1' }, 'bbox', /south must not be greater than north/],
    [{ bbox: '0,0,1,1', limit: '0' }, 'limit', /from 1 to 100000/],
    [{ bbox: '0,0,1,1', limit: '1.5' }, 'limit', /integer/],
    [{ bbox: '0,0,1,1', limit: '100001' }, 'limit', /100000/],
    [{ bbox: '0,0,1,1', limit: 'many' }, 'limit', /integer/],
  ])('refuses %j naming %s', (input, field, message) => {
    const error = fail(withinBboxQuery, input);
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
    expect(error.message.startsWith(`${field}: `)).toBe(true);
  });
});

describe('withinPolygonRequest', () => {
  it('accepts a polygon with holes and 3D positions', () => {
    const hole = [[0.2, 0.2], [0.4, 0.2], [0.4, 0.4], [0.2, 0.2]];
    const parsed = withinPolygonRequest.parse({ polygon: { type: 'Polygon', coordinates: [square.map(([x, y]) => [x, y, 30]), hole] } });
    expect(parsed.polygon.coordinates).toHaveLength(2);
    expect(parsed.limit).toBe(DEFAULT_WITHIN_LIMIT);
  });

  it.each([
    [{}, 'polygon'],
    [{ polygon: null }, 'polygon'],
    [{ polygon: { type: 'MultiPolygon', coordinates: [[square]] } }, 'polygon.type'],
    [{ polygon: { type: 'Polygon' } }, 'polygon.coordinates'],
    [{ polygon: { type: 'Polygon', coordinates: [] } }, 'polygon.coordinates'],
    [{ polygon: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [0, 0]]] } }, 'polygon.coordinates.0'],
    [{ polygon: { type: 'Polygon', coordinates: [square.slice(0, 4)] } }, 'polygon.coordinates.0'],
    [{ polygon: { type: 'Polygon', coordinates: [[[0, 0], [1], [1, 1], [0, 0]]] } }, 'polygon.coordinates.0.1'],
    [{ polygon: { type: 'Polygon', coordinates: [[[0, 0], [1, 0, 0, 0], [1, 1], [0, 0]]] } }, 'polygon.coordinates.0.1'],
    [{ polygon: { type: 'Polygon', coordinates: [[[0, 0], [180.5, 0], [1, 1], [0, 0]]] } }, 'polygon.coordinates.0.1.0'],
    [{ polygon: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 91], [0, 0]]] } }, 'polygon.coordinates.0.2.1'],
    [{ polygon: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, null], [0, 0]]] } }, 'polygon.coordinates.0.2.1'],
    [{ polygon: { type: 'Polygon', coordinates: [square, [[0.2, 0.2], [0.4, 0.2], [0.4, 0.4], [0.2, 0.3]]] } }, 'polygon.coordinates.1'],
    [{ polygon: { type: 'Polygon', coordinates: [square] }, limit: -1 }, 'limit'],
  ])('refuses %j naming %s', (input, field) => {
    expect(fail(withinPolygonRequest, input).field).toBe(field);
  });

  it('says a ring must be closed, or longer', () => {
    expect(fail(withinPolygonRequest, { polygon: { type: 'Polygon', coordinates: [square.slice(0, 4)] } }).message).toMatch(/closed ring/);
    expect(fail(withinPolygonRequest, { polygon: { type: 'Polygon', coordinates: [[[0, 0], [1, 1], [0, 0]]] } }).message).toMatch(/at least 4 positions/);
  });

  it('refuses unknown fields and oversized polygons', () => {
    expect(fail(withinPolygonRequest, { polygon: { type: 'Polygon', coordinates: [square] }, extra: 1 }).message).toMatch(/extra/);
    const huge = Array.from({ length: 10_001 }, (_, i) => [Math.cos(i) * 0.1, Math.sin(i) * 0.1]);
    huge.push(huge[0]!);
    expect(fail(withinPolygonRequest, { polygon: { type: 'Polygon', coordinates: [huge] } }).field).toBe('polygon.coordinates');
  });
});

describe('nearbyQuery', () => {
  it('coerces query-string numbers and applies the default limit', () => {
    expect(nearbyQuery.parse({ lng: '13.4', lat: '-52.5', radius: '1000' })).toEqual({ lng: 13.4, lat: -52.5, radius: 1000, limit: DEFAULT_NEARBY_LIMIT });
    expect(nearbyQuery.parse({ lng: 180, lat: 90, radius: 0.5, limit: 10_000 })).toEqual({ lng: 180, lat: 90, radius: 0.5, limit: 10_000 });
  });

  it.each([
    [{ lat: '1', radius: '1' }, 'lng', /is required/],
    [{ lng: '', lat: '1', radius: '1' }, 'lng', /is required/],
    [{ lng: 'x', lat: '1', radius: '1' }, 'lng', /longitude/],
    [{ lng: '180.01', lat: '1', radius: '1' }, 'lng', /longitude/],
    [{ lng: 'Infinity', lat: '1', radius: '1' }, 'lng', /longitude/],
    [{ lng: '1', lat: '-90.5', radius: '1' }, 'lat', /latitude/],
    [{ lng: '1', lat: '1' }, 'radius', /is required/],
    [{ lng: '1', lat: '1', radius: '0' }, 'radius', /more than 0/],
    [{ lng: '1', lat: '1', radius: '-5' }, 'radius', /more than 0/],
    [{ lng: '1', lat: '1', radius: '100001' }, 'radius', /at most 100000/],
    [{ lng: '1', lat: '1', radius: '10', limit: '10001' }, 'limit', /10000/],
  ])('refuses %j naming %s', (input, field, message) => {
    const error = fail(nearbyQuery, input);
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
  });
});

describe('nearestQuery', () => {
  it('defaults k', () => {
    expect(nearestQuery.parse({ lng: '1', lat: '2' })).toEqual({ lng: 1, lat: 2, k: DEFAULT_NEAREST_K });
    expect(nearestQuery.parse({ lng: 1, lat: 2, k: '1000' }).k).toBe(1000);
  });

  it.each([
    [{ lng: '1', lat: '2', k: '0' }, 'k'],
    [{ lng: '1', lat: '2', k: '1001' }, 'k'],
    [{ lng: '1', lat: '2', k: '2.5' }, 'k'],
    [{ lng: '1', k: '2' }, 'lat'],
    [{ lng: '-180.5', lat: '2' }, 'lng'],
  ])('refuses %j naming %s', (input, field) => {
    expect(fail(nearestQuery, input).field).toBe(field);
  });
});

describe('historyQuery', () => {
  it('parses ISO 8601 times (any offset) and epoch milliseconds', () => {
    expect(historyQuery.parse({ from: '2026-11-22T10:00:00Z', to: '2026-11-22T12:00:00+01:00' })).toEqual({
      from: Date.UTC(2026, 10, 22, 10),
      to: Date.UTC(2026, 10, 22, 11),
      limit: DEFAULT_HISTORY_LIMIT,
    });
    expect(historyQuery.parse({ from: '1000', to: 2000, limit: '5' })).toEqual({ from: 1000, to: 2000, limit: 5 });
  });

  it('allows exactly 31 days and no more', () => {
    expect(historyQuery.safeParse({ from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z' }).success).toBe(true);
    expect(fail(historyQuery, { from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00.001Z' })).toEqual({ field: 'to', message: 'to: must be at most 31 days after from' });
  });

  it.each([
    [{ to: '2026-01-01T00:00:00Z' }, 'from', /is required/],
    [{ from: '2026-01-01T00:00:00Z' }, 'to', /is required/],
    [{ from: 'yesterday', to: '2026-01-01T00:00:00Z' }, 'from', /ISO 8601/],
    [{ from: '2026-01-01T00:00:00', to: '2026-01-02T00:00:00Z' }, 'from', /ISO 8601/],
    [{ from: '2026-02-30T00:00:00Z', to: '2026-03-02T00:00:00Z' }, 'from', /ISO 8601/],
    [{ from: '2026-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }, 'to', /later than from/],
    [{ from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' }, 'to', /later than from/],
    [{ from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z', limit: '100001' }, 'limit', /100000/],
    [{ from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z', limit: '0' }, 'limit', /from 1/],
  ])('refuses %j naming %s', (input, field, message) => {
    const error = fail(historyQuery, input);
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
  });
});

describe('spatialSocketQuery', () => {
  it('dispatches on type and refuses unknown types', () => {
    expect(spatialSocketQuery.parse({ type: 'nearest', lng: 1, lat: 2 })).toEqual({ type: 'nearest', lng: 1, lat: 2 });
    expect(fail(spatialSocketQuery, { type: 'teleport' }).field).toBe('type');
    expect(fail(spatialSocketQuery, 'within').field).toBeUndefined();
  });
});
